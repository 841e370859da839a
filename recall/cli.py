"""The ``recall`` command line: a thin typer layer over the modules that do the work.

Heavy modules (sqlmodel, the importer, Textual) are imported inside the commands
that need them, so ``recall --help`` and ``recall --version`` start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, NoReturn

import typer

from recall import __version__, exit_codes

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(
    name="recall",
    help="Bring back what you read: import highlights from your vault and review them daily (SM-2).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
export_app = typer.Typer(help="Export data as CSV or JSON (data on stdout, messages on stderr).", no_args_is_help=True)
app.add_typer(export_app, name="export")

DbOption = Annotated[
    Path | None,
    typer.Option("--db", envvar="RECALL_DB", help="Database file [default: recall.db in the user data folder].",
                 show_default=False, dir_okay=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]


def fail(message: str, code: int = exit_codes.ERROR) -> NoReturn:
    """Stop with a message on stderr and a documented exit code; never a traceback."""
    typer.echo(f"recall: {message}", err=True)
    raise typer.Exit(code)


def open_engine(db: Path | None) -> Engine:
    from recall.db.engine import DatabaseError, open_db
    from recall.paths import db_path

    try:
        return open_db(db_path(db))
    except DatabaseError as error:
        fail(str(error))


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
        typer.Argument(help="Vault folders to import [default: every vault imported before].", show_default=False),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import highlight notes from a vault (run it after every sync; unchanged files are not re-read).

    Exit codes: 0 ok, 1 error, 3 imported but some files were skipped (see the warnings).
    """
    import json

    from recall.clock import clock_from_env
    from recall.importer.sync import ImportReport, VaultNotFound, import_vault, known_vaults

    engine = open_engine(db)
    roots = list(paths or []) or known_vaults(engine)
    if not roots:
        fail("no vault given and none imported before: run `recall import PATH/TO/VAULT`", exit_codes.USAGE)
    try:
        now = clock_from_env().now()
    except ValueError as error:
        fail(str(error), exit_codes.USAGE)
    report = ImportReport()
    for root in roots:
        with _progress(f"Importing {root}") as progress:
            try:
                import_vault(engine, root, now, report, progress)
            except VaultNotFound as error:
                fail(f"vault not found: {error}")
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(report.summary(), err=True)
    if report.files_skipped:
        raise typer.Exit(exit_codes.PARTIAL)


@app.command("sources")
def sources_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the imported sources (books, articles, tweets, podcasts) with their highlight counts."""
    import json

    from recall.db.queries import source_listing

    rows = source_listing(open_engine(db))
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("Nothing imported yet: run `recall import PATH/TO/VAULT`.", err=True)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("Title", "Author", "Category", "Highlights", box=None, header_style="bold")
    for row in rows:
        table.add_row(row["title"], row["author"] or "", row["category"] or "", str(row["active"]), markup=False)
    Console(markup=False, highlight=False).print(table)
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
    engine = open_engine(db)
    count = _write(lambda out: write_rows(export_highlights(engine), HIGHLIGHT_COLUMNS, fmt, out), output)
    typer.echo(f"{count} highlights exported", err=True)


def _write(writer: Callable[[IO[str]], int], output: Path | None) -> int:
    """Run ``writer`` on stdout or on ``output``."""
    if output is None:
        return writer(sys.stdout)
    try:
        with output.open("w", encoding="utf-8", newline="") as out:
            return writer(out)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror}")


class _progress:
    """A progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True, redirect_stdout=False, redirect_stderr=False)
        self.bar.start()
        task = self.bar.add_task(self.label, total=None)
        return lambda done, total: self.bar.update(task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def main() -> None:
    app()
