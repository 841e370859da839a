"""Fitting FSRS to your own reviews: `recall optimize` (issue 14).

The optimizer (``recall.fitting``, fsrs-rs) is imported inside the command: no other command
loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from recall.cli.common import DbOption, JsonOption, act, app, open_caught_up
from recall.text import json_text

if TYPE_CHECKING:
    from recall.fitting import Fit, NotEnoughReviews


@app.command("optimize")
def optimize_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Fit the FSRS parameters to your own reviews (drills left out) and show how well the default
    and the fitted ones predict them: log loss and RMSE (bins), lower is better.

    Needs 64 usable reviews: a highlight's first review does not count (it predicts nothing),
    nor do the rare intervals the optimizer sets aside as outliers. With fewer, it says how many
    there are and exits 0. Fitted parameters that predict better than those in use are kept in the
    review log (every device schedules with them) and used by FSRS from then on; due days stay.
    Exit code 1: the review log cannot be written (nothing stored).
    """
    from dataclasses import replace

    from recall.db.history import review_histories
    from recall.fitting import DEFAULT_WEIGHTS, NotEnoughReviews, fit
    from recall.reviewlog.collection import current_settings
    from recall.reviewlog.writer import LogWriter
    from recall.scheduler.switch import switch_scheduler

    context = open_caught_up(db)
    with context.engine.connect() as connection:
        settings = current_settings(connection)
    histories = review_histories(context.engine)
    try:
        result = fit(histories, current=settings.weights or DEFAULT_WEIGHTS)
    except NotEnoughReviews as short:
        if as_json:
            typer.echo(json_text(short_record(short), indent=2))
        else:
            typer.echo(short_line(short), err=True)
        return
    if result.improved:
        wanted = replace(settings, weights=tuple(result.weights))
        log = LogWriter.of(context.settings)
        act(lambda: switch_scheduler(context.engine, wanted, context.now(), context.today(), log=log))
    fitted_before = settings.weights is not None
    if as_json:
        typer.echo(json_text(fit_record(result, result.improved, fitted_before), indent=2))
    else:
        typer.echo("\n".join(fit_lines(result, settings.fsrs, fitted_before)))


def short_record(short: NotEnoughReviews) -> dict[str, Any]:
    """``recall optimize --json`` with too few reviews."""
    return {"fitted": False, "reviews": short.reviews, "highlights": short.highlights, "used": short.used,
            "needed": short.needed, "stored": False}


def short_line(short: NotEnoughReviews) -> str:
    """``recall optimize``'s line with too few reviews."""
    why = (f"{short.used} usable of the {short.needed} needed" if short.used < short.needed else
           f"{short.used} usable, but none past a highlight's second review yet")
    return (f"Not enough reviews to fit FSRS yet: {why} ({_count(short.reviews, 'review')} of"
            f" {_count(short.highlights, 'highlight')}; a highlight's first review and rare outlier intervals do not"
            " count). FSRS uses its default parameters until then.")


def fit_record(result: Fit, stored: bool, fitted_before: bool) -> dict[str, Any]:
    """``recall optimize --json``: the counts, the scores before (of the weights in use: ``current``
    is ``fitted`` when an earlier fit is, else ``default``) and after, the 21 weights, and whether
    they were ``stored``."""
    from recall.fitting import MIN_REVIEWS

    return {
        "fitted": True, "reviews": result.reviews, "highlights": result.highlights, "used": result.used,
        "needed": MIN_REVIEWS, "current": "fitted" if fitted_before else "default",
        "before": {"log_loss": result.before.log_loss, "rmse": result.before.rmse},
        "after": {"log_loss": result.after.log_loss, "rmse": result.after.rmse},
        "improved": result.improved, "weights": list(result.weights), "stored": stored,
    }


def fit_lines(result: Fit, fsrs_in_use: bool, fitted_before: bool) -> list[str]:
    """``recall optimize``'s text, one str a line: stored when ``result.improved`` (the caller
    stored them), and what that means whether FSRS is in use (``fsrs_in_use``) or not."""
    weights = [f"{weight:.4f}" for weight in result.weights]
    current = "current" if fitted_before else "default"
    verdict = ("The fitted parameters predict your reviews better." if result.improved else
               f"The fitted parameters predict your reviews no better than the {current} ones: keeping those.")
    stored = "Not stored." if not result.improved else (
        "Stored: FSRS schedules with them from now on (due days stay as they are)." if fsrs_in_use else
        "Stored: FSRS will schedule with them once you switch to it (`recall scheduler fsrs`)."
    )
    return [
        f"FSRS fitted to {_count(result.reviews, 'review')} of {_count(result.highlights, 'highlight')}.",
        f"{result.used:,} of them used (a highlight's first review predicts nothing; outliers are set aside).",
        "",
        f"  {'':<9} {'log loss':>9} {'RMSE (bins)':>12}",
        f"  {current:<9} {result.before.log_loss:>9.4f} {result.before.rmse:>11.2%}",
        f"  {'fitted':<9} {result.after.log_loss:>9.4f} {result.after.rmse:>11.2%}   (lower is better)",
        "",
        verdict,
        "Weights w0-w20:",
        "  " + " ".join(weights[:7]),
        "  " + " ".join(weights[7:14]),
        "  " + " ".join(weights[14:]),
        stored,
    ]


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
