"""The ``recall`` command line: a thin typer layer over the modules that do the work.

One module per command group (``importing``, ``reviewing``, ``reporting``, ``admin``),
sharing ``common``. Heavy modules (sqlmodel, the importer, Textual) are imported inside
the commands that need them, so ``recall --help`` and ``recall --version`` start fast.
"""

from __future__ import annotations

from typing import Annotated

import typer
from typer import Abort
from typer._click.exceptions import ClickException

from recall import __version__, exit_codes
from recall.cli import (  # noqa: F401 - each registers its commands
    admin,
    browsing,
    importing,
    load,
    optimizing,
    reporting,
    reviewing,
    scheduling,
)
from recall.cli.common import app, opened
from recall.text import visible

__all__ = ["app", "main"]


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


def _refuse_stdout_onto_recall_files() -> None:
    """Standard output redirected onto the settings file or the default database is
    refused before any command runs (``--db`` is checked when the database opens)."""
    import os
    import stat

    try:
        redirected = stat.S_ISREG(os.fstat(1).st_mode)
    except OSError:
        return
    if redirected:
        from recall.output import ProtectedOutput, refuse_protected_stdout
        from recall.paths import db_path

        try:
            refuse_protected_stdout(db_path(None))
        except ProtectedOutput as error:
            typer.echo(f"recall: {error}", err=True)
            raise SystemExit(exit_codes.USAGE) from None


def main() -> None:
    """The ``recall`` command: a full disk, a read-only or damaged database is one line and exit 1;
    a usage error repeats what was typed with its control characters shown, never executed."""
    import os

    # recall uses no pydantic plugins; looking for them reads every installed package's metadata
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    try:
        _refuse_stdout_onto_recall_files()
        code = app(standalone_mode=False)
    except ClickException as error:  # typer's usage errors quote the arguments as typed
        error.message = visible(error.message)
        error.show()
        raise SystemExit(error.exit_code) from None
    except Abort:
        typer.echo("Aborted!", err=True)
        raise SystemExit(exit_codes.ERROR) from None
    except Exception as error:
        from recall.db.failures import database_failure

        message = database_failure(error, opened.get("db"))
        if message is None:
            raise
        typer.echo(f"recall: {message}", err=True)
        raise SystemExit(exit_codes.ERROR) from None
    raise SystemExit(code if isinstance(code, int) else exit_codes.OK)
