"""The daily work: `recall review`, `due`, and every action on one highlight
(`rate`, `undo`, `skip`, `discard`, `restore`, `favorite`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from recall import exit_codes
from recall.cli.common import (
    AllOption,
    CategoryOption,
    DbOption,
    FavoritesOption,
    IdArgument,
    JsonOption,
    LimitOption,
    NewPerDayOption,
    ReviewsPerDayOption,
    RolloverOption,
    SourceOption,
    TagOption,
    TimezoneOption,
    act,
    app,
    fail,
    open_caught_up,
    settings_and_clock,
)
from recall.text import json_text


@app.command("review")
def review_command(
    limit: LimitOption = None,
    source: SourceOption = None,
    tag: TagOption = None,
    category: CategoryOption = None,
    favorites: FavoritesOption = False,
    everything: AllOption = False,
    new_per_day: NewPerDayOption = None,
    reviews_per_day: ReviewsPerDayOption = None,
    timezone: TimezoneOption = None,
    rollover_hour: RolloverOption = None,
    db: DbOption = None,
    prompt: Annotated[
        str | None,
        typer.Option(
            "--prompt", metavar="STYLE",
            help="What a card asks before Space reveals it: cloze (key words blanked), cue (the source and "
            "first words) or full (everything at once). Default: the prompt setting (cloze).",
        ),
    ] = None,
) -> None:
    """Review today's highlights in the terminal: recall, reveal with Space, one key per grade, saved at once.

    Keys: Space reveals, then the grade keys of your preset (each shows when the highlight would
    come back), u undo, s skip, d discard, f favourite, o open link, l list links, e edit note,
    + / - its source more or less often, ? keys, q or ctrl+c quit, ctrl+p every action.
    """
    import time

    started = time.perf_counter()
    from recall.paths import db_path

    settings, clock = settings_and_clock(
        new_per_day=new_per_day, reviews_per_day=reviews_per_day, timezone=timezone, rollover_hour=rollover_hour,
        prompt=prompt,
    )
    from recall.tui.app import RecallApp  # Textual only loads for this command

    review = RecallApp(
        db_path=db_path(db), settings=settings, clock=clock, source=source, tag=tag, category=category, limit=limit,
        favorite=favorites, everything=everything, started=started,
    )
    review.run()
    for warning in review.log_warnings:
        typer.echo(f"warning: review log: {warning}", err=True)
    if review.recall_error:
        fail(review.recall_error)
    if farewell := review.farewell():
        typer.echo(farewell)
    if review.return_code:
        raise typer.Exit(review.return_code)


@app.command("due")
def due_command(
    source: SourceOption = None,
    tag: TagOption = None,
    category: CategoryOption = None,
    limit: LimitOption = None,
    favorites: FavoritesOption = False,
    everything: AllOption = False,
    new_per_day: NewPerDayOption = None,
    reviews_per_day: ReviewsPerDayOption = None,
    timezone: TimezoneOption = None,
    rollover_hour: RolloverOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Today's queue in review order, with counts and when the next highlights fall due.

    Fragments and placeholders are left out (--all keeps them); --json counts them.
    """
    from recall.scheduler.agenda import agenda, print_agenda

    context = open_caught_up(
        db, new_per_day=new_per_day, reviews_per_day=reviews_per_day, timezone=timezone, rollover_hour=rollover_hour
    )
    result = agenda(
        context, source=source, tag=tag, category=category, limit=limit, favorite=favorites, everything=everything
    )
    if as_json:
        typer.echo(json_text(result, indent=2))
    else:
        print_agenda(result)


