"""`recall scheduler`: which scheduler the collection uses (SM-2 or FSRS), shown or switched."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from recall import exit_codes
from recall.cli.common import DbOption, JsonOption, act, app, fail, open_caught_up
from recall.text import json_text

if TYPE_CHECKING:
    from recall.reviewlog.events import Event
    from recall.scheduler_settings import SchedulerSettings


@app.command("scheduler")
def scheduler_command(
    name: Annotated[
        str | None, typer.Argument(metavar="sm2|fsrs", help="Switch to this scheduler (default: show the one in use).")
    ] = None,
    retention: Annotated[
        float | None,
        typer.Option("--retention", metavar="R", help="FSRS: the probability of recall, 0.70-0.97, at which a "
                     "highlight falls due (default 0.90; higher: more reviews).", show_default=False),
    ] = None,
    fuzz: Annotated[
        bool | None,
        typer.Option("--fuzz/--no-fuzz", help="FSRS: spread intervals a little, the same on every device "
                     "(default off).", show_default=False),
    ] = None,
    balance: Annotated[
        bool | None,
        typer.Option("--balance/--no-balance", help="Put each new due day on the lightest day near it: within "
                     "FSRS's fuzz range, or ±5% of SM-2's interval (default off: SM-2 stays exact).",
                     show_default=False),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show or switch the collection's scheduler: exact SM-2 (the default) or FSRS.

    The choice is the collection's, kept in the review log, so every device schedules alike.
    Switching never moves a due day: each highlight's next grade is scheduled by the new
    scheduler (FSRS first computes its memory from the highlight's review history).
    Exit codes: 1 the review log cannot be written (nothing changed), 2 a value out of range.
    """
    from dataclasses import replace

    from recall.reviewlog.collection import switches
    from recall.reviewlog.writer import LogWriter
    from recall.scheduler.switch import switch_scheduler
    from recall.scheduler_settings import SM2, SchedulerName

    context = open_caught_up(db)
    with context.engine.connect() as connection:
        history = switches(connection)
    before = (history[-1].settings if history else None) or SM2
    if name is None and retention is None and fuzz is None and balance is None:
        _show(before, history, as_json)
        return
    try:
        chosen = before.name if name is None else SchedulerName(name.lower())
        wanted = replace(before, name=chosen, retention=before.retention if retention is None else retention,
                         fuzz=before.fuzz if fuzz is None else fuzz,
                         balance=before.balance if balance is None else balance)
    except ValueError as error:
        message = str(error) if name is None or name.lower() in {"sm2", "fsrs"} else (
            f"scheduler must be sm2 or fsrs, got {name!r}"
        )
        fail(message, exit_codes.USAGE)
    log = LogWriter.of(context.settings)
    done = act(lambda: switch_scheduler(context.engine, wanted, context.now(), context.today(), log=log))
    if as_json:
        typer.echo(json_text({"scheduler": done.after.to_json(), "before": done.before.to_json(),
                              "changed": done.changed, "highlights": done.highlights}))
    elif not done.changed:
        typer.echo(f"scheduler: {done.after.describe()} (already in use; nothing changed)")
    else:
        typer.echo(f"scheduler: {done.after.describe()} (was {done.before.describe()})")
        typer.echo("Due days are unchanged; from the next grade on, each highlight is scheduled by "
                   f"{'FSRS' if done.after.fsrs else 'SM-2'}.")


def _show(settings: SchedulerSettings, history: list[Event], as_json: bool) -> None:
    """The scheduler in use and every switch so far (instant, device, settings)."""
    rows = [{"at": f"{event.at:%Y-%m-%d %H:%M} UTC", "device": event.device, **event.settings.to_json()}
            for event in history if event.settings is not None]
    if as_json:
        typer.echo(json_text({"scheduler": settings.to_json(), "switches": rows}))
        return
    typer.echo(f"scheduler: {settings.describe()}")
    if settings.fsrs and settings.weights is not None:
        typer.echo("weights: " + ", ".join(f"{w:.4f}" for w in settings.weights))
    for event in history:
        if event.settings is not None:
            typer.echo(f"  {event.at:%Y-%m-%d %H:%M} UTC  {event.settings.describe()}  (device {event.device[:8]})")
