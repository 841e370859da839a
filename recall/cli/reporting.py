"""What recall holds, as tables and files: `recall sources`, `stats`, `compare`, `export highlights`,
`export stats`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from recall import exit_codes
from recall.cli.common import (
    DbOption,
    JsonOption,
    NewPerDayOption,
    ReviewsPerDayOption,
    RolloverOption,
    TimezoneOption,
    app,
    export_app,
    export_target,
    fail,
    listed_as_json_or_empty,
    open_caught_up,
    open_caught_up_engine,
    write_export,
)
from recall.text import json_text, one_line

REVIEW_FORMATS = ("csv", "jsonl")


@app.command("sources")
def sources_command(
    timezone: TimezoneOption = None, rollover_hour: RolloverOption = None, db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the imported sources (books, articles, tweets, podcasts) with their id and progress:
    highlights active, due today and reviewed at least once; and their frequency (`recall
    frequency`) once a source is not at normal."""
    from recall.db.queries import source_listing

    context = open_caught_up(db, timezone=timezone, rollover_hour=rollover_hour)
    rows = source_listing(context.engine, context.today())
    if listed_as_json_or_empty(rows, as_json):
        return
    from collections import Counter

    from recall.cli.tables import source_table
    from recall.columns import terminal_width
    from recall.frequency import LEVELS

    typer.echo("\n".join(source_table(rows, terminal_width())))
    active, due, reviewed = (sum(r[key] for r in rows) for key in ("active", "due", "reviewed"))
    levels = Counter(row["frequency"] for row in rows if row["frequency"] != "normal")
    shown = ", ".join(f"{n} at {level}" for level, n in sorted(levels.items(), key=lambda item: LEVELS.index(item[0])))
    shown = f"; {shown}" if shown else ""
    typer.echo(f"{len(rows)} sources, {active} active highlights: {due} due today, {reviewed} reviewed{shown}", err=True)


@app.command("stats")
def stats_command(
    timezone: TimezoneOption = None,
    rollover_hour: RolloverOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Streaks, a heatmap of the last 12 months, retention, time spent and the due forecast.

    Everything is counted in study days (your time zone and rollover hour). A day
    counts for the streak when it has at least one graded review; drills and skips
    do not count. The current streak stays alive until today ends.
    """
    from recall.stats.report import gather

    report = gather(open_caught_up(db, timezone=timezone, rollover_hour=rollover_hour))
    if as_json:
        typer.echo(json_text(report.as_dict(), indent=2))
        return
    from recall.stats.render import print_report

    print_report(report)


def _horizons(typed: str) -> tuple[int, ...]:
    """``--days`` as typed: whole numbers of days, comma-separated (``30,90,365``)."""
    from recall.stats.compare import MAX_HORIZON

    parts = [part.strip() for part in typed.split(",")]
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise typer.BadParameter(f"{one_line(typed)!r}: use whole numbers of days separated by commas, e.g. 30,90,365")
    days = sorted({int(part) for part in parts})
    if not 1 <= days[0] <= days[-1] <= MAX_HORIZON or len(days) > 6:
        raise typer.BadParameter(f"{one_line(typed)!r}: up to 6 horizons, each from 1 to {MAX_HORIZON:,} days")
    return tuple(days)


@app.command("compare")
def compare_command(
    days: Annotated[
        str, typer.Option("--days", metavar="N,N,...", help="Horizons in study days, comma-separated.")
    ] = "30,90,365",
    retention: Annotated[
        float | None,
        typer.Option("--retention", help="FSRS's desired retention for this run, 0.70-0.97 (default: the collection's, "
                     "see `recall scheduler`)."),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the simulated grades: the same seed, the same figures.")
    ] = 14,  # recall.stats.compare.DEFAULT_SEED, not imported here: it loads py-fsrs
    new_per_day: NewPerDayOption = None,
    reviews_per_day: ReviewsPerDayOption = None,
    timezone: TimezoneOption = None,
    rollover_hour: RolloverOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """SM-2 and FSRS side by side on your collection, simulated: reviews a day and recall.

    From today, for each horizon: the reviews, their average a day, the busiest day and the share
    recalled, under SM-2 (your schedule now) and under FSRS (each highlight's memory state from its
    own reviews), then a chart of the daily load. Your daily limits and your own grades are used;
    FSRS-6's memory model decides what is recalled under both. Drills are not simulated. --json
    gives every figure, the daily series included.
    """
    horizons = _horizons(days)
    from recall.stats.compare import gather

    context = open_caught_up(
        db, new_per_day=new_per_day, reviews_per_day=reviews_per_day, timezone=timezone,
        rollover_hour=rollover_hour,
    )
    from recall.progress import progress

    try:
        with progress("Reading your reviews") as update:
            comparison = gather(context, horizons, seed, update, retention)
    except ValueError as error:  # a horizon past the calendar's end
        fail(str(error), exit_codes.USAGE)
    if as_json:
        typer.echo(json_text(comparison.as_dict(), indent=2))
        return
    from recall.stats.compare_render import print_comparison

    print_comparison(comparison)


@export_app.command("highlights")
def export_highlights_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or json.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    db: DbOption = None,
) -> None:
    """Export every highlight with its source, status and schedule.

    Under FSRS a reviewed highlight also has its stability (days), difficulty (1-10) and
    retrievability (the probability of recalling it today, 0-1); they are empty under SM-2.
    """
    from recall.db.queries import HIGHLIGHT_COLUMNS, export_highlights
    from recall.export import FORMATS, write_rows
    from recall.scheduler.memory import with_retrievability

    target = export_target(fmt, FORMATS, output, db)
    context = open_caught_up(db)
    rows = with_retrievability(context.engine, export_highlights(context.engine), context.today())
    write_export(target, lambda out: write_rows(rows, HIGHLIGHT_COLUMNS, fmt, out), "highlights")


@export_app.command("stats")
def export_stats_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv (daily rows only) or json (summary and days).")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    timezone: TimezoneOption = None,
    rollover_hour: RolloverOption = None,
    db: DbOption = None,
) -> None:
    """Export the daily review series and the streak summary.

    One row per study day from the first review to today, zero days included, with
    the columns date, reviews, new, lapses, retention, minutes, streak. CSV holds
    these daily rows only; JSON is {"summary": {...}, "days": [...]}, the summary
    holding the current and longest streak with their dates and the all-time totals.
    """
    from recall.stats.export import FORMATS, write_stats
    from recall.stats.report import gather

    target = export_target(fmt, FORMATS, output, db)
    report = gather(open_caught_up(db, timezone=timezone, rollover_hour=rollover_hour))
    write_export(target, lambda out: write_stats(report, fmt, out), "days")


@export_app.command("reviews")
def export_reviews_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or jsonl.")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    db: DbOption = None,
) -> None:
    """Export the review log, one row per grade (drills included), oldest first.

    Columns: review_id, reviewed_at (UTC), study_day, highlight_id, highlight_key, grade,
    kind (review or drill), seconds, and the SM-2 state before and after: repetitions_*,
    easiness_*, interval_* (days), due_* (study day).
    """
    from recall.db.history import REVIEW_COLUMNS, review_log
    from recall.export import write_rows

    target = export_target(fmt, REVIEW_FORMATS, output, db)
    engine = open_caught_up_engine(db)
    write_export(target, lambda out: write_rows(review_log(engine), REVIEW_COLUMNS, fmt, out), "reviews")
