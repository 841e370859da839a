"""The migrations and the table models describe the same schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from recall.db.engine import DatabaseError, open_db, schema_version
from recall.db.migrations import SCHEMA_VERSION
from recall.db.models import SQLModel


def test_models_match_migrated_tables(engine) -> None:
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            columns = {row[1] for row in connection.exec_driver_sql(f"PRAGMA table_info({table.name})")}
            assert columns == {c.name for c in table.columns}, table.name


def test_every_connection_gets_wal_foreign_keys_and_busy_timeout(engine) -> None:
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    assert schema_version(engine) == SCHEMA_VERSION


def test_reopening_is_a_no_op_and_creates_no_backup(db_file: Path) -> None:
    open_db(db_file)
    open_db(db_file)
    assert sorted(p.name for p in db_file.parent.glob("*.backup*")) == []


def test_newer_schema_is_refused(db_file: Path) -> None:
    open_db(db_file)
    with sqlite3.connect(db_file) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(DatabaseError, match="newer than this recall"):
        open_db(db_file)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not sqlite " * 100)
    with pytest.raises(DatabaseError, match="notes.db"):
        open_db(bogus)
