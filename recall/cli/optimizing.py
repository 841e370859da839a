"""Fitting FSRS to your own reviews: `recall optimize` (issue 14).

The optimizer (``recall.fitting``, fsrs-rs) is imported inside the command: no other command
loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from recall.cli.common import DbOption, JsonOption, app, open_caught_up_engine
from recall.text import json_text

if TYPE_CHECKING:
    from recall.fitting import Fit, NotEnoughReviews


@app.command("optimize")
def optimize_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Fit the FSRS parameters to your own reviews (drills left out) and show how well the default
    and the fitted ones predict them: log loss and RMSE (bins), lower is better.

    Needs 64 usable reviews: a highlight's first review does not count (it predicts nothing),
    nor do the rare intervals the optimizer sets aside as outliers. With fewer, it says how many
    there are and exits 0.
    """
    from recall.db.history import review_histories
    from recall.fitting import NotEnoughReviews, fit

    histories = review_histories(open_caught_up_engine(db))
    try:
        result = fit(histories)
    except NotEnoughReviews as short:
        if as_json:
            typer.echo(json_text(short_record(short), indent=2))
        else:
            typer.echo(short_line(short), err=True)
        return
    stored = False  # storing result.weights (when result.improved) comes here, as one call
    if as_json:
        typer.echo(json_text(fit_record(result, stored), indent=2))
    else:
        typer.echo("\n".join(fit_lines(result, stored)))


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


def fit_record(result: Fit, stored: bool) -> dict[str, Any]:
    """``recall optimize --json``: the counts, the scores before and after, the 21 weights."""
    from recall.fitting import MIN_REVIEWS

    return {
        "fitted": True, "reviews": result.reviews, "highlights": result.highlights, "used": result.used,
        "needed": MIN_REVIEWS,
        "before": {"log_loss": result.before.log_loss, "rmse": result.before.rmse},
        "after": {"log_loss": result.after.log_loss, "rmse": result.after.rmse},
        "improved": result.improved, "weights": list(result.weights), "stored": stored,
    }


def fit_lines(result: Fit, stored: bool) -> list[str]:
    """``recall optimize``'s text, one str a line."""
    weights = [f"{weight:.4f}" for weight in result.weights]
    verdict = ("The fitted parameters predict your reviews better." if result.improved else
               "The fitted parameters predict your reviews no better than the defaults: keep the defaults.")
    return [
        f"FSRS fitted to {_count(result.reviews, 'review')} of {_count(result.highlights, 'highlight')}.",
        f"{result.used:,} of them used (a highlight's first review predicts nothing; outliers are set aside).",
        "",
        f"  {'':<9} {'log loss':>9} {'RMSE (bins)':>12}",
        f"  {'default':<9} {result.before.log_loss:>9.4f} {result.before.rmse:>11.2%}",
        f"  {'fitted':<9} {result.after.log_loss:>9.4f} {result.after.rmse:>11.2%}   (lower is better)",
        "",
        verdict,
        "Weights w0-w20:",
        "  " + " ".join(weights[:7]),
        "  " + " ".join(weights[7:14]),
        "  " + " ".join(weights[14:]),
        "Stored: FSRS schedules with them from now on." if stored else
        "Not stored: recall does not keep fitted parameters yet.",
    ]


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
