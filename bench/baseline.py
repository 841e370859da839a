"""The reference recall's import is judged against: plain Python, standard library only,
that does the work any importer must do and nothing else.

It walks the vault (skipping dot-folders such as ``.obsidian/``), reads every ``.md``,
splits out the highlights with a simple line-based split (top-level ``- `` items inside
``## Highlights`` / ``## New highlights ...`` sections, their two-space continuation
lines, the trailing ``([label](url))`` location link pulled off the last line) and
inserts them with one ``sqlite3.executemany`` in one transaction into a simple table.
No identity, no re-sync, no metadata, no warnings, no safety.

    python bench/baseline.py VAULT DB                   # the reference
    python bench/baseline.py VAULT DB --recall-schema   # informational: same work, recall's tables

Prints one JSON object: ``{"highlights", "files", "parse_s", "insert_s", "total_s"}``
(``parse_s`` is walk + read + split; ``insert_s`` is connect, create, executemany, commit).
DB is replaced if it exists.

``--recall-schema`` writes the same rows into recall's own schema (recall/db/migrations.py,
WAL, foreign keys on, as recall opens it): a vault, one source and one file per note, the
highlights keyed by their location URL, their occurrences; still one transaction and
``executemany``. It separates what the schema costs from what recall's code costs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time

LINK_START = " (["  # the location link ends the item's last line: " ([Location 12](https://...))"


def split_highlights(text: str) -> list[tuple[str, str | None, str | None]]:
    """(text, location label, location url) for each highlight bullet of a note."""
    found: list[tuple[str, str | None, str | None]] = []
    item: list[str] | None = None
    inside = False

    def close(lines: list[str]) -> None:
        last = lines[-1]
        label = url = None
        at = last.rfind(LINK_START)
        if at >= 0 and last.endswith("))"):
            middle = last.find("](", at)
            if middle > 0:
                label, url = last[at + 3 : middle], last[middle + 2 : -2]
                lines[-1] = last[:at]
        found.append(("\n".join(lines), label, url))

    for line in text.split("\n"):
        if line.startswith("#"):
            if item:
                close(item)
                item = None
            inside = line.startswith(("## Highlights", "## New highlights"))
        elif not inside:
            continue
        elif line.startswith("- "):
            if item:
                close(item)
            item = [line[2:]]
        elif item is not None and line.startswith("  ") and not line.startswith("    - "):
            item.append(line[2:])  # a continuation paragraph of the highlight
    if item:
        close(item)
    return found


def insert_recall_schema(db_path: str, vault: str, notes: list[tuple[str, int]],
                         rows: list[tuple[str, str, str | None, str | None]]) -> None:
    """The same rows in recall's tables (imported lazily: the reference itself needs nothing of recall)."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from recall.db.migrations import MIGRATIONS

    stamp = "2026-03-02 09:30:00.000000"
    db = sqlite3.connect(db_path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
        db.execute(f"PRAGMA {pragma}")
    db.executescript(MIGRATIONS[0])
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO vaults (id, root, first_import_at, last_import_at) VALUES (1, ?, ?, ?)", (vault, stamp, stamp))
    db.executemany("INSERT INTO sources (id, key, title, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)",
                   [(i, path, path, stamp, stamp) for i, (path, _) in enumerate(notes, 1)])
    db.executemany("INSERT INTO files (id, vault_id, path, size, mtime_ns, content_hash, source_id, is_note, last_seen)"
                   " VALUES (?, 1, ?, ?, 0, '', ?, 1, ?)",
                   [(i, path, size, i, stamp) for i, (path, size) in enumerate(notes, 1)])
    file_ids = {path: i for i, (path, _) in enumerate(notes, 1)}
    db.executemany(
        "INSERT OR IGNORE INTO highlights (id, key, source_id, text, location, location_url, first_seen, last_seen)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(i, url or f"{path}#{i}", file_ids[path], text, label, url, stamp, stamp)
         for i, (path, text, label, url) in enumerate(rows, 1)],
    )
    db.executemany("INSERT OR IGNORE INTO occurrences (file_id, line, highlight_id) VALUES (?, ?, ?)",
                   [(file_ids[path], i, i) for i, (path, *_) in enumerate(rows, 1)])
    db.execute("COMMIT")
    db.close()


def main(vault: str, db_path: str, recall_schema: bool = False) -> dict[str, float | int]:
    started = time.perf_counter()
    rows: list[tuple[str, str, str | None, str | None]] = []
    notes: list[tuple[str, int]] = []
    for folder, subfolders, names in os.walk(vault):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            if name.endswith(".md"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
                notes.append((path, len(text)))
                rows.extend((path, body, label, url) for body, label, url in split_highlights(text))
    parsed = time.perf_counter()
    for leftover in (db_path, db_path + "-journal", db_path + "-wal", db_path + "-shm"):
        if os.path.exists(leftover):
            os.remove(leftover)
    if recall_schema:
        insert_recall_schema(db_path, vault, notes, rows)
    else:
        db = sqlite3.connect(db_path)
        db.execute("CREATE TABLE highlights (id INTEGER PRIMARY KEY, path TEXT, text TEXT, location TEXT, url TEXT)")
        with db:  # one transaction
            db.executemany("INSERT INTO highlights (path, text, location, url) VALUES (?, ?, ?, ?)", rows)
        db.close()
    done = time.perf_counter()
    return {
        "highlights": len(rows),
        "files": len(notes),
        "parse_s": round(parsed - started, 4),
        "insert_s": round(done - parsed, 4),
        "total_s": round(done - started, 4),
    }


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--recall-schema"]
    if len(arguments) != 2:
        raise SystemExit(__doc__)
    print(json.dumps(main(arguments[0], arguments[1], recall_schema="--recall-schema" in sys.argv)))
