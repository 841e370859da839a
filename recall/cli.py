"""The ``recall`` command line: a thin typer layer over the modules that do the work.

Heavy modules (sqlmodel, the importer, Textual) are imported inside the commands
that need them, so ``recall --help`` and ``recall --version`` start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from recall import __version__, exit_codes
from recall.text import json_text, one_line

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from recall.clock import Clock
    from recall.config import Settings
    from recall.context import Context
    from recall.output import Destination

app = typer.Typer(
    name="recall",
    help="Bring back what you read: import highlights from your vault and review them daily (SM-2).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
export_app = typer.Typer(help="Export data as CSV or JSON (data on stdout, messages on stderr).", no_args_is_help=True)
app.add_typer(export_app, name="export")
db_app = typer.Typer(help="The database: where it is, what it holds, backups and checks.", no_args_is_help=True)
app.add_typer(db_app, name="db")
config_app = typer.Typer(help="Settings: time zone, rollover hour, daily limits, grade keys.", no_args_is_help=True)
app.add_typer(config_app, name="config")
vaults_app = typer.Typer(
    help="The vaults imported: list them (the default), or forget one.", invoke_without_command=True
)
app.add_typer(vaults_app, name="vaults")

DbOption = Annotated[
    Path | None,
    typer.Option("--db", envvar="RECALL_DB", help="Database file [default: recall.db in the user data folder].",
                 show_default=False, dir_okay=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
IdArgument = Annotated[int, typer.Argument(help="The highlight's id (see `recall due` or the export).")]
SourceOption = Annotated[str | None, typer.Option("--source", help="Only highlights whose source title contains this.")]
TagOption = Annotated[str | None, typer.Option("--tag", help="Only highlights with this tag.")]
CategoryOption = Annotated[str | None, typer.Option("--category", help="Only books, articles, tweets or podcasts.")]
LimitOption = Annotated[int | None, typer.Option("--limit", min=0, help="At most this many highlights.")]
NewPerDayOption = Annotated[int | None, typer.Option("--new-per-day", min=0, help="Override the daily new limit.")]
ReviewsPerDayOption = Annotated[
    int | None, typer.Option("--reviews-per-day", min=0, help="Override the daily review limit.")
]
TimezoneOption = Annotated[str | None, typer.Option("--timezone", help="Override the time zone (IANA name).")]
RolloverOption = Annotated[
    int | None, typer.Option("--rollover-hour", min=0, max=23, help="Override the hour a study day starts.")
]


def fail(message: str, code: int = exit_codes.ERROR) -> NoReturn:
    """Stop with a message on stderr (one line, shown literally) and a documented exit code; never a traceback."""
    typer.echo(f"recall: {one_line(message)}", err=True)
    raise typer.Exit(code)


_opened: dict[str, Path] = {}  # the database this run opened, named when the disk refuses a write


def open_engine(db: Path | None) -> Engine:
    from recall.db.engine import DatabaseError, open_db
    from recall.paths import db_path

    path = _opened["db"] = db_path(db)
    try:
        return open_db(path)
    except DatabaseError as error:
        fail(str(error))


def settings_and_clock(**overrides: object) -> tuple[Settings, Clock]:
    """Settings (with this run's overrides) and the clock, or a clear error; no database yet."""
    from recall.clock import clock_from_env
    from recall.config import ConfigError, load_settings

    try:
        settings = load_settings().with_overrides(**{k: v for k, v in overrides.items() if v is not None})
        return settings, clock_from_env()
    except (ConfigError, ValueError) as error:
        fail(str(error), exit_codes.USAGE)


def open_context(db: Path | None, **overrides: object) -> Context:
    """Database, settings (with per-run overrides) and clock, or a clear error."""
    from recall.context import Context

    settings, clock = settings_and_clock(**overrides)
    return Context(open_engine(db), settings, clock)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"recall {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Bring back what you read."""


@app.command("import")
def import_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Vaults, folders inside a vault or single notes to import [default: every vault imported before].",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every warning, not one line per kind.")] = False,
    explain: Annotated[
        Path | None,
        typer.Option(help="Import nothing: show how one note is read, line by line.", show_default=False),
    ] = None,
) -> None:
    """Import highlight notes from a vault (run it after every sync; unchanged files are not re-read).

    Exit codes: 0 ok, 1 error (a PATH not found: the others are imported), 3 imported,
    but something in the vault was not (a file skipped, lines not understood, a vault
    not found: see the warnings), 130 interrupted (run it again to finish).
    """

    from recall.importer.interrupt import Interrupted, stop_on_signals
    from recall.importer.report import ImportReport
    from recall.importer.run import import_paths
    from recall.importer.targets import known_roots
    from recall.progress import progress
    from recall.text import one_line

    settings, clock = settings_and_clock()
    folders = tuple(settings.highlight_folders)
    if explain is not None:
        _explain(explain, folders, as_json)
        return
    engine = open_engine(db)
    if not paths and not known_roots(engine):
        fail("no vault given and none imported before: run `recall import PATH/TO/VAULT`", exit_codes.USAGE)
    try:
        now = clock.now()
    except ValueError as error:
        fail(str(error), exit_codes.USAGE)
    report = ImportReport()
    try:
        with stop_on_signals() as stopping, progress("Importing") as update:
            errors = import_paths(engine, list(paths or []), now, report, folders, update, stopping)
    except Interrupted as stop:
        fail(f"interrupted: {stop.done:,} of {stop.total:,} notes imported; run `recall import` again to finish",
             exit_codes.INTERRUPTED)
    for absorbed in report.absorbed:
        typer.echo(f"{one_line(absorbed)} is now imported as part of the vault that holds it", err=True)
    for warning in report.warning_lines(verbose):
        typer.echo(f"warning: {one_line(warning)}", err=True)
    if as_json:
        typer.echo(json_text(report.as_dict(), indent=2))
    else:
        typer.echo(report.summary(), err=True)
    for error in errors:
        typer.echo(f"recall: {one_line(error)}", err=True)
    if errors:
        raise typer.Exit(exit_codes.ERROR)
    if report.partial:
        raise typer.Exit(exit_codes.PARTIAL)


