"""`recall vaults`: the vaults imported, and forgetting one.

Forgetting a vault deletes its files, the highlights found only in it, and their
reviews (each review row points at its highlight); highlights also found in another
vault stay, with their history. A backup of the database is written first, so that
the history can be brought back.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, distinct, func, select

from recall.db.conditions import in_library
from recall.db.engine import backup, sqlite_connection, writing
from recall.db.models import FILES, HIGHLIGHTS, OCCURRENCES, VAULTS
from recall.db.timestamps import iso_instant
from recall.fsnames import from_stored, readable

# The highlights found in vault :v and in no other, and the retired ones (found nowhere
# now) of sources that only vault :v has ever held.
ONLY_HERE = """
    SELECT o.highlight_id AS id FROM occurrences o JOIN files f ON f.id = o.file_id WHERE f.vault_id = :v
    EXCEPT
    SELECT o.highlight_id FROM occurrences o JOIN files f ON f.id = o.file_id WHERE f.vault_id != :v
    UNION
    SELECT h.id FROM highlights h
    WHERE h.source_id IN (SELECT source_id FROM files WHERE vault_id = :v)
      AND h.source_id NOT IN (SELECT source_id FROM files WHERE vault_id != :v AND source_id IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.highlight_id = h.id)
"""
FOUND_HERE = "SELECT DISTINCT o.highlight_id FROM occurrences o JOIN files f ON f.id = o.file_id WHERE f.vault_id = :v"


def vault_listing(engine: Engine) -> list[dict[str, Any]]:
    """The vaults imported, oldest first: [{"root": the folder (U+FFFD for bytes that are
    not UTF-8), "present": whether the folder is there now, "notes": highlight notes in
    it, "highlights": active highlights found in it, "last_import": UTC instant, ISO text}]."""
    v, f, o, h = VAULTS.c, FILES.c, OCCURRENCES.c, HIGHLIGHTS.c
    notes = select(func.count()).where(f.vault_id == v.id, f.present, f.is_note).scalar_subquery()
    found = (
        select(func.count(distinct(o.highlight_id))).join_from(OCCURRENCES, FILES, f.id == o.file_id)
        .join(HIGHLIGHTS, h.id == o.highlight_id).where(f.vault_id == v.id, in_library()).scalar_subquery()
    )
    with engine.connect() as connection:
        rows = connection.execute(select(v.root, v.last_import_at, notes, found).order_by(v.id)).all()
    return [
        {"root": readable(root), "present": Path(from_stored(root)).is_dir(), "notes": notes,
         "highlights": highlights, "last_import": iso_instant(last_import)}
        for root, last_import, notes, highlights in rows
    ]


def first_vault_root(connection: Connection) -> str | None:
    """The folder (as stored: ``recall.fsnames.from_stored`` makes it a path) of the vault
    imported first, the oldest in ``vault_listing``; None when no vault is imported."""
    return connection.execute(select(VAULTS.c.root).order_by(VAULTS.c.id).limit(1)).scalar()


def vault_root_list(connection: Connection) -> list[str | bytes]:
    """Every imported vault's folder, as stored, oldest first (``first_vault_root`` is the first)."""
    return list(connection.execute(select(VAULTS.c.root).order_by(VAULTS.c.id)).scalars())


@dataclass(frozen=True, slots=True)
class Forgetting:
    """What forgetting vault ``vault_id`` (at ``root``, shown) removes: its files (of which
    ``notes`` highlight notes), the ``highlights`` found only there and their ``reviews``;
    ``shared`` highlights also found in another vault are kept."""

    vault_id: int
    root: str
    notes: int
    highlights: int
    reviews: int
    shared: int

    def told(self) -> str:
        """The counts in words: "12 notes, 140 highlights found only there and their 31 reviews
        (3 highlights also in another vault are kept)"."""
        kept = f" ({self.shared:,} highlights also in another vault are kept)" if self.shared else ""
        return (f"{self.notes:,} notes, {self.highlights:,} highlights found only there and their "
                f"{self.reviews:,} reviews{kept}")


