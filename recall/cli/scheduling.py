"""`recall scheduler`: which scheduler the collection uses (SM-2 or FSRS), shown or switched;
`recall frequency`: how often one source comes back, shown or set."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from recall import exit_codes
from recall.cli.common import DbOption, JsonOption, act, app, fail, open_caught_up
from recall.frequency import Level
from recall.text import json_text, one_line

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


@app.command("frequency")
def frequency_command(
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="The source: its id, or words of its title, as "
                                          "`recall sources` shows them.")],
    level: Annotated[
        str | None,
        typer.Argument(metavar="[more|normal|less|rarely|never]",
                       help="Show it this often (default: show the level it has)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show or set how often a source comes back: more, normal (the default), less, rarely or never.

    Under SM-2 its next intervals are multiplied by 0.5, 1, 2 or 4; under FSRS it is scheduled at the
    retention that gives those intervals. never keeps its highlights out of the queue, their schedules
    kept, until another level is set. Due days already set never move. The level is kept in the review
    log, so every device schedules alike. Exit codes: 1 the review log cannot be written (nothing
    changed), 2 a level that is not one of these or words that match several sources, 4 no such source.
    """
    from recall.frequency import parse_level
    from recall.reviewlog.collection import current_settings
    from recall.reviewlog.writer import LogWriter
    from recall.scheduler.frequency import effect, find_source, set_frequency

    try:
        wanted = None if level is None else parse_level(level)
    except ValueError as error:
        fail(str(error), exit_codes.USAGE)
    context = open_caught_up(db)
    row = act(lambda: find_source(context.engine, source))
    with context.engine.connect() as connection:
        settings = current_settings(connection)
    if wanted is None:
        _show_level(row.id, row.title, Level(row.frequency), settings, as_json)
        return
    log = LogWriter.of(context.settings)
    done = act(lambda: set_frequency(context.engine, row.id, wanted, context.now(), context.today(), log=log))
    if as_json:
        typer.echo(json_text({**_level_json(row.id, row.title, done.after, settings), "before": done.before.value,
                              "changed": done.changed, "highlights": done.highlights}))
        return
    title = one_line(done.title)
    if not done.changed:
        typer.echo(f"{title}: {done.after} (already; nothing changed)")
        return
    typer.echo(f"{title}: {done.after} (was {done.before}): {effect(done.after, settings)}")
    if done.after is Level.NEVER:
        typer.echo(f"Its highlights are out of the queue, their schedules kept; `recall frequency {row.id} normal` "
                   "brings them back.")
    elif done.before is Level.NEVER:
        typer.echo("Its highlights are back in the queue with their schedules; from the next grade on, each is "
                   "scheduled at this level.")
    else:
        typer.echo("Due days are unchanged; from the next grade on, its highlights are scheduled at this level.")


def _level_json(source_id: int, title: str, level: Level, settings: SchedulerSettings) -> dict[str, object]:
    from recall.frequency import FACTORS
    from recall.scheduling import level_retention

    return {"id": source_id, "title": title, "frequency": level.value, "factor": float(FACTORS[level]),
            "retention": level_retention(settings, level) if settings.fsrs else None}


def _show_level(source_id: int, title: str, level: Level, settings: SchedulerSettings, as_json: bool) -> None:
    from recall.scheduler.frequency import effect

    if as_json:
        typer.echo(json_text(_level_json(source_id, title, level, settings)))
    else:
        typer.echo(f"{one_line(title)}: {level}: {effect(level, settings)}")
