"""The load tools (issue 14): `recall postpone N`, `recall advance N` and `recall break`, which move
due days (never a schedule's numbers) through the review log, with the due forecast before and after."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from recall import exit_codes
from recall.cli.common import DbOption, JsonOption, act, app, fail, open_caught_up
from recall.text import json_text

if TYPE_CHECKING:
    from recall.context import Context
    from recall.reviewlog.writer import LogWriter
    from recall.scheduler.load import Rescheduled
    from recall.scheduler.study_break import Cancelled
    from recall.vocabulary import QueueFilter

DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Show what would move; write nothing.")]
CountArgument = Annotated[int, typer.Argument(metavar="N", min=1, help="How many highlights to move (at least 1).")]
COLUMNS_PER_ROW = 7


@app.command("postpone")
def postpone_command(count: CountArgument, dry_run: DryRunOption = False, db: DbOption = None,
                     as_json: JsonOption = False) -> None:
    """Move the N due highlights that lose least by waiting a little later, to lighten today.

    As FSRS Helper's postpone: the least overdue relative to their interval first (under FSRS, the
    highest retrievability), each put off by 5-10 % of its interval (at least a day). Only due days
    move: the next grade is scheduled as it would have been. Prints the due forecast before and
    after. Exit codes: 1 the review log cannot be written (nothing changed), 2 N below 1, 5 today
    is a break day.
    """
    from recall.scheduler.postpone import postpone

    context = open_caught_up(db)
    done = act(lambda: postpone(context.engine, count, context.now(), context.today(), _where(context),
                                log=_log(context), dry_run=dry_run))
    _report(done, as_json, count)


@app.command("advance")
def advance_command(count: CountArgument, dry_run: DryRunOption = False, db: DbOption = None,
                    as_json: JsonOption = False) -> None:
    """Bring the N highlights not yet due that lose least by an early review forward to today.

    As FSRS Helper's advance: those nearest their due day relative to their interval first (under
    FSRS, the lowest retrievability). Only due days move: the next grade is scheduled from the
    review history as always. Prints the due forecast before and after. Exit codes: 1 the review
    log cannot be written (nothing changed), 2 N below 1, 5 today is a break day.
    """
    from recall.scheduler.postpone import advance

    context = open_caught_up(db)
    done = act(lambda: advance(context.engine, count, context.now(), context.today(), _where(context),
                               log=_log(context), dry_run=dry_run))
    _report(done, as_json, count)


@app.command("break")
def break_command(
    when: Annotated[
        str | None,
        typer.Argument(metavar="WHEN", help="7d or 2w (from today), a day (2026-12-24) or a span "
                       "(2026-12-20..2027-01-03, both included). None: list the breaks."),
    ] = None,
    spread: Annotated[
        int | None,
        typer.Option("--spread", metavar="DAYS", help="Spread what falls due in the break over this many days "
                     "after it (1-180; default: as long as the break, 2 to 14).", show_default=False),
    ] = None,
    cancel: Annotated[bool, typer.Option("--cancel", help="Take back the last break set that is not over.")] = False,
    dry_run: DryRunOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take a break: nothing is due and nothing new is drawn on its days, and what falls due in it
    is spread over the days after it, most urgent first, levelling the load.

    When the break starts today, what is overdue moves too. Running it again moves what has
    fallen due in it since. Every device keeps the break (it is in the review log). Exit codes:
    1 the review log cannot be written (nothing changed), 2 a break that cannot be (over, longer
    than a year, unreadable), 5 no break to cancel.
    """
    from recall.scheduler import study_break

    context = open_caught_up(db)
    if cancel:
        if when is not None or spread is not None:
            fail("--cancel takes no WHEN or --spread", exit_codes.USAGE)
        cancelled = act(lambda: study_break.cancel_break(context.engine, context.now(), context.today(),
                                                         log=_log(context), dry_run=dry_run))
        _report_cancel(cancelled, as_json)
        return
    if when is None:
        if spread is not None or dry_run:
            fail("--spread and --dry-run need WHEN (7d, or 2026-12-20..2027-01-03)", exit_codes.USAGE)
        _show_breaks(context, as_json)
        return
    start, end = act(lambda: study_break.parse_break(when, context.today()))
    done = act(lambda: study_break.take_break(context.engine, start, end, context.now(), context.today(),
                                              _where(context), log=_log(context), spread_over=spread, dry_run=dry_run))
    _report(done, as_json, None)


def _where(context: Context) -> QueueFilter:
    """The daily queue's filter (the quality filter of the settings): the load tools move what it shows."""
    from recall.scheduler.queue import daily_filter

    return daily_filter(context.settings.min_words)


def _log(context: Context) -> LogWriter:
    from recall.reviewlog.writer import LogWriter

    return LogWriter.of(context.settings)


def _report(done: Rescheduled, as_json: bool, asked: int | None) -> None:
    """The result as JSON, or a summary line and the forecast before and after."""
    if as_json:
        typer.echo(json_text(done.to_json()))
        return
    for line in summary_lines(done, asked):
        typer.echo(line)


