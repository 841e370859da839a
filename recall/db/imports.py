"""The import's reads and writes: vaults, files, sources, highlights and where they occur.

The importer decides (what is new, changed, restored or gone, which rows are re-keyed,
how files are chunked); ``ImportStore`` only reads and writes rows, inside one write
transaction opened with ``writing``, and stamps every row it writes with the import's
instant (stored as UTC text, ``recall.db.timestamps.utc_text``, the form SQLAlchemy
stores datetimes in).

What an import runs once (its vault, the other vaults, the next id, retiring) is Core
statements on the models' tables. The per-file and per-highlight statements are SQL text
on the sqlite3 connection under SQLAlchemy's, with ``executemany`` for a chunk's rows: as
a Core insert, 200,000 highlight rows take three times as long (4.6–6.3 s instead of 1.6 s).

Paths and roots are as ``recall.fsnames.storable`` stores them (text, or bytes for names
that are not UTF-8; vault-relative, '/'-separated, for files); ids are rowids.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, exists, func, select, update
from sqlalchemy.dialects.sqlite import insert

from recall.db.engine import Engine, sqlite_connection
from recall.db.engine import writing as write_transaction
from recall.db.logevents import keys_with_events
from recall.db.models import HIGHLIGHTS, OCCURRENCES, VAULTS
from recall.db.replayed import State, stored_states
from recall.db.timestamps import utc_text
from recall.db.vaults import first_vault_root, vault_root_list

v, h = VAULTS.c, HIGHLIGHTS.c

HIGHLIGHT_CONTENT = (
    "source_id", "text", "note", "tags", "location", "location_url", "chapter", "words", "placeholder",
)
"""The highlight columns an import writes from a note, in the order of every content tuple:
(source id, text, note, tags as JSON text, location, location url, chapter, and the text's
``recall.quality`` measure: words, placeholder), the measure taken by the reading workers."""

LOOKUP_BATCH = 5_000  # keys a query may hold: SQLite's limit on bound values is 32,766

_MARKS = ", ".join("?" * len(HIGHLIGHT_CONTENT))
_STORED = f"SELECT key, id, retired, {', '.join(HIGHLIGHT_CONTENT)} FROM highlights"
_INSERT_HIGHLIGHT = (
    f"INSERT INTO highlights (id, key, {', '.join(HIGHLIGHT_CONTENT)}, first_seen, last_seen)"
    f" VALUES (?, ?, {_MARKS}, ?, ?)"
)
_UPDATE_HIGHLIGHT = (
    f"UPDATE highlights SET {', '.join(f'{c} = ?' for c in HIGHLIGHT_CONTENT)}, retired = 0, last_seen = ? WHERE id = ?"
)
_UNPLACED = (
    f"SELECT h.key, h.id, h.retired, {', '.join('h.' + c for c in HIGHLIGHT_CONTENT)} FROM highlights h"
    " WHERE h.source_id IN ({marks}) AND h.key LIKE ? AND NOT h.retired"
    " AND NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.highlight_id = h.id) ORDER BY h.id"
)

StoredHighlight = tuple[Any, ...]
"""A highlight as stored: (id, retired as 0 or 1, *content in ``HIGHLIGHT_CONTENT`` order)."""


class StoredFile(NamedTuple):
    """A ``files`` row: ``path`` as stored, ``size`` in bytes, ``mtime_ns`` in nanoseconds
    (-1 when the file must be read again), ``content_hash`` of its bytes, ``present`` (0 or 1)
    whether the last import found it."""

    path: str | bytes
    id: int
    size: int
    mtime_ns: int
    content_hash: str
    present: int


@contextmanager
def writing(engine: Engine, now: datetime) -> Iterator[ImportStore]:
    """One write transaction (``BEGIN IMMEDIATE``, see ``recall.db.engine.writing``) of the
    import made at ``now`` (aware): committed when the block ends, rolled back when it raises."""
    with write_transaction(engine) as connection:
        yield ImportStore(connection, now.astimezone(UTC))


def vault_roots(engine: Engine) -> list[str | bytes]:
    """The roots of the vaults imported (and not forgotten), as stored, oldest first."""
    with engine.connect() as connection:
        return vault_root_list(connection)


class ImportStore:
    """The statements of an import, run in the transaction ``writing`` opened; every row
    written is stamped with the import's instant."""

    def __init__(self, connection: Connection, now: datetime) -> None:
        self._connection = connection
        self._db: sqlite3.Connection = sqlite_connection(connection)  # the same connection, for executemany
        self._now = now  # the import's instant, UTC
        self._stamp = utc_text(now)  # the same, as stored
        self.rekeyed: list[tuple[str, str]] = []  # (old key, new key) of each highlight re-keyed, in order

    # Vaults

    def upsert_vault(self, root: str | bytes) -> int:
        """The id of the vault at ``root``, registered now (first and last import) if new."""
        statement = insert(VAULTS).values(root=root, first_import_at=self._now, last_import_at=self._now)
        statement = statement.on_conflict_do_update(index_elements=[v.root], set_={"root": statement.excluded.root})
        return int(self._connection.execute(statement.returning(v.id)).scalar_one())

    def other_vaults(self, vault_id: int) -> list[tuple[int, str | bytes]]:
        """(id, root) of every vault but ``vault_id``."""
        return [(int(i), root) for i, root in self._connection.execute(select(v.id, v.root).where(v.id != vault_id))]

    def absorb_vault(
        self, other_id: int, vault_id: int, dropped: Sequence[int], moved: Sequence[tuple[int, str | bytes]]
    ) -> None:
        """Make vault ``other_id`` part of ``vault_id``: delete the files ``dropped`` (ids; their
        occurrences go with them), move the files ``moved`` ((id, new path) pairs) into
        ``vault_id``, and delete the vault ``other_id``, which must hold no file by then."""
        self._db.executemany("DELETE FROM files WHERE id = ?", [(file_id,) for file_id in dropped])
        self._db.executemany(
            "UPDATE files SET path = ?, vault_id = ? WHERE id = ?", [(path, vault_id, i) for i, path in moved]
        )
        self._connection.execute(delete(VAULTS).where(v.id == other_id))

    def mark_imported(self, vault_id: int) -> None:
        """Record now as the vault's last import."""
        self._connection.execute(update(VAULTS).where(v.id == vault_id).values(last_import_at=self._now))

    # Files and sources

    def files_of_vault(self, vault_id: int) -> list[StoredFile]:
        """Every file row of the vault, present or gone, in no particular order."""
        rows = self._db.execute(
            "SELECT path, id, size, mtime_ns, content_hash, present FROM files WHERE vault_id = ?", (vault_id,)
        )
        return list(map(StoredFile._make, rows))

    def mark_files_gone(self, file_ids: Sequence[int]) -> None:
        """The files (ids) are no longer there: not present, and nothing occurs in them."""
        rows = [(file_id,) for file_id in file_ids]
        self._db.executemany("UPDATE files SET present = 0 WHERE id = ?", rows)
        self._db.executemany("DELETE FROM occurrences WHERE file_id = ?", rows)

    def touch_file(self, file_id: int, size: int, mtime_ns: int) -> None:
        """A file whose bytes are unchanged, seen now: its new ``size`` (bytes) and ``mtime_ns``."""
        self._db.execute(
            "UPDATE files SET size = ?, mtime_ns = ?, last_seen = ? WHERE id = ?", (size, mtime_ns, self._stamp, file_id)
        )

    def upsert_file(
        self, vault_id: int, path: str | bytes, size: int, mtime_ns: int, content_hash: str,
        source_id: int | None, is_note: bool,
    ) -> int:
        """Store the file at ``path`` in the vault as read now (present), adding its row if new;
        returns its id. ``source_id``: the source its note is of."""
        return int(self._db.execute(
            "INSERT INTO files (vault_id, path, size, mtime_ns, content_hash, source_id, is_note, present,"
            " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (vault_id, path) DO UPDATE SET"
            " size = excluded.size, mtime_ns = excluded.mtime_ns, content_hash = excluded.content_hash,"
            " source_id = excluded.source_id, is_note = excluded.is_note, present = 1,"
            " last_seen = excluded.last_seen RETURNING id",
            (vault_id, path, size, mtime_ns, content_hash, source_id, is_note, self._stamp),
        ).fetchone()[0])

    def clear_occurrences(self, file_id: int) -> None:
        """Forget where highlights occur in the file (before it is read again)."""
        self._db.execute("DELETE FROM occurrences WHERE file_id = ?", (file_id,))

    def upsert_source(self, source: tuple[str | None, ...]) -> int:
        """Store ``source`` ((key, title, author, category, url, cover url)) as seen now,
        adding its row if new; returns its id. Category, url and cover url given as None keep
        the stored ones."""
        return int(self._db.execute(
            "INSERT INTO sources (key, title, author, category, url, cover_url, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET title = excluded.title,"
            " author = excluded.author, category = coalesce(excluded.category, category),"
            " url = coalesce(excluded.url, url), cover_url = coalesce(excluded.cover_url, cover_url),"
            " last_seen = excluded.last_seen RETURNING id",
            (*source, self._stamp, self._stamp),
        ).fetchone()[0])

    # Highlights

    def any_highlights(self) -> bool:
        """Does the database hold a highlight (of any status)?"""
        return bool(self._connection.execute(select(exists().where(h.id.is_not(None)))).scalar_one())

    def stored_highlights(self, keys: Sequence[str]) -> dict[str, StoredHighlight]:
        """The highlights stored under ``keys`` (the keys with none left out): key -> row."""
        rows: dict[str, StoredHighlight] = {}
        for start in range(0, len(keys), LOOKUP_BATCH):
            batch = keys[start : start + LOOKUP_BATCH]
            for key, *rest in self._db.execute(f"{_STORED} WHERE key IN ({_marks(batch)})", batch):
                rows[key] = tuple(rest)
        return rows

    def unplaced_highlights(self, source_ids: Sequence[int], key_pattern: str) -> list[tuple[str, StoredHighlight]]:
        """(key, row) of the active highlights of the sources ``source_ids`` whose key is
        ``LIKE key_pattern`` and that occur in no file now, oldest (lowest id) first."""
        return [
            (key, tuple(rest))
            for key, *rest in self._db.execute(_UNPLACED.format(marks=_marks(source_ids)), (*source_ids, key_pattern))
        ]

    def rekey(self, highlight_id: int, key: str, old_key: str) -> None:
        """Give the highlight (now ``old_key``) a new key (it keeps its id, so its history);
        ``rekeyed`` keeps ``(old_key, key)`` for the review log."""
        self._db.execute("UPDATE highlights SET key = ? WHERE id = ?", (key, highlight_id))
        self.rekeyed.append((old_key, key))

    def states_of(self, keys: Sequence[str]) -> dict[str, State]:
        """The stored schedule and marks of the highlights ``keys`` name (``replayed.STATE`` order)."""
        return stored_states(self._connection, keys)

    def keys_with_events(self, keys: Sequence[str]) -> set[str]:
        """Those of ``keys`` that events read from the review log name."""
        return keys_with_events(self._connection, keys)

    def first_vault_root(self) -> str | bytes | None:
        """The vault imported first, as stored (``vaults.first_vault_root``)."""
        return first_vault_root(self._connection)

    def next_highlight_id(self) -> int:
        """The id the next new highlight gets (one above the highest; the writer holds the lock)."""
        return int(self._connection.execute(select(func.coalesce(func.max(h.id), 0) + 1)).scalar_one())

    def insert_highlights(self, rows: Sequence[tuple[int, str, tuple[Any, ...]]]) -> None:
        """New highlights, first seen now: (id, key, content) each."""
        stamp = self._stamp
        self._db.executemany(_INSERT_HIGHLIGHT, [(row_id, key, *content, stamp, stamp) for row_id, key, content in rows])

    def update_highlights(self, rows: Sequence[tuple[int, tuple[Any, ...]]]) -> None:
        """Highlights whose content changed, seen now (and so active again): (id, content) each."""
        stamp = self._stamp
        self._db.executemany(_UPDATE_HIGHLIGHT, [(*content, stamp, row_id) for row_id, content in rows])

    def restore_highlights(self, highlight_ids: Sequence[int]) -> None:
        """Retired highlights found again, content unchanged: active again, seen now."""
        self._db.executemany(
            "UPDATE highlights SET retired = 0, last_seen = ? WHERE id = ?", [(self._stamp, i) for i in highlight_ids]
        )

    def add_occurrences(self, rows: Sequence[tuple[int, int, int]]) -> None:
        """Where highlights occur: (file id, line number, highlight id) each; one already
        recorded at that file and line is kept."""
        self._db.executemany("INSERT OR IGNORE INTO occurrences (file_id, line, highlight_id) VALUES (?, ?, ?)", rows)

    def retire_unseen(self) -> int:
        """Retire every active highlight that occurs in no file (last seen now); returns how many."""
        placed = exists().where(OCCURRENCES.c.highlight_id == h.id)
        statement = update(HIGHLIGHTS).where(~h.retired, ~placed).values(retired=True, last_seen=self._now)
        return int(self._connection.execute(statement).rowcount)


def _marks(values: Sequence[object]) -> str:
    """One ``?`` per value, comma-separated."""
    return ", ".join("?" * len(values))
