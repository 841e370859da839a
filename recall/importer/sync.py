"""Bring the database in line with a vault: incremental, idempotent, lossless.

1. Walk the vault (stat only). Files whose size and mtime are unchanged are not
   read; files whose bytes hash the same as last time are not parsed.
2. Files that are gone lose their occurrences (their highlights are not touched).
3. Changed files are parsed and applied in chunks, each in its own transaction:
   sources and files are upserted, the chunk's highlights staged in a temporary
   table and merged into ``highlights`` by key with set-based SQL.
4. Highlights that no longer occur in any file are retired (kept, with their
   history, out of the queue); ones that come back are restored.

A kill at any point leaves a consistent database, and the next import converges
to the same result as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from recall.db.engine import writing
from recall.db.timestamps import utc_text
from recall.importer.identity import FALLBACK_WITH_LOCATION
from recall.importer.parse import MAX_FILE_BYTES, NotAHighlightNote, ParsedNote, decode, parse_note
from recall.importer.walk import Entry, walk_vault

CHUNK_FILES = 500
CHUNK_HIGHLIGHTS = 20_000


@dataclass
class ImportReport:
    """What one import did, for the summary line and ``--json``."""

    vaults: list[str] = field(default_factory=list)
    files_read: int = 0
    files_unchanged: int = 0
    files_ignored: int = 0  # Markdown files that are not highlight notes
    files_skipped: int = 0  # could not be read or parsed: see warnings
    files_removed: int = 0
    highlights_new: int = 0
    highlights_updated: int = 0
    highlights_unchanged: int = 0
    highlights_retired: int = 0
    highlights_restored: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"files: {self.files_read} read, {self.files_unchanged} unchanged, "
            f"{self.files_ignored} not highlight notes, {self.files_skipped} skipped, "
            f"{self.files_removed} removed; highlights: {self.highlights_new} new, "
            f"{self.highlights_updated} updated, {self.highlights_unchanged} unchanged, "
            f"{self.highlights_retired} retired, {self.highlights_restored} restored"
        )


@dataclass(slots=True)
class _Known:
    id: int
    size: int
    mtime_ns: int
    content_hash: str
    present: bool


@dataclass(slots=True)
class _Read:
    """A changed file, read and parsed (``note`` is None for an ordinary note)."""

    entry: Entry
    content_hash: str
    note: ParsedNote | None
    same_bytes: bool = False  # touched but not changed: only the stat is updated


Progress = Callable[[int, int], None]  # (files done, files total)


class VaultNotFound(Exception):
    """The vault folder does not exist or is not a folder."""


def import_vault(
    engine: Engine, root: Path, now: datetime, report: ImportReport, progress: Progress | None = None
) -> None:
    """Import one vault into the database, adding what happened to ``report``."""
    root = root.expanduser().resolve()
    if not root.is_dir():
        raise VaultNotFound(f"{root}: not a folder")
    report.vaults.append(str(root))
    stamp = utc_text(now)
    walk_warnings: list[tuple[str, str]] = []
    entries = list(walk_vault(root, walk_warnings))
    for where, reason in walk_warnings:
        report.warnings.append(f"{where}: {reason}")

    with writing(engine) as connection:
        db = _raw(connection)
        vault_id = _upsert_vault(db, str(root), stamp)
        known = {
            path: _Known(*row)
            for path, *row in db.execute(
                "SELECT path, id, size, mtime_ns, content_hash, present FROM files WHERE vault_id = ?",
                (vault_id,),
            )
        }
        present_now = {entry.rel for entry in entries}
        gone = [k.id for path, k in known.items() if k.present and path not in present_now]
        if gone:
            db.executemany("UPDATE files SET present = 0 WHERE id = ?", [(i,) for i in gone])
            db.executemany("DELETE FROM occurrences WHERE file_id = ?", [(i,) for i in gone])
        report.files_removed += len(gone)

    pending: list[_Read] = []
    pending_highlights = 0
    for done, entry in enumerate(entries, 1):
        if progress:
            progress(done, len(entries))
        previous = known.get(entry.rel)
        if previous and previous.present and (previous.size, previous.mtime_ns) == (entry.size, entry.mtime_ns):
            report.files_unchanged += 1
            continue
        read = _read(root, entry, previous, report)
        if read is None:
            continue
        pending.append(read)
        pending_highlights += len(read.note.highlights) if read.note else 0
        if len(pending) >= CHUNK_FILES or pending_highlights >= CHUNK_HIGHLIGHTS:
            _apply_chunk(engine, vault_id, pending, known, stamp, report)
            pending, pending_highlights = [], 0
    if pending:
        _apply_chunk(engine, vault_id, pending, known, stamp, report)

    with writing(engine) as connection:
        db = _raw(connection)
        report.highlights_retired += db.execute(
            "UPDATE highlights SET retired = 1, last_seen = ? WHERE NOT retired AND NOT EXISTS "
            "(SELECT 1 FROM occurrences o WHERE o.highlight_id = highlights.id)",
            (stamp,),
        ).rowcount
        db.execute("UPDATE vaults SET last_import_at = ? WHERE id = ?", (stamp, vault_id))


def known_vaults(engine: Engine) -> list[Path]:
    """The vaults imported before, oldest first."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT root FROM vaults ORDER BY id").all()
    return [Path(root) for (root,) in rows]


