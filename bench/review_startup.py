"""Time to first card of ``recall review`` in a real (pseudo-)terminal, on a large database.

    .venv/bin/python bench/review_startup.py --highlights 200000 --runs 5

Builds a database of N highlights (10% due, 20 new a day, a month of review
history), then starts ``python -m recall review`` in a pty N times, reads the
milestones the app appends to ``$RECALL_STARTUP_LOG`` (see recall/tui/timing.py),
presses ``q`` and prints the medians. ``first_card_ms`` counts from the start of
the review command, ``process_ms`` from the start of the process.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from datetime import date, timedelta
from pathlib import Path

from run import compile_bytecode

DAY = date(2026, 3, 2)
NOW = "2026-03-02T09:30:00+00:00"
STAMP = "2026-01-01 00:00:00.000000"


def make_db(path: Path, highlights: int) -> None:
    """A migrated database with ``highlights`` highlights, a tenth of them due today or earlier."""
    from recall.db.engine import open_db

    open_db(path).dispose()
    db = sqlite3.connect(path)
    with db:
        db.execute("INSERT INTO vaults (root, first_import_at, last_import_at) VALUES ('/vault', ?, ?)", (STAMP, STAMP))
        sources = max(1, highlights // 50)
        categories = ("books", "articles", "tweets")
        db.executemany(
            "INSERT INTO sources (id, key, title, author, category, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(i, f"s{i}", f"Book number {i}", f"Author {i % 997}", categories[i % 3], STAMP, STAMP)
             for i in range(1, sources + 1)],
        )
        db.executemany(
            "INSERT INTO files (id, vault_id, path, size, mtime_ns, content_hash, source_id, is_note, last_seen)"
            " VALUES (?, 1, ?, 0, 0, '', ?, 1, ?)",
            [(i, f"Readwise/Books/Book {i}.md", i, STAMP) for i in range(1, sources + 1)],
        )

        def row(i: int) -> tuple:
            kind = i % 10
            due = None if kind < 3 else (DAY + timedelta(days=(i % 60) - 6)).isoformat()
            reps = 0 if due is None else 1 + i % 5
            text = f"Highlight {i}: " + "some words to read " * (1 + i % 8)
            return (i, f"h{i}", 1 + (i - 1) % sources, text,
                    json.dumps([f"tag{i % 40}"]), f"Location {i}", f"https://example.com/{i}", STAMP, STAMP,
                    reps, 250, 6 if reps else 0, due)

        db.executemany(
            "INSERT INTO highlights (id, key, source_id, text, tags, location, location_url, first_seen, last_seen,"
            " repetitions, easiness, interval, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row(i) for i in range(1, highlights + 1)),
        )
        db.executemany(
            "INSERT INTO occurrences (file_id, line, highlight_id) VALUES (?, ?, ?)",
            ((1 + (i - 1) % sources, 10 + i, i) for i in range(1, highlights + 1)),
        )
        history = [
            (1 + (back * 50 + k) % highlights, f"{day} 08:00:00.000000", day.isoformat())
            for back in range(1, 31) for k in range(50) if (day := DAY - timedelta(days=back))
        ]
        db.executemany(
            "INSERT INTO reviews (highlight_id, reviewed_at, study_day, grade, kind, seconds, repetitions_before,"
            " easiness_before, interval_before, repetitions_after, easiness_after, interval_after)"
            " VALUES (?, ?, ?, 4, 'review', 3, 1, 250, 1, 2, 250, 6)",
            history,
        )
    db.close()


def run_review(
    db: Path, size: tuple[int, int] = (100, 30), timeout: float = 30.0, command: list[str] | None = None,
    quit_key: bytes = b"q",
) -> dict:
    """Start ``recall review`` (or ``command``) in a pty, wait for its first card, press ``quit_key``;
    the startup record (``wall_ms``: from spawning to the record) and exit status."""
    with tempfile.TemporaryDirectory() as home:
        log = Path(home) / "startup.jsonl"
        env = {**os.environ, "RECALL_HOME": home, "RECALL_NOW": NOW, "RECALL_STARTUP_LOG": str(log),
               "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])}
        env.pop("RECALL_DB", None)
        env.pop("TEXTUAL", None)
        (Path(home) / "config.toml").write_text('timezone = "UTC"\n', encoding="utf-8")
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        started = time.perf_counter()
        process = subprocess.Popen(
            command or [sys.executable, "-m", "recall", "review", "--db", str(db)],
            stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True, start_new_session=True,
        )
        os.close(follower)
        record: dict = {}
        screen = bytearray()
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not record:
                if not _read_into(screen, leader):
                    break
                if log.exists() and log.read_text().strip():
                    record = json.loads(log.read_text().splitlines()[0])
                    record["wall_ms"] = round((time.perf_counter() - started) * 1000, 1)
            time.sleep(0.2)  # let the frame with the card reach the terminal
            os.write(leader, quit_key)
            while process.poll() is None and time.monotonic() < deadline + 5:
                if not _read_into(screen, leader):
                    break
            record["exit"] = process.wait(timeout=5)
        finally:
            if process.poll() is None:
                process.kill()
            os.close(leader)
        record["screen_bytes"] = len(screen)
        record["screen_text"] = screen.decode("utf-8", "replace")
        return record


def _read_into(screen: bytearray, leader: int) -> bool:
    """Add what the app drew in the next 50 ms to ``screen``; False once the terminal is gone."""
    if select.select([leader], [], [], 0.05)[0]:
        try:
            screen += os.read(leader, 65536)
        except OSError:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--highlights", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_bytecode(Path(__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        began = time.perf_counter()
        make_db(db, args.highlights)
        print(f"database with {args.highlights} highlights built in {time.perf_counter() - began:.1f} s")
        records = [run_review(db) for _ in range(args.runs)]
    for r in records:
        print({k: v for k, v in r.items() if k != "screen_text"})
    for key in ("first_paint_ms", "loaded_ms", "first_card_ms", "process_ms", "wall_ms"):
        values = [r[key] for r in records if r.get(key) is not None]
        if values:
            print(f"median {key}: {statistics.median(values):.0f}")


if __name__ == "__main__":
    main()