def summary_lines(done: Rescheduled, asked: int | None) -> list[str]:
    """A short text summary of what a load tool did (or would do): what moved, then the forecast."""
    from recall.reviewlog.events import RescheduleReason

    would = "Would " if done.dry_run else ""
    moved = len(done.moves)
    noun = "highlight" if moved == 1 else "highlights"
    lines: list[str] = []
    if done.reason is RescheduleReason.BREAK:
        taken = done.taken
        assert taken is not None
        days = f"{taken.days} day{'s' if taken.days != 1 else ''}"
        state = "set" if done.new_break else "already set"
        lines.append(f"{'Would set b' if done.dry_run and done.new_break else 'B'}reak {_span(taken.start, taken.end)}"
                     f" ({days}){'' if done.dry_run and done.new_break else ' ' + state}: nothing due, nothing new drawn.")
        if moved:
            window = f"{_span(done.window[0], done.window[-1])}"
            lines.append(f"{would}{'move' if done.dry_run else 'Moved'} {moved} {noun} due in it to {window}, "
                         "most urgent first, levelling the load.")
        else:
            lines.append("Nothing due in it to move.")
    else:
        verb = "postpone" if done.reason is RescheduleReason.POSTPONE else "advance"
        pool = "due" if done.reason is RescheduleReason.POSTPONE else "not yet due"
        if not done.candidates:
            lines.append(f"Nothing to {verb}: no reviewed highlight is {pool}.")
        else:
            done_verb = verb if done.dry_run else verb.capitalize() + "d"
            fewer = f" (only {done.candidates} {pool})" if asked is not None and done.candidates < asked else ""
            bound = "at most 15 % late after it" if verb == "postpone" else "under 13 % of their interval left"
            safe = "" if done.safe is None else (
                f"; {done.safe} {'is' if done.safe == 1 else 'are'} safe to {verb} ({bound}, FSRS Helper's bound)"
            )
            lines.append(f"{would}{done_verb} {moved} {noun} of {done.candidates} {pool}{fewer}{safe}.")
            if done.retention is not None:
                before, after = done.retention
                lines.append(f"Mean retrievability on the due day: {before:.2f} before, {after:.2f} after.")
    if done.dry_run:
        lines.append("Dry run: nothing was written.")
    lines += forecast_lines(done)
    return lines


def forecast_lines(done: Rescheduled) -> list[str]:
    """The due counts before and after, a column a day, ``COLUMNS_PER_ROW`` days a row; the first
    day counts what is due on it or before. A break's own days are one column, ``break``."""
    before, after = dict(done.forecast_before), dict(done.forecast_after)
    columns: list[tuple[str, int, int]] = []
    inside = [d for d in before if done.taken is not None and d in done.taken]
    if inside:
        columns.append(("break", sum(before[d] for d in inside), sum(after.get(d, 0) for d in inside)))
    for day in before:
        if day not in inside:
            label = "today" if day == done.day else f"{day:%a} {day.day}"
            columns.append((label, before[day], after.get(day, 0)))
    lines = ["Due (today: due or overdue):" if done.day in before else "Due:"]
    for first in range(0, len(columns), COLUMNS_PER_ROW):
        row = columns[first:first + COLUMNS_PER_ROW]
        widths = [max(len(label), len(str(b)), len(str(a))) + 2 for label, b, a in row]
        lines.append("        " + "".join(label.rjust(w) for (label, _, _), w in zip(row, widths, strict=True)))
        lines.append("before  " + "".join(str(b).rjust(w) for (_, b, _), w in zip(row, widths, strict=True)))
        lines.append("after   " + "".join(str(a).rjust(w) for (_, _, a), w in zip(row, widths, strict=True)))
    return lines


def _span(first: date, last: date) -> str:
    return first.isoformat() if first == last else f"{first}..{last}"


def _show_breaks(context: Context, as_json: bool) -> None:
    """The breaks in effect, each with whether it is over, under way or to come."""
    from recall.reviewlog.collection import breaks

    today = context.today()
    with context.engine.connect() as connection:
        found = breaks(connection)
    rows = [{"start": one.start.isoformat(), "end": one.end.isoformat(), "days": one.days,
             "status": "over" if one.end < today else "now" if one.start <= today else "to come"}
            for one in found]
    if as_json:
        typer.echo(json_text({"study_day": today.isoformat(), "breaks": rows}))
        return
    if not rows:
        typer.echo("No break. `recall break 7d` (or 2026-12-20..2027-01-03) takes one.")
    for one, row in zip(found, rows, strict=True):
        typer.echo(f"break {_span(one.start, one.end)} ({one.days} day{'s' if one.days != 1 else ''}, {row['status']})")


def _report_cancel(done: Cancelled, as_json: bool) -> None:
    if as_json:
        typer.echo(json_text(done.to_json()))
        return
    span = _span(done.taken.start, done.taken.end)
    count = len(done.restored)
    noun = "highlight" if count == 1 else "highlights"
    if done.dry_run:
        typer.echo(f"Would cancel the break {span} and put {count} {noun} back on their due days. "
                   "Dry run: nothing was written.")
    else:
        typer.echo(f"Break {span} cancelled; {count} {noun} back on the due days it had moved them from.")