def _explain(path: Path, folders: tuple[str, ...], as_json: bool) -> None:
    from recall.importer.explain import explain, render

    try:
        explanation = explain(path, folders)
    except OSError as error:
        fail(f"{path}: cannot read ({error.strerror or error})", exit_codes.USAGE)
    if as_json:
        typer.echo(json_text(explanation.as_dict(), indent=2))
    else:
        typer.echo("\n".join(render(explanation)))


@app.command("sources")
def sources_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the imported sources (books, articles, tweets, podcasts) with their highlight counts."""
    from recall.db.queries import source_listing

    rows = source_listing(open_engine(db))
    if as_json:
        typer.echo(json_text(rows, indent=2))
        return
    if not rows:
        typer.echo("Nothing imported yet: run `recall import PATH/TO/VAULT`.", err=True)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("Title", "Author", "Category", "Highlights", box=None, header_style="bold")
    for row in rows:  # Text(): titles are shown literally, never read as markup
        table.add_row(*(Text(one_line(row[key])) for key in ("title", "author", "category")), str(row["active"]))
    Console(highlight=False).print(table)
    active = sum(r["active"] for r in rows)
    typer.echo(f"{len(rows)} sources, {active} active highlights", err=True)


@export_app.command("highlights")
def export_highlights_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or json.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    db: DbOption = None,
) -> None:
    """Export every highlight with its source, status and schedule."""
    from recall.db.queries import HIGHLIGHT_COLUMNS, export_highlights
    from recall.export import FORMATS, write_rows

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", exit_codes.USAGE)
    target = _destination(output, db)
    engine = open_engine(db)
    count = _act(lambda: target.write(lambda out: write_rows(export_highlights(engine), HIGHLIGHT_COLUMNS, fmt, out)))
    typer.echo(f"{count} highlights exported", err=True)


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

    report = gather(open_context(db, timezone=timezone, rollover_hour=rollover_hour))
    if as_json:
        typer.echo(json_text(report.as_dict(), indent=2))
        return
    from recall.stats.render import print_report

    print_report(report)


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

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", exit_codes.USAGE)
    target = _destination(output, db)
    report = gather(open_context(db, timezone=timezone, rollover_hour=rollover_hour))
    count = _act(lambda: target.write(lambda out: write_stats(report, fmt, out)))
    typer.echo(f"{count} days exported", err=True)


@app.command("due")
def due_command(
    source: SourceOption = None,
    tag: TagOption = None,
    category: CategoryOption = None,
    limit: LimitOption = None,
    new_per_day: NewPerDayOption = None,
    reviews_per_day: ReviewsPerDayOption = None,
    timezone: TimezoneOption = None,
    rollover_hour: RolloverOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Today's queue in review order, with counts and when the next highlights fall due."""
    from recall.scheduler.agenda import agenda, print_agenda

    context = open_context(
        db, new_per_day=new_per_day, reviews_per_day=reviews_per_day, timezone=timezone, rollover_hour=rollover_hour
    )
    result = agenda(context, source=source, tag=tag, category=category, limit=limit)
    if as_json:
        typer.echo(json_text(result, indent=2))
    else:
        print_agenda(result)


