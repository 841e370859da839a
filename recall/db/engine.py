"""Opening the database: pragmas on every connection, migrations on open.

Every connection gets WAL (readers never block the writer), foreign keys, a busy
timeout and ``synchronous = NORMAL``. Transactions are explicit: ``BEGIN`` for readers and
``BEGIN IMMEDIATE`` for writers (see ``writing``), so two writers queue on the
busy timeout instead of failing with "database is locked" on a lock upgrade.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, Row, create_engine, event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from recall.db.failures import storage_failure
from recall.db.migrations import MIGRATIONS, SCHEMA_VERSION
from recall.output import OutputError, write_atomically

__all__ = [  # Connection, Engine and Row are named here for the layers above, which never import SQLAlchemy
    "Connection", "DatabaseError", "Engine", "Row", "SQLAlchemyError", "backup", "backup_path", "migrate", "open_db",
    "schema_version", "sqlite_connection", "writing",
]

BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "recall_write"
RECALL_TABLES = ("vaults", "sources", "files", "highlights", "occurrences", "reviews")  # in every version


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message says why."""


def open_db(path: Path) -> Engine:
    """An engine on ``path`` (created if new), migrated to the current schema.

    Raises DatabaseError when ``path`` is not a regular file (``/dev/null``, a folder),
    is not SQLite, belongs to another program or to a newer recall, or cannot be upgraded.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode if path.exists() else stat.S_IFREG
    except OSError as error:
        raise DatabaseError(f"cannot use {path}: {error.strerror}") from error
    if not stat.S_ISREG(mode):
        raise DatabaseError(f"{path} is not a database file (it is a folder or a device); give a file path")
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    try:
        migrate(engine, path)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(storage_failure(error, path) or f"{path}: {error}") from error
    except DBAPIError as error:  # SQLAlchemy wraps sqlite3's errors
        if isinstance(error.orig, sqlite3.DatabaseError):
            raise DatabaseError(storage_failure(error, path) or f"{path}: {error.orig}") from error
        raise
    return engine


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    dbapi_connection.execute("PRAGMA journal_mode = WAL")
    # In WAL mode NORMAL never corrupts and survives any process kill; only a power
    # failure can lose the last commits. It halves the cost of each commit.
    dbapi_connection.execute("PRAGMA synchronous = NORMAL")
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


def _on_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction, committed on success and rolled back on error."""
    with engine.connect() as connection:
        connection = connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            yield connection


def sqlite_connection(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy one, for ``executemany``-speed bulk work."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def schema_version(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())


def migrate(engine: Engine, path: Path) -> None:
    """Apply pending migrations in one transaction, after backing up existing data.

    Raises DatabaseError for a schema version this recall does not know (newer, or
    negative) and for another program's database (version 0 with tables of its own):
    recall never adds its tables to it.
    """
    version, tables = _version_and_tables(engine)
    if version < 0:
        raise DatabaseError(f"{path} has schema version {version}, which no recall writes; it is not recall's database")
    if version == 0 and tables:
        raise DatabaseError(
            f"{path} is another program's SQLite database (tables: {', '.join(sorted(tables)[:5])}); "
            "recall will not add its tables to it: give another --db"
        )
    if version > 0 and (missing := [name for name in RECALL_TABLES if name not in tables]):
        raise DatabaseError(
            f"{path} is not a recall database: it says schema version {version} but has no "
            f"{', '.join(missing)} table{'s' if len(missing) > 1 else ''}; give another --db"
        )
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} uses schema version {version}, newer than this recall understands "
            f"({SCHEMA_VERSION}); upgrade recall"
        )
    if version == SCHEMA_VERSION:
        return
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        cursor = driver.cursor()
        cursor.execute("BEGIN IMMEDIATE")  # a second recall opening the database now waits here
        try:
            current = cursor.execute("PRAGMA user_version").fetchone()[0]  # it may have upgraded meanwhile
            if current < SCHEMA_VERSION:
                if current > 0:  # the backup reads, on its own connection, the data this lock keeps still
                    backup(engine, backup_path(path, current))
                for migration in MIGRATIONS[current:SCHEMA_VERSION]:
                    migration(cursor)
                cursor.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
    finally:
        raw.close()


def _version_and_tables(engine: Engine) -> tuple[int, set[str]]:
    """``PRAGMA user_version`` and the names of the tables (SQLite's own left out)."""
    with engine.connect() as connection:
        version = int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())
        tables = set(connection.exec_driver_sql(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).scalars())
    return version, tables


def backup_path(path: Path, version: int) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.stem}.v{version}-{stamp}.backup{path.suffix}")


def backup(engine: Engine, target: Path) -> None:
    """A consistent copy of the database at ``target`` (``VACUUM INTO``), complete or not at all.

    The copy is written beside ``target`` and renamed into place when it is whole
    (``recall.output.write_atomically``). Raises ``DatabaseError`` when ``target``
    already exists or cannot be written.
    """
    if target.exists():
        raise DatabaseError(f"{target} already exists; choose another file")

    def fill(temporary: Path) -> None:
        raw = engine.raw_connection()  # VACUUM cannot run inside the transaction SQLAlchemy would begin
        try:
            driver = raw.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            driver.execute("VACUUM INTO ?", (str(temporary),))
        except sqlite3.OperationalError as error:
            raise OSError(str(error)) from error
        finally:
            raw.close()
        with open(temporary, "rb+") as copy:
            os.fsync(copy.fileno())

    try:
        write_atomically(target, fill)
    except OutputError as error:
        raise DatabaseError(str(error)) from error
