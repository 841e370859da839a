"""`recall db status | check`: what is in the database and whether it is sound."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from recall.db.engine import schema_version
from recall.db.timestamps import iso_instant
from recall.fsnames import readable


def status(engine: Engine, path: Path) -> dict[str, Any]:
    """Location, size, schema version and row counts; ``last_import`` of each vault as ISO 8601 (or None)."""
    with engine.connect() as connection:
        scalar = lambda sql: connection.exec_driver_sql(sql).scalar_one()  # noqa: E731
        vaults = connection.exec_driver_sql("SELECT root, last_import_at FROM vaults ORDER BY id").all()
        return {
            "path": str(path),
            "size_bytes": path.stat().st_size if path.exists() else 0,
            "schema_version": schema_version(engine),
            "highlights": {
                "active": scalar("SELECT count(*) FROM highlights WHERE NOT retired AND NOT discarded"),
                "retired": scalar("SELECT count(*) FROM highlights WHERE retired AND NOT discarded"),
                "discarded": scalar("SELECT count(*) FROM highlights WHERE discarded"),
            },
            "sources": scalar("SELECT count(*) FROM sources"),
            "files": scalar("SELECT count(*) FROM files WHERE present"),
            "reviews": scalar("SELECT count(*) FROM reviews"),
            "vaults": [{"root": readable(root), "last_import": iso_instant(when)} for root, when in vaults],
        }


def check(engine: Engine) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks (empty when sound); a file
    too damaged for the checks to run is one problem saying so."""
    try:
        with engine.connect() as connection:
            problems = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check") if row[0] != "ok"]
            problems += [
                f"{table} row {rowid} points to a missing {parent} row"
                for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check")
            ]
    except DBAPIError as error:
        return [f"SQLite cannot check it: {error.orig}"]
    return problems
