"""What every command shares: the typer apps, the common options, opening the
database with a clear error, and turning refusals into their message and exit code.

Heavy modules (sqlmodel, the importer, Textual) are imported inside the functions
that need them, so ``recall --help`` and ``recall --version`` start fast.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, NoReturn

import typer

from recall import exit_codes
from recall.text import json_text, one_line, visible

if TYPE_CHECKING:
    from datetime import datetime

    from recall.clock import Clock
    from recall.config import Settings
    from recall.context import Context
    from recall.db.engine import Engine
    from recall.output import Destination
    from recall.reviewlog.catchup import CaughtUp

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
def _highlight_id(typed: str) -> int:
    """An id as typed: ASCII digits only (Python's int() would also take ``1_0`` or ``٣``)."""
    if not re.fullmatch(r"-?[0-9]+", typed):
        raise typer.BadParameter(f"{one_line(typed)!r} is not an id: use the digits `recall due` shows")
    return int(typed)


IdArgument = Annotated[
    int, typer.Argument(help="The highlight's id (see `recall due` or the export).", parser=_highlight_id)
]
SourceOption = Annotated[
    str | None,
    typer.Option("--source", help="Only highlights whose source title contains this, or of the source with this id."),
]
FavoritesOption = Annotated[bool, typer.Option("--favorites", "--favourites", help="Only favourite highlights.")]
AllOption = Annotated[
    bool,
    typer.Option("--all", help="Also fragments under min_words words and placeholders (an image alone, AirrQuote)."),
]
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


def echo_path(path: Path) -> None:
    """Print a path for scripts (``$(recall db path)``) exactly; on a terminal, with its
    control characters shown, as every other message shows it."""
    import sys

    if sys.stdout.isatty():
        typer.echo(visible(str(path)))
    else:  # as it is: typer.echo would drop escape sequences from a pipe
        sys.stdout.write(f"{path}\n")


def listed_as_json_or_empty(rows: list[dict[str, object]], as_json: bool) -> bool:
    """For a listing command: print ``rows`` as JSON with ``--json``, or say nothing is imported
    yet when there are none (on stderr); True when that was all there was to print."""
    if as_json:
        typer.echo(json_text(rows, indent=2))
        return True
    if not rows:
        typer.echo("Nothing imported yet: run `recall import PATH/TO/VAULT`.", err=True)
        return True
    return False


def fail(message: str, code: int = exit_codes.ERROR) -> NoReturn:
    """Stop with a message on stderr (one line, shown literally) and a documented exit code; never a traceback."""
    typer.echo(f"recall: {one_line(message)}", err=True)
    raise typer.Exit(code)


opened: dict[str, Path] = {}  # the database this run opened, named when the disk refuses a write


def open_engine(db: Path | None, create: bool = False) -> Engine:
    """The database at ``--db`` (or the default path), migrated. Only ``create`` (the import) makes a
    new one: any other command on a path with no database stops, saying to import first, so a typo
    in ``--db`` never leaves an empty database behind."""
    from recall.db.engine import DatabaseError, open_db
    from recall.output import refuse_protected_stdout
    from recall.paths import db_path

    path = opened["db"] = db_path(db)
    act(lambda: refuse_protected_stdout(path))  # data must not be printed onto the database
    if not create and not path.exists():
        where = "" if db is None else f" --db {path}"
        fail(f"no database at {path}: nothing imported there yet; run `recall import VAULT{where}` first")
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


def open_caught_up(db: Path | None, **overrides: object) -> Context:
    """``open_context``, then the database caught up with the review log (``catch_up_now``)."""
    context = open_context(db, **overrides)
    catch_up_now(context.engine, context.settings, context.now())
    return context


def open_caught_up_engine(db: Path | None) -> Engine:
    """The database caught up with the review log (``open_caught_up``), for the commands that
    show or export schedules and reviews, so they agree with ``due`` after a sync."""
    return open_caught_up(db).engine


def catch_up_now(engine: Engine, settings: Settings, now: datetime, *, after_import: bool = False) -> CaughtUp:
    """Catch the database up with every device's review log (``recall.reviewlog.catchup``); what
    the log holds that could not be read is a warning on stderr, never an exit code. Returns what
    the catch-up did."""
    from recall.reviewlog.catchup import catch_up
    from recall.reviewlog.writer import LogWriter

    done = catch_up(engine, LogWriter.of(settings), now, after_import=after_import)
    for warning in done.warnings:
        typer.echo(f"warning: review log: {one_line(warning)}", err=True)
    return done


def act(action: Callable[[], object]):
    """Run an action; a refusal from the library (a highlight that cannot take it, an output
    that must not or cannot be written) becomes its message and documented exit code."""
    try:
        return action()
    except Exception as error:
        code = exit_code_for(error)
        if code is None:
            raise
        fail(str(error), code)


def exit_code_for(error: Exception) -> int | None:
    """The documented exit code of a refusal from the library; None for any other error.
    This is the one place that maps the library's error types to exit codes."""
    from recall.output import OutputFailed, ProtectedOutput

    codes: list[tuple[type[Exception], int]] = [(ProtectedOutput, exit_codes.USAGE), (OutputFailed, exit_codes.ERROR)]
    actions = sys.modules.get("recall.scheduler.actions")  # not imported: none of its errors can be here
    if actions is not None:
        codes += [
            (actions.BadGrade, exit_codes.USAGE),
            (actions.HighlightNotFound, exit_codes.NOT_FOUND),
            (actions.HighlightUnavailable, exit_codes.INVALID_STATE),
            (actions.NotUndoable, exit_codes.INVALID_STATE),
            (actions.LogNotWritten, exit_codes.ERROR),
        ]
    load = sys.modules.get("recall.scheduler.load")  # postpone, advance, break
    if load is not None:
        codes += [(load.LoadRefused, exit_codes.INVALID_STATE)]
    study_break = sys.modules.get("recall.scheduler.study_break")
    if study_break is not None:
        codes += [(study_break.BadBreak, exit_codes.USAGE)]
    frequency = sys.modules.get("recall.scheduler.frequency")
    if frequency is not None:
        codes += [(frequency.SourceNotFound, exit_codes.NOT_FOUND), (frequency.SourceAmbiguous, exit_codes.USAGE)]
    return next((code for kind, code in codes if isinstance(error, kind)), None)


def output_destination(output: Path | None, db: Path | None) -> Destination:
    """Where ``-o`` (None: stdout) sends data; refused if it is the database, a file beside it or the settings."""
    from recall.output import destination
    from recall.paths import db_path

    return act(lambda: destination(output, db_path(db)))


def export_target(fmt: str, formats: Collection[str], output: Path | None, db: Path | None) -> Destination:
    """Where an export goes (``output_destination``), once ``fmt`` is known to be one of ``formats``;
    an unknown format stops with exit 2."""
    if fmt not in formats:
        fail(f"unknown format {fmt!r}; use one of {', '.join(formats)}", exit_codes.USAGE)
    return output_destination(output, db)


def write_export(target: Destination, writer: Callable[[IO[str]], int], noun: str) -> None:
    """Write an export to ``target`` (``writer`` returns how many rows it wrote) and say so on stderr:
    "12 reviews exported"."""
    count = act(lambda: target.write(writer))
    typer.echo(f"{count} {noun} exported", err=True)