def _read(root: Path, entry: Entry, previous: _Known | None, report: ImportReport) -> _Read | None:
    """Read, hash and parse one file; None when it is unchanged or unreadable."""
    where = root / entry.rel
    if entry.size > MAX_FILE_BYTES:
        report.files_skipped += 1
        report.warnings.append(
            f"{where}: {entry.size / 1e6:.1f} MB is too large for a highlight note "
            f"(limit {MAX_FILE_BYTES // 2**20} MiB); skipped"
        )
        return None
    try:
        data = where.read_bytes()
    except OSError as error:
        report.files_skipped += 1
        reason = "vanished during the import" if isinstance(error, FileNotFoundError) else error.strerror
        report.warnings.append(f"{where}: cannot read ({reason}); skipped")
        return None
    content_hash = hashlib.blake2b(data, digest_size=16).hexdigest()
    if previous and previous.present and previous.content_hash == content_hash:
        report.files_unchanged += 1
        return _Read(entry, content_hash, note=None, same_bytes=True)
    text, warnings = decode(data)
    try:
        note: ParsedNote | None = parse_note(text, entry.rel)
    except NotAHighlightNote:
        note = None
        report.files_ignored += 1
    else:
        warnings.extend(note.warnings)
        report.files_read += 1
    for line, message in warnings:
        report.warnings.append(f"{where}:{line}: {message}")
    return _Read(entry, content_hash, note)


def _apply_chunk(
    engine: Engine, vault_id: int, chunk: list[_Read], known: dict[str, _Known], stamp: str, report: ImportReport
) -> None:
    """Write one chunk of read files in one transaction."""
    with writing(engine) as connection:
        db = _raw(connection)
        staged: list[tuple[object, ...]] = []
        for read in chunk:
            entry, note = read.entry, read.note
            previous = known.get(entry.rel)
            if read.same_bytes and previous:
                db.execute(
                    "UPDATE files SET size = ?, mtime_ns = ?, last_seen = ? WHERE id = ?",
                    (entry.size, entry.mtime_ns, stamp, previous.id),
                )
                continue
            source_id = _upsert_source(db, note, stamp) if note else None
            file_id = db.execute(
                "INSERT INTO files (vault_id, path, size, mtime_ns, content_hash, source_id, is_note, present,"
                " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (vault_id, path) DO UPDATE SET"
                " size = excluded.size, mtime_ns = excluded.mtime_ns, content_hash = excluded.content_hash,"
                " source_id = excluded.source_id, is_note = excluded.is_note, present = 1,"
                " last_seen = excluded.last_seen RETURNING id",
                (vault_id, entry.rel, entry.size, entry.mtime_ns, read.content_hash, source_id, note is not None, stamp),
            ).fetchone()[0]
            if previous:
                db.execute("DELETE FROM occurrences WHERE file_id = ?", (file_id,))
            for h in note.highlights if note else ():
                staged.append(
                    (h.key, source_id, file_id, h.line, h.text, h.note, json.dumps(h.tags, ensure_ascii=False) if h.tags else "[]",
                     h.location, h.location_url, h.chapter)
                )
        if staged:
            _merge_staged(db, staged, stamp, report)


