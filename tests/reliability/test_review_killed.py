"""A review session killed between grades keeps every grade it had given, in the database and
in the review log in the vault."""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import run_import

from recall.reviewlog.files import read_log
from recall.vocabulary import ReviewKind

pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty"), pytest.mark.slow]


def logged(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT grade, kind FROM reviews ORDER BY id").fetchall()


def wait_for(condition, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_sigkill_between_grades_loses_nothing(engine, vault: Path, db_file: Path, tmp_path: Path) -> None:
    run_import(engine, vault)
    engine.dispose()
    startup = tmp_path / "startup.jsonl"
    leader, follower = pty.openpty()
    review = subprocess.Popen(
        [sys.executable, "-m", "recall", "review", "--db", str(db_file), "--timezone", "UTC"],
        stdin=follower, stdout=follower, stderr=follower, start_new_session=True,
        env={**os.environ, "RECALL_STARTUP_LOG": str(startup), "TERM": "xterm-256color"},
    )
    os.close(follower)
    try:
        def drain() -> None:
            """Read what the app drew, so it never blocks on a full terminal."""
            while select.select([leader], [], [], 0)[0]:
                try:
                    os.read(leader, 65536)
                except OSError:
                    return

        wait_for(lambda: (drain(), startup.exists() and startup.read_text().strip())[1], "the first card")
        for count, key in enumerate((b"4", b"3", b"1"), 1):  # the default keys: Easy, Good, Again = 5, 4, 2
            os.write(leader, b" " + key)  # Space reveals the card, then the grade
            wait_for(lambda n=count: (drain(), len(logged(db_file)) >= n)[1], f"grade {count} in the log")
        review.send_signal(signal.SIGKILL)
        review.wait(timeout=10)
    finally:
        if review.poll() is None:
            review.kill()
        os.close(leader)
    assert logged(db_file) == [(5, "review"), (4, "review"), (2, "review")]
    with sqlite3.connect(db_file) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM highlights WHERE due IS NOT NULL").fetchone()[0] == 3
        graded_keys = [key for (key,) in connection.execute(
            "SELECT h.key FROM reviews r JOIN highlights h ON h.id = r.highlight_id ORDER BY r.id")]
    log = read_log(vault / "recall-log", {})
    assert log.problems == [] and len(log.cursors) == 1  # one device, one month file
    events = [located.event for located in log.events]
    assert [(e.grade, e.kind, e.key) for e in events] == [
        (grade, ReviewKind.REVIEW, key) for grade, key in zip((5, 4, 2), graded_keys, strict=True)]
    assert len({e.id for e in events}) == 3 and all(e.tz == "UTC" and e.seconds is not None for e in events)
