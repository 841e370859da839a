"""`recall db status | check`: what is in the database and whether it is sound."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Engine, Table, and_, func, not_, select
from sqlalchemy.exc import DBAPIError

from recall.db.conditions import count_where, in_library
from recall.db.engine import schema_version
from recall.db.models import FILES, HIGHLIGHTS, REVIEWS, SOURCES, VAULTS
from recall.db.timestamps import iso_instant
from recall.fsnames import readable


def status(engine: Engine, path: Path) -> dict[str, Any]:
    """Location, size, schema version and row counts; ``last_import`` of each vault as ISO 8601 (or None)."""
    h, f = HIGHLIGHTS.c, FILES.c
    by_status = select(
        count_where(in_library()), count_where(and_(h.retired, not_(h.discarded))), count_where(h.discarded)
    )
    with engine.connect() as connection:
        active, retired, discarded = connection.execute(by_status).one()
        vaults = connection.execute(select(VAULTS.c.root, VAULTS.c.last_import_at).order_by(VAULTS.c.id)).all()

        def rows(table: Table, *where: ColumnElement[bool]) -> int:
            return int(connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one())

        return {
            "path": str(path),
            "size_bytes": path.stat().st_size if path.exists() else 0,
            "schema_version": schema_version(engine),
            "highlights": {"active": active, "retired": retired, "discarded": discarded},
            "sources": rows(SOURCES),
            "files": rows(FILES, f.present),
            "reviews": rows(REVIEWS),
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
