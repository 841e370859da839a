"""The floor recall's import is measured against: plain Python that walks a vault,
reads every note, splits out its highlights and inserts them with one
``executemany`` in one transaction. No identity, no re-sync, no safety: just the
work any importer must do.

    python bench/plain_baseline.py VAULT DB
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import time

LOCATION = re.compile(r" \(\[([^\]]+)\]\(([^)]+)\)\)$")


def split_highlights(text: str) -> list[tuple[str, str | None, str | None]]:
    """Top-level ``- `` items of the highlights sections, with their trailing location link."""
    items: list[list[str]] = []
    inside = False
    for line in text.split("\n"):
        if line.startswith("## "):
            inside = line.startswith(("## Highlights", "## New highlights"))
        elif inside and line.startswith("- "):
            items.append([line[2:]])
        elif inside and items and line.startswith("  ") and not line.startswith("    - "):
            items[-1].append(line[2:])
    found = []
    for lines in items:
        body = "\n".join(lines)
        match = LOCATION.search(lines[-1])
        if match:
            body = body[: len(body) - len(lines[-1]) + match.start()]
        found.append((body, match.group(1) if match else None, match.group(2) if match else None))
    return found


def main(vault: str, db_path: str) -> None:
    started = time.perf_counter()
    rows = []
    for folder, subfolders, files in os.walk(vault):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in files:
            if name.endswith(".md"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as handle:
                    rows.extend((path, *found) for found in split_highlights(handle.read()))
    parsed = time.perf_counter()
    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE highlights (id INTEGER PRIMARY KEY, path TEXT, text TEXT, location TEXT, url TEXT)")
    with db:
        db.executemany("INSERT INTO highlights (path, text, location, url) VALUES (?, ?, ?, ?)", rows)
    db.close()
    done = time.perf_counter()
    print(f"{len(rows)} highlights; parse {parsed - started:.2f} s, insert {done - parsed:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