@app.command("review")
def review_command(
    limit: LimitOption = None,
    source: SourceOption = None,
    tag: TagOption = None,
    category: CategoryOption = None,
    new_per_day: NewPerDayOption = None,
    reviews_per_day: ReviewsPerDayOption = None,
    timezone: TimezoneOption = None,
    rollover_hour: RolloverOption = None,
    db: DbOption = None,
) -> None:
    """Review today's highlights in the terminal: one key per grade, each saved at once.

    Keys: the grade keys of your preset, u undo, s skip, d discard, f favourite, o open link,
    e edit note, ? keys, q quit, ctrl+p every action.
    """
    import time

    started = time.perf_counter()
    from recall.paths import db_path

    settings, clock = settings_and_clock(
        new_per_day=new_per_day, reviews_per_day=reviews_per_day, timezone=timezone, rollover_hour=rollover_hour
    )
    from recall.tui.app import RecallApp  # Textual only loads for this command

    review = RecallApp(
        db_path=db_path(db), settings=settings, clock=clock, source=source, tag=tag, category=category, limit=limit,
        started=started,
    )
    review.run()
    if review.recall_error:
        fail(review.recall_error)
    if farewell := review.farewell():
        typer.echo(farewell)
    if review.return_code:
        raise typer.Exit(review.return_code)


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

    Exit codes: 2 grade out of range, 4 no such highlight, 5 retired or discarded.
    """
    from recall.scheduler.actions import check_grade, rate

    value = _act(lambda: check_grade(grade))
    context = open_context(db, timezone=timezone, rollover_hour=rollover_hour)
    rated = _act(lambda: rate(context.engine, highlight_id, value, context.now(), context.today()))
    summary = {
        "id": rated.highlight_id, "grade": rated.grade, "kind": rated.kind,
        "repetitions": rated.after.repetitions, "easiness": str(rated.after.easiness),
        "interval": rated.after.interval, "due": rated.due.isoformat() if rated.due else None,
    }
    if as_json:
        typer.echo(json_text(summary))
    elif rated.kind == "drill":
        typer.echo(f"highlight {highlight_id}: already graded today, logged as a drill; still due {summary['due']}")
    else:
        typer.echo(
            f"highlight {highlight_id}: grade {value}, next due {summary['due']} "
            f"(interval {rated.after.interval} d, EF {rated.after.easiness})"
        )


@app.command("undo")
def undo_command(
    any_day: Annotated[bool, typer.Option("--any-day", help="Also take back a grade given on an earlier day.")] = False,
    timezone: TimezoneOption = None,
    rollover_hour: RolloverOption = None,
    db: DbOption = None,
) -> None:
    """Take back the last grade given today, restoring the highlight's schedule exactly.

    Exit codes: 5 nothing to undo, or the last grade was given on an earlier study day
    (--any-day takes it back).
    """
    from recall.scheduler.actions import undo_last

    context = open_context(db, timezone=timezone, rollover_hour=rollover_hour)
    undone = _act(lambda: undo_last(context.engine, day=None if any_day else context.today()))
    if undone is None:
        fail("nothing to undo: no grade has been given yet", exit_codes.INVALID_STATE)
    typer.echo(f"undid grade {undone.grade} ({undone.kind}) of highlight {undone.highlight_id} on {undone.study_day}")


@app.command("skip")
def skip_command(
    highlight_id: IdArgument, timezone: TimezoneOption = None, rollover_hour: RolloverOption = None, db: DbOption = None
) -> None:
    """Leave a highlight out of today's queue; it comes back the next study day."""
    from recall.scheduler.actions import skip

    context = open_context(db, timezone=timezone, rollover_hour=rollover_hour)
    _act(lambda: skip(context.engine, highlight_id, context.today()))
    typer.echo(f"highlight {highlight_id}: skipped until tomorrow")