def _merge_staged(db: sqlite3.Connection, staged: list[tuple[object, ...]], stamp: str, report: ImportReport) -> None:
    """Merge staged highlight rows into ``highlights`` by key; count what changed."""
    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS staged (seq INTEGER PRIMARY KEY, key TEXT, source_id INTEGER,"
        " file_id INTEGER, line INTEGER, text TEXT, note TEXT, tags TEXT, location TEXT, location_url TEXT,"
        " chapter TEXT)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS temp.staged_key ON staged(key)")
    db.executemany(
        "INSERT INTO staged (key, source_id, file_id, line, text, note, tags, location, location_url, chapter)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        staged,
    )
    # One row per key: the first place it occurs wins.
    db.execute("CREATE TEMP VIEW IF NOT EXISTS first_staged AS SELECT * FROM staged WHERE seq IN"
               " (SELECT min(seq) FROM staged GROUP BY key)")
    distinct = db.execute("SELECT count(*) FROM first_staged").fetchone()[0]
    _match_location_edits(db)
    updated = db.execute(
        "UPDATE highlights SET source_id = s.source_id, text = s.text, note = s.note, tags = s.tags,"
        " location = s.location, location_url = s.location_url, chapter = s.chapter, retired = 0, last_seen = ?"
        " FROM first_staged AS s WHERE highlights.key = s.key AND (highlights.source_id IS NOT s.source_id"
        " OR highlights.text IS NOT s.text OR highlights.note IS NOT s.note OR highlights.tags IS NOT s.tags"
        " OR highlights.location IS NOT s.location OR highlights.location_url IS NOT s.location_url"
        " OR highlights.chapter IS NOT s.chapter)",
        (stamp,),
    ).rowcount
    restored = db.execute(
        "UPDATE highlights SET retired = 0, last_seen = ? WHERE retired AND key IN (SELECT key FROM staged)",
        (stamp,),
    ).rowcount
    new = db.execute(
        "INSERT INTO highlights (key, source_id, text, note, tags, location, location_url, chapter,"
        " first_seen, last_seen) SELECT key, source_id, text, note, tags, location, location_url, chapter, ?, ?"
        " FROM first_staged WHERE true ON CONFLICT (key) DO NOTHING",
        (stamp, stamp),
    ).rowcount
    db.execute(
        "INSERT OR IGNORE INTO occurrences (file_id, line, highlight_id)"
        " SELECT s.file_id, s.line, h.id FROM staged s JOIN highlights h ON h.key = s.key"
    )
    db.execute("DELETE FROM staged")
    report.highlights_new += new
    report.highlights_updated += updated
    report.highlights_restored += restored
    report.highlights_unchanged += distinct - new - updated - restored


def _match_location_edits(db: sqlite3.Connection) -> None:
    """Where a Kindle location is the only identity, a highlight that vanished from a
    source and a new one at the same location of the same source are one edited
    highlight: re-key the old row so it keeps its history."""
    orphans: dict[tuple[int, str], list[int]] = defaultdict(list)
    for row_id, source_id, location in db.execute(
        "SELECT h.id, h.source_id, h.location FROM highlights h"
        " WHERE h.key LIKE ? AND NOT h.retired AND h.source_id IN (SELECT source_id FROM staged)"
        " AND NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.highlight_id = h.id)"
        " AND h.key NOT IN (SELECT key FROM staged) ORDER BY h.id",
        (FALLBACK_WITH_LOCATION + "%",),
    ):
        orphans[(source_id, location)].append(row_id)
    if not orphans:
        return
    for key, source_id, location in db.execute(
        "SELECT s.key, s.source_id, s.location FROM first_staged s WHERE s.key LIKE ?"
        " AND NOT EXISTS (SELECT 1 FROM highlights h WHERE h.key = s.key) ORDER BY s.seq",
        (FALLBACK_WITH_LOCATION + "%",),
    ).fetchall():
        candidates = orphans.get((source_id, location))
        if candidates:
            db.execute("UPDATE highlights SET key = ? WHERE id = ?", (key, candidates.pop(0)))


def _upsert_vault(db: sqlite3.Connection, root: str, stamp: str) -> int:
    return db.execute(
        "INSERT INTO vaults (root, first_import_at, last_import_at) VALUES (?, ?, ?)"
        " ON CONFLICT (root) DO UPDATE SET root = excluded.root RETURNING id",
        (root, stamp, stamp),
    ).fetchone()[0]


def _upsert_source(db: sqlite3.Connection, note: ParsedNote, stamp: str) -> int:
    return db.execute(
        "INSERT INTO sources (key, title, author, category, url, cover_url, first_seen, last_seen)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET title = excluded.title,"
        " author = excluded.author, category = coalesce(excluded.category, category),"
        " url = coalesce(excluded.url, url), cover_url = coalesce(excluded.cover_url, cover_url),"
        " last_seen = excluded.last_seen RETURNING id",
        (note.source_key, note.title, note.author, note.category, note.url, note.cover_url, stamp, stamp),
    ).fetchone()[0]


def _raw(connection: object) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy one, for executemany-speed bulk work."""
    return connection.connection.driver_connection  # type: ignore[attr-defined, no-any-return]
