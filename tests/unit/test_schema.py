"""The migrations and the table models describe the same schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from recall.db.engine import DatabaseError, open_db, schema_version
from recall.db.migrations import SCHEMA_VERSION
from recall.db.models import SQLModel

SYNONYMS = {"VARCHAR": "TEXT", "FLOAT": "REAL"}  # the same storage class, spelled by SQLAlchemy


def _checks(sql: str) -> set[str]:
    """The CHECK constraints in a CREATE TABLE, without spaces."""
    found, start = set(), sql.find("CHECK")
    while start != -1:
        depth, position = 0, sql.index("(", start)
        while True:
            depth += {"(": 1, ")": -1}.get(sql[position], 0)
            if depth == 0:
                break
            position += 1
        found.add("".join(sql[start:position + 1].split()))
        start = sql.find("CHECK", position)
    return found


def describe(path: Path) -> dict[str, object]:
    """Everything SQLite knows of a schema that matters to recall, in comparable form: per table
    its columns (name, type, not null, default, key), indexes (with uniqueness and a partial
    WHERE), foreign keys (with ON DELETE), CHECKs, rowid and AUTOINCREMENT, a virtual table's
    definition (the search index) and every trigger's SQL (spaces folded)."""
    schema: dict[str, object] = {}
    with sqlite3.connect(path) as raw:
        tables = raw.execute(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for name, sql in tables:
            columns = [
                (column, SYNONYMS.get(kind.upper(), kind.upper()), bool(notnull or pk), default, pk)
                for _, column, kind, notnull, default, pk in raw.execute(f"PRAGMA table_info({name})")
            ]
            indexes = set()
            for _, index, unique, origin, partial in raw.execute(f"PRAGMA index_list({name})"):
                if origin == "pk":
                    continue
                keys = tuple(row[2] for row in raw.execute(f"PRAGMA index_info({index})"))
                where = raw.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (index,)).fetchone()[0]
                where = " ".join(where.split(" WHERE ", 1)[1].split()) if partial else None
                indexes.add((keys, bool(unique), where, index if origin == "c" else None))
            foreign = {row[2:7] for row in raw.execute(f"PRAGMA foreign_key_list({name})")}
            flags = ("WITHOUT ROWID" in sql.upper(), "AUTOINCREMENT" in sql.upper())
            virtual = " ".join(sql.split()) if sql.upper().startswith("CREATE VIRTUAL TABLE") else None
            schema[name] = (columns, indexes, foreign, _checks(sql), flags, virtual)
        for name, sql in raw.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'"):
            schema[f"trigger {name}"] = " ".join(sql.split())
    return schema


def test_a_database_migrated_from_nothing_equals_one_created_from_the_models(tmp_path: Path) -> None:
    """The table models are the schema: migrations must arrive exactly at it."""
    from sqlalchemy import create_engine

    migrated, modelled = tmp_path / "migrated.db", tmp_path / "modelled.db"
    open_db(migrated).dispose()
    engine = create_engine(f"sqlite:///{modelled}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    assert describe(migrated) == describe(modelled)


def test_the_comparison_sees_a_difference(tmp_path: Path) -> None:
    """A migration that forgot an index, a default or a CHECK would not pass unseen."""
    path = tmp_path / "recall.db"
    open_db(path).dispose()
    before = describe(path)
    with sqlite3.connect(path) as raw:
        raw.execute("DROP INDEX reviews_day")
    assert describe(path) != before


def test_the_comparison_sees_a_trigger_that_differs(tmp_path: Path) -> None:
    """The search index's triggers are compared too: one that lost its WHEN would not pass unseen."""
    path = tmp_path / "recall.db"
    open_db(path).dispose()
    before = describe(path)
    assert "trigger highlights_fts_update" in before and before["highlights_fts"][-1].startswith("CREATE VIRTUAL")
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TRIGGER highlights_fts_update")
        raw.execute("CREATE TRIGGER highlights_fts_update AFTER UPDATE OF text ON highlights BEGIN SELECT 1; END")
    assert describe(path) != before


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
