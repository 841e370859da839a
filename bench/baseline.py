"""The reference recall's import is judged against: plain Python, standard library only,
that does the work any importer must do and nothing else.

It walks the vault (skipping dot-folders such as ``.obsidian/``), reads every ``.md``,
splits out the highlights with a simple line-based split (top-level ``- `` items inside
``## Highlights`` / ``## New highlights ...`` sections, their two-space continuation
lines, the trailing ``([label](url))`` location link pulled off the last line) and
inserts them with one ``sqlite3.executemany`` in one transaction into a simple table.
No identity, no re-sync, no metadata, no warnings, no safety.

    python bench/baseline.py VAULT DB

Prints one JSON object: ``{"highlights", "files", "parse_s", "insert_s", "total_s"}``
(``parse_s`` is walk + read + split; ``insert_s`` is connect, create, executemany, commit).
DB is replaced if it exists.
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


def main(vault: str, db_path: str) -> dict[str, float | int]:
    started = time.perf_counter()
    rows: list[tuple[str, str, str | None, str | None]] = []
    files = 0
    for folder, subfolders, names in os.walk(vault):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            if name.endswith(".md"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
                files += 1
                rows.extend((path, body, label, url) for body, label, url in split_highlights(text))
    parsed = time.perf_counter()
    for leftover in (db_path, db_path + "-journal", db_path + "-wal", db_path + "-shm"):
        if os.path.exists(leftover):
            os.remove(leftover)
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE highlights (id INTEGER PRIMARY KEY, path TEXT, text TEXT, location TEXT, url TEXT)")
    with db:  # one transaction
        db.executemany("INSERT INTO highlights (path, text, location, url) VALUES (?, ?, ?, ?)", rows)
    db.close()
    done = time.perf_counter()
    return {
        "highlights": len(rows),
        "files": files,
        "parse_s": round(parsed - started, 4),
        "insert_s": round(done - parsed, 4),
        "total_s": round(done - started, 4),
    }


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