def plan_forgetting(engine: Engine, path: Path) -> Forgetting | None:
    """What forgetting the vault at ``path`` (as given: relative, ``~``, through a link,
    or no longer there) would remove; None when no vault imported has that root."""
    wanted = {Path(path).expanduser().absolute(), Path(path).expanduser().resolve()}
    with engine.connect() as connection:
        db = sqlite_connection(connection)
        for vault_id, root in db.execute("SELECT id, root FROM vaults ORDER BY id").fetchall():
            if Path(from_stored(root)) in wanted:
                return _counts(db, vault_id, readable(root))
    return None


def forget(engine: Engine, plan: Forgetting, db_file: Path, now: datetime) -> tuple[Forgetting, Path]:
    """Back the database up beside ``db_file`` (``<name>.forget-<UTC time>.backup.db``,
    ``now`` giving the time), then delete in one transaction what ``plan`` names (counted
    again inside it). Returns what was deleted and the backup's path. Raises
    recall.db.engine.DatabaseError when the backup cannot be written (nothing deleted)."""
    target = backup_beside(db_file, now, "forget")
    backup(engine, target)
    with writing(engine) as connection:
        db = sqlite_connection(connection)
        done = _counts(db, plan.vault_id, plan.root)
        v = {"v": plan.vault_id}
        db.execute("CREATE TEMP TABLE forgotten AS " + ONLY_HERE, v)
        db.execute(
            "CREATE TEMP TABLE forgotten_sources AS SELECT source_id AS id FROM files WHERE vault_id = :v"
            " UNION SELECT h.source_id FROM highlights h JOIN forgotten USING (id)",
            v,
        )
        db.execute("DELETE FROM reviews WHERE highlight_id IN (SELECT id FROM forgotten)")
        db.execute("DELETE FROM files WHERE vault_id = :v", v)  # and their occurrences (ON DELETE CASCADE)
        db.execute("DELETE FROM highlights WHERE id IN (SELECT id FROM forgotten)")
        db.execute(
            "DELETE FROM sources WHERE id IN (SELECT id FROM forgotten_sources)"
            " AND NOT EXISTS (SELECT 1 FROM highlights h WHERE h.source_id = sources.id)"
            " AND NOT EXISTS (SELECT 1 FROM files f WHERE f.source_id = sources.id)"
        )
        db.execute("DELETE FROM vaults WHERE id = :v", v)
        db.execute("DROP TABLE forgotten")
        db.execute("DROP TABLE forgotten_sources")
    return done, target


def _counts(db: sqlite3.Connection, vault_id: int, root: str) -> Forgetting:
    v = {"v": vault_id}
    scalar = lambda sql: db.execute(sql, v).fetchone()[0]  # noqa: E731
    return Forgetting(
        vault_id=vault_id,
        root=root,
        notes=scalar("SELECT count(*) FROM files WHERE vault_id = :v AND present AND is_note"),
        highlights=scalar(f"SELECT count(*) FROM ({ONLY_HERE})"),
        reviews=scalar(f"SELECT count(*) FROM reviews WHERE highlight_id IN ({ONLY_HERE})"),
        shared=scalar(f"SELECT count(*) FROM ({FOUND_HERE}) WHERE highlight_id NOT IN ({ONLY_HERE})"),
    )


def backup_beside(db_file: Path, now: datetime, why: str) -> Path:
    """Where a backup taken before ``why`` (``forget``, ``rebuild``) at ``now`` goes:
    ``recall.forget-20260302T093000Z.backup.db`` beside ``db_file`` (``-2``, ``-3``, …
    added when a backup of that second exists)."""
    base = f"{db_file.stem}.{why}-{now.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    target, number = db_file.with_name(f"{base}.backup{db_file.suffix}"), 1
    while target.exists():
        number += 1
        target = db_file.with_name(f"{base}-{number}.backup{db_file.suffix}")
    return target