@app.command("discard")
def discard_command(highlight_id: IdArgument, db: DbOption = None) -> None:
    """Never show a highlight again (reversible with `recall restore`)."""
    from recall.scheduler.actions import discard

    _act(lambda: discard(open_engine(db), highlight_id))
    typer.echo(f"highlight {highlight_id}: discarded")


@app.command("restore")
def restore_command(highlight_id: IdArgument, db: DbOption = None) -> None:
    """Bring a discarded highlight back, with its schedule as it was."""
    from recall.scheduler.actions import restore

    _act(lambda: restore(open_engine(db), highlight_id))
    typer.echo(f"highlight {highlight_id}: restored")


@app.command("favorite")
@app.command("favourite", hidden=True)
def favorite_command(
    highlight_id: IdArgument,
    off: Annotated[bool, typer.Option("--off", help="Remove the mark instead.")] = False,
    db: DbOption = None,
) -> None:
    """Mark a highlight as a favourite (or unmark it with --off)."""
    from recall.scheduler.actions import set_favorite

    _act(lambda: set_favorite(open_engine(db), highlight_id, not off))
    typer.echo(f"highlight {highlight_id}: {'no longer a favourite' if off else 'favourite'}")


@config_app.command("path")
def config_path_command() -> None:
    """Print where the settings file is (it need not exist)."""
    from recall.paths import config_path

    typer.echo(str(config_path()))


@config_app.command("show")
def config_show_command(as_json: JsonOption = False) -> None:
    """Print the settings in effect (file values over defaults)."""
    import dataclasses

    from recall.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as error:
        fail(str(error), exit_codes.USAGE)
    values = dataclasses.asdict(settings)
    if as_json:
        typer.echo(json_text(values, indent=2))
    else:
        for key, value in values.items():
            typer.echo(f"{key} = {json_text(value)}")


@config_app.command("init")
def config_init_command() -> None:
    """Write a commented settings file with every default, unless one exists."""
    from recall.config import DEFAULT_CONFIG_TEXT
    from recall.output import write_text
    from recall.paths import config_path

    target = config_path()
    if target.exists():
        fail(f"a settings file already exists at {target}; edit it, or delete it to write a fresh one")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot create {target.parent}: {error.strerror or error}")
    _act(lambda: write_text(target, lambda out: out.write(DEFAULT_CONFIG_TEXT)))
    typer.echo(str(target))