@app.command("rate", context_settings={"ignore_unknown_options": True})  # so that "-1" is a grade, refused as one
def rate_command(
    highlight_id: IdArgument,
    grade: Annotated[str, typer.Argument(help="A whole number: 0 (blackout) to 5 (perfect), as in SM-2.")],
    timezone: TimezoneOption = None,
    rollover_hour: RolloverOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Grade one highlight now, due or not, exactly as the review app would.

    The grade is also appended to the review log in the vault (the review_log setting).
    Exit codes: 1 the review log cannot be written (nothing saved), 2 grade out of range,
    4 no such highlight, 5 retired or discarded, or its source set to never.
    """
    from recall.frequency import Level
    from recall.reviewlog.writer import LogWriter
    from recall.scheduler.actions import check_grade, rate
    from recall.sm2 import due_day, easiness_from_hundredths
    from recall.vocabulary import ReviewKind

    value = act(lambda: check_grade(grade))
    context = open_caught_up(db, timezone=timezone, rollover_hour=rollover_hour)
    log = LogWriter.of(context.settings)
    rated = act(lambda: rate(context.engine, highlight_id, value, context.now(), context.today(), log=log))
    after = rated.after
    easiness = easiness_from_hundredths(after.easiness)
    summary = {
        "id": rated.highlight_id, "grade": rated.grade, "kind": rated.kind,
        "repetitions": after.repetitions, "easiness": str(easiness),
        "interval": after.interval, "due": rated.due.isoformat() if rated.due else None,
        "frequency": rated.level.value,
    }
    if after.has_memory:  # FSRS schedules: its interval, and its memory state
        assert rated.due is not None and after.reviewed is not None
        summary.update(interval=(rated.due - after.reviewed).days, stability=after.stability,
                       difficulty=after.difficulty)
    if as_json:
        typer.echo(json_text(summary))
    elif rated.kind == ReviewKind.DRILL:
        typer.echo(f"highlight {highlight_id}: already graded today, logged as a drill; still due {summary['due']}")
    else:
        figures = f"EF {easiness}" if not after.has_memory else (
            f"stability {after.stability:.1f} d, difficulty {after.difficulty:.2f}"
        )
        today = context.today()
        balanced = rated.level is Level.NORMAL and not after.has_memory and rated.due is not None
        if balanced and rated.due != due_day(today, after.interval):  # --balance moved it off SM-2's day
            assert rated.due is not None
            figures += f"; balanced: due in {(rated.due - today).days} d"
        if rated.level is not Level.NORMAL:  # its source's frequency shaped the due day
            from recall.frequency import factor_text

            shaped = f"×{factor_text(rated.level)[1:]} " if not after.has_memory else ""
            figures += f"; {shaped}for its source's frequency, {rated.level}"
        typer.echo(
            f"highlight {highlight_id}: grade {value}, next due {summary['due']} "
            f"(interval {summary['interval']} d, {figures})"
        )


@app.command("undo")
def undo_command(
    any_day: Annotated[bool, typer.Option("--any-day", help="Also take back a grade given on an earlier day.")] = False,
    timezone: TimezoneOption = None,
    rollover_hour: RolloverOption = None,
    db: DbOption = None,
) -> None:
    """Take back the last grade given today, restoring the highlight's schedule exactly.

    The review log keeps the grade and gets an undo naming it. Exit codes: 1 the review log
    cannot be written (nothing changed), 5 nothing to undo, or the last grade was given on an
    earlier study day (--any-day takes it back).
    """
    from recall.reviewlog.writer import LogWriter
    from recall.scheduler.undo import undo_last

    context = open_caught_up(db, timezone=timezone, rollover_hour=rollover_hour)
    log = LogWriter.of(context.settings)
    undone = act(lambda: undo_last(context.engine, context.now(), context.today(), log=log, any_day=any_day))
    if undone is None:
        fail("nothing to undo: no grade has been given yet", exit_codes.INVALID_STATE)
    typer.echo(f"undid grade {undone.grade} ({undone.kind}) of highlight {undone.highlight_id} on {undone.study_day}")


def _mark(db: Path | None, highlight_id: int, action: Callable[..., object], **overrides: object) -> None:
    """Run one mark (``skip`` … ``set_favorite`` of ``recall.scheduler.actions``, given the engine,
    the id, now, today and ``log=``) on the database ``db``: logged first; a refusal is its exit code."""
    from recall.reviewlog.writer import LogWriter

    context = open_caught_up(db, **overrides)  # the history migrated before any mark is logged
    log = LogWriter.of(context.settings)
    act(lambda: action(context.engine, highlight_id, context.now(), context.today(), log=log))


@app.command("skip")
def skip_command(
    highlight_id: IdArgument, timezone: TimezoneOption = None, rollover_hour: RolloverOption = None, db: DbOption = None
) -> None:
    """Leave a highlight out of today's queue; it comes back the next study day.

    Exit codes: 1 the review log cannot be written (nothing saved), 4 no such highlight, 5 retired or discarded, or its source set to never.
    """
    from recall.scheduler.actions import skip

    _mark(db, highlight_id, skip, timezone=timezone, rollover_hour=rollover_hour)
    typer.echo(f"highlight {highlight_id}: skipped until tomorrow")


@app.command("discard")
def discard_command(highlight_id: IdArgument, db: DbOption = None) -> None:
    """Never show a highlight again (reversible with `recall restore`).

    Exit codes: 1 the review log cannot be written (nothing saved), 4 no such highlight.
    """
    from recall.scheduler.actions import discard

    _mark(db, highlight_id, discard)
    typer.echo(f"highlight {highlight_id}: discarded")


@app.command("restore")
def restore_command(highlight_id: IdArgument, db: DbOption = None) -> None:
    """Bring a discarded highlight back, with its schedule as it was.

    Exit codes: 1 the review log cannot be written (nothing saved), 4 no such highlight.
    """
    from recall.scheduler.actions import restore

    _mark(db, highlight_id, restore)
    typer.echo(f"highlight {highlight_id}: restored")


@app.command("favorite")
@app.command("favourite", hidden=True)
def favorite_command(
    highlight_id: IdArgument,
    off: Annotated[bool, typer.Option("--off", help="Remove the mark instead.")] = False,
    db: DbOption = None,
) -> None:
    """Mark a highlight as a favourite (or unmark it with --off).

    Exit codes: 1 the review log cannot be written (nothing saved), 4 no such highlight.
    """
    from functools import partial

    from recall.scheduler.actions import set_favorite

    _mark(db, highlight_id, partial(set_favorite, favorite=not off))
    typer.echo(f"highlight {highlight_id}: {'no longer a favourite' if off else 'favourite'}")
