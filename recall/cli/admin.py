"""Settings and the database file: `recall config path|show|init`, `recall db path|status|backup|check`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from recall import exit_codes
from recall.cli.common import (
    DbOption,
    JsonOption,
    act,
    catch_up_now,
    config_app,
    db_app,
    echo_path,
    fail,
    open_caught_up_engine,
    open_context,
    open_engine,
    output_destination,
)
from recall.text import json_text, one_line


@config_app.command("path")
def config_path_command() -> None:
    """Print where the settings file is (it need not exist)."""
    from recall.paths import config_path

    echo_path(config_path())


@config_app.command("show")
def config_show_command(as_json: JsonOption = False) -> None:
    """Print the settings in effect (file values over defaults)."""
    from recall.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as error:
        fail(str(error), exit_codes.USAGE)
    values = settings.model_dump()
    if as_json:
        typer.echo(json_text(values, indent=2))
    else:
        for key, value in values.items():
            typer.echo(f"{key} = {json_text(value)}")


@config_app.command("init")
def config_init_command() -> None:
    """Write a commented settings file with every default, unless one exists."""
    from recall.config import DEFAULT_CONFIG_TEXT
    from recall.output import refuse_protected, write_text
    from recall.paths import config_path, db_path

    target = config_path()
    act(lambda: refuse_protected(target, db_path(None), settings=False))  # RECALL_CONFIG may name the database
    if target.exists():
        fail(f"a settings file already exists at {target}; edit it, or delete it to write a fresh one")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot create {target.parent}: {error.strerror or error}")
    act(lambda: write_text(target, lambda out: out.write(DEFAULT_CONFIG_TEXT)))
    echo_path(target)


@db_app.command("path")
def db_path_command(db: DbOption = None) -> None:
    """Print which database file recall uses (it need not exist yet)."""
    from recall.output import refuse_protected_stdout
    from recall.paths import db_path

    act(lambda: refuse_protected_stdout(db_path(db)))
    echo_path(db_path(db))


@db_app.command("status")
def db_status_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Schema version, size and what the database holds."""
    from recall.db.admin import status
    from recall.paths import db_path

    info = status(open_caught_up_engine(db), db_path(db))
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

    output_destination(target, db)
    try:
        backup(open_engine(db), target)
    except DatabaseError as error:
        fail(str(error))
    typer.echo(f"backed up to {one_line(str(target))}", err=True)


@db_app.command("check")
def db_check_command(db: DbOption = None) -> None:
    """Check the database: SQLite's integrity and foreign keys, then its schedules and reviews
    against the replay of the review log, after catching up with it.

    Exit codes: 1 the database is damaged, or differs from the log's replay (`recall db rebuild`
    makes it equal); 3 it agrees, but the log has something to look at (lines not read, events
    from a clock over a day ahead, two events under one id, undos of nothing, a study day that
    is not its instant's).
    """
    from recall.db.admin import check
    from recall.reviewlog.audit import audit

    context = open_context(db)
    problems = check(context.engine)  # before anything is written: a damaged file is told as it is
    for problem in problems:
        typer.echo(problem)
    if problems:
        fail(f"{len(problems)} problem(s) found")
    catch_up_now(context.engine, context.settings, context.now())
    found = audit(context.engine, context.settings.review_log, context.now())
    for line in found.diverged:
        typer.echo(f"diverged: {one_line(line)}")
    for line in found.flags:
        typer.echo(f"flagged: {one_line(line)}")
    told = f"{found.events} events in the review log, {found.highlights} highlights"
    if found.diverged:
        fail(f"{len(found.diverged)} difference(s) from the review log ({told}); `recall db rebuild` replays it")
    if found.flags:
        typer.echo(f"{len(found.flags)} thing(s) to look at in the review log ({told})", err=True)
        raise typer.Exit(exit_codes.PARTIAL)
    typer.echo(f"ok ({told})")


@db_app.command("rebuild")
def db_rebuild_command(db: DbOption = None) -> None:
    """Make the database the replay of the review log again: every schedule, mark and review.

    A backup of the database is written first, beside it. Exit codes: 1 the backup or the log
    cannot be written (nothing changed).
    """
    from recall.db.engine import DatabaseError, backup
    from recall.db.vaults import backup_beside
    from recall.paths import db_path
    from recall.reviewlog.catchup import rebuild
    from recall.reviewlog.files import LogWriteError
    from recall.reviewlog.writer import LogWriter

    context = open_context(db)
    now = context.now()
    target = backup_beside(db_path(db), now, "rebuild")
    try:
        backup(context.engine, target)
        done = rebuild(context.engine, LogWriter.of(context.settings), now)
    except (DatabaseError, LogWriteError) as error:
        fail(str(error))
    typer.echo(f"backup of the database before: {one_line(str(target))}", err=True)
    for warning in done.warnings:
        typer.echo(f"warning: review log: {one_line(warning)}", err=True)
    typer.echo(f"rebuilt {done.highlights} highlights from {done.events_new} events of the review log", err=True)