@vaults_app.callback()
def vaults_command(context: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the vaults imported, with their notes and highlights, and whether each folder is there now."""
    if context.invoked_subcommand is not None:
        return
    import json

    from recall.db.vaults import vault_listing

    rows = vault_listing(open_engine(db))
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("No vault imported yet: run `recall import PATH/TO/VAULT`.", err=True)
        return
    from recall.text import one_line

    for row in rows:  # whole paths, one a line, for `recall vaults forget PATH`
        missing = "" if row["present"] else "; FOLDER NOT FOUND"
        typer.echo(f"{one_line(row['root'])}  ({row['notes']:,} notes, {row['highlights']:,} highlights; "
                   f"last import {row['last_import'][:16].replace('T', ' ')} UTC{missing})")


@vaults_app.command("forget")
def vaults_forget_command(
    path: Annotated[Path, typer.Argument(help="The vault's folder, as `recall vaults` lists it.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (needed without a terminal).")] = False,
    db: DbOption = None,
) -> None:
    """Forget a vault: its notes, the highlights found only in it and their reviews.

    A backup of the database is written first, beside it. `recall import` without PATH
    no longer imports the vault. Exit codes: 1 no such vault or declined, 2 no terminal
    to ask and no --yes.
    """
    from recall.db.engine import DatabaseError
    from recall.db.vaults import forget, plan_forgetting
    from recall.paths import db_path
    from recall.text import one_line

    _settings, clock = settings_and_clock()
    engine = open_engine(db)
    plan = plan_forgetting(engine, path)
    if plan is None:
        fail(f"no vault imported from {one_line(str(path))}; `recall vaults` lists them")
    if not yes:
        if not sys.stdin.isatty():
            fail("forgetting a vault deletes highlights and reviews: add --yes to do it without a terminal",
                 exit_codes.USAGE)
        question = (f"Forget {one_line(plan.root)}? This deletes {plan.told()}: reviews point at their highlight,"
                    " so they go with it. A backup of the database is written first. Forget it?")
        if not typer.confirm(question, err=True):
            fail("nothing forgotten")
    try:
        done, saved = forget(engine, plan, db_path(db), clock.now())
    except (DatabaseError, ValueError) as error:
        fail(str(error))
    typer.echo(f"backup of the database before: {saved}", err=True)
    typer.echo(f"forgot {one_line(done.root)}: deleted {done.told()}", err=True)


@db_app.command("path")
def db_path_command(db: DbOption = None) -> None:
    """Print which database file recall uses (it need not exist yet)."""
    from recall.paths import db_path

    typer.echo(str(db_path(db)))


@db_app.command("status")
def db_status_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Schema version, size and what the database holds."""
    from recall.db.admin import status
    from recall.paths import db_path

    info = status(open_engine(db), db_path(db))
    if as_json:
        typer.echo(json_text(info, indent=2))
        return
    counts = info["highlights"]
    typer.echo(f"{one_line(info['path'])} ({info['size_bytes'] / 1e6:.1f} MB, schema version {info['schema_version']})")
    typer.echo(
        f"highlights: {counts['active']} active, {counts['retired']} retired, {counts['discarded']} discarded; "
        f"{info['sources']} sources, {info['files']} files, {info['reviews']} reviews"
    )
    for vault in info["vaults"]:
        typer.echo(f"vault {one_line(vault['root'])} (last import {vault['last_import']})")


@db_app.command("backup")
def db_backup_command(
    target: Annotated[Path, typer.Argument(help="The file to write (must not exist).", dir_okay=False)],
    db: DbOption = None,
) -> None:
    """Write a consistent copy of the database (safe while recall is running)."""
    from recall.db.engine import DatabaseError, backup

    _destination(target, db)
    try:
        backup(open_engine(db), target)
    except DatabaseError as error:
        fail(str(error))
    typer.echo(f"backed up to {one_line(str(target))}", err=True)


@db_app.command("check")
def db_check_command(db: DbOption = None) -> None:
    """Run SQLite's integrity and foreign-key checks; exit 1 if anything is wrong."""
    from recall.db.admin import check

    problems = check(open_engine(db))
    for problem in problems:
        typer.echo(problem)
    if problems:
        fail(f"{len(problems)} problem(s) found")
    typer.echo("ok")


def _act(action: Callable[[], object]):  # noqa: ANN202 - returns what the action returns
    """Run an action; its refusals (a highlight that cannot take it, an output that must not be
    written) become their message and exit code."""
    try:
        return action()
    except exit_codes.Refusal as error:
        fail(str(error), error.code)


def _destination(output: Path | None, db: Path | None) -> Destination:
    """Where ``-o`` (None: stdout) sends data; refused if it is the database, a file beside it or the settings."""
    from recall.output import destination
    from recall.paths import db_path

    return _act(lambda: destination(output, db_path(db)))


def main() -> None:
    """The ``recall`` command: a full disk or a read-only database is one line and exit 1."""
    try:
        app()
    except Exception as error:
        from recall.db.failures import storage_failure

        message = storage_failure(error, _opened.get("db"))
        if message is None:
            raise
        typer.echo(f"recall: {message}", err=True)
        raise SystemExit(exit_codes.ERROR) from None
