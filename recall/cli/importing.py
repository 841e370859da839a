"""`recall import` (a vault, a folder in one, a note; or every vault known), `--explain`,
and `recall vaults` (list, forget)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from recall import exit_codes
from recall.cli.common import (
    DbOption,
    JsonOption,
    app,
    catch_up_now,
    fail,
    listed_as_json_or_empty,
    open_engine,
    settings_and_clock,
    vaults_app,
)
from recall.text import json_text, one_line


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
    from recall.reviewlog.writer import LogWriter

    settings, clock = settings_and_clock()
    folders = tuple(settings.highlight_folders)
    if explain is not None:
        _explain(explain, folders, as_json)
        return
    engine = open_engine(db, create=True)
    if not paths and not known_roots(engine):
        fail("no vault given and none imported before: run `recall import PATH/TO/VAULT`", exit_codes.USAGE)
    try:
        now = clock.now()
    except ValueError as error:
        fail(str(error), exit_codes.USAGE)
    report = ImportReport()
    try:
        with stop_on_signals() as stopping, progress("Importing") as update:
            errors = import_paths(
                engine, list(paths or []), now, report, folders, update, stopping, LogWriter.of(settings)
            )
    except Interrupted as stop:
        fail(f"interrupted: {stop.done:,} of {stop.total:,} notes imported; run `recall import` again to finish",
             exit_codes.INTERRUPTED)
    caught = catch_up_now(engine, settings, now, after_import=True)  # the highlights the log names exist by now
    for absorbed in report.absorbed:
        typer.echo(f"{one_line(absorbed)} is now imported as part of the vault that holds it", err=True)
    for warning in report.warning_lines(verbose):
        typer.echo(f"warning: {one_line(warning)}", err=True)
    if as_json:
        applied = {"events_new": caught.events_new, "highlights_replayed": caught.highlights}
        typer.echo(json_text({**report.as_dict(), "review_log": applied}, indent=2))
    else:
        typer.echo(report.summary(), err=True)
        if caught.events_new:
            typer.echo(
                f"review log: {caught.events_new:,} new event(s) applied to {caught.highlights:,} highlight(s)", err=True
            )
    for problem in errors:
        typer.echo(f"recall: {one_line(problem)}", err=True)
    if errors:
        raise typer.Exit(exit_codes.ERROR)
    if report.partial:
        raise typer.Exit(exit_codes.PARTIAL)


def _explain(path: Path, folders: tuple[str, ...], as_json: bool) -> None:
    from recall.importer.explain import NotRead, explain, render

    try:
        explanation = explain(path, folders)
    except OSError as error:
        fail(f"{path}: cannot read ({error.strerror or error})", exit_codes.USAGE)
    except NotRead as skipped:
        fail(str(skipped), exit_codes.PARTIAL)
    if as_json:
        typer.echo(json_text(explanation.as_dict(), indent=2))
    else:
        typer.echo("\n".join(render(explanation)))


@vaults_app.callback()
def vaults_command(context: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the vaults imported, with their notes and highlights, and whether each folder is there now."""
    if context.invoked_subcommand is not None:
        return
    from recall.db.vaults import vault_listing

    rows = vault_listing(open_engine(db))
    if listed_as_json_or_empty(rows, as_json):
        return
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
