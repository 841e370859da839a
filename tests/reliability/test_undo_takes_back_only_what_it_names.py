"""An undo takes back exactly the grade it names, or nothing: review ids are never
reused (so an id from before an undo can never name a later grade), the review app's
`u` checks the id and what the row holds, and `recall undo` in a shell takes back only
a grade given today unless `--any-day` says otherwise. (The review app's side of this
is in tests/tui/test_review_session.py.)"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from recall import exit_codes

DAY_ONE, DAY_TWO = "2026-03-02T09:30:00+00:00", "2026-03-03T09:30:00+00:00"


def recall(db: Path, *args: str, now: str = DAY_ONE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recall", *args, "--db", str(db)], capture_output=True, text=True, check=False,
        env=os.environ | {"RECALL_NOW": now}, timeout=120,
    )


def log(db: Path) -> list[tuple[int, int, int]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute("SELECT id, highlight_id, grade FROM reviews ORDER BY id").fetchall()


def test_an_undone_grades_id_is_never_given_again(tmp_path: Path, vault: Path) -> None:
    db = tmp_path / "recall.db"
    assert recall(db, "import", str(vault)).returncode == 0
    assert recall(db, "rate", "1", "4").returncode == 0
    assert log(db) == [(1, 1, 4)]
    assert recall(db, "undo").returncode == 0
    assert recall(db, "rate", "2", "5").returncode == 0
    assert recall(db, "rate", "3", "3").returncode == 0
    assert log(db) == [(2, 2, 5), (3, 3, 3)]  # id 1 stays unused


def test_the_shell_undo_keeps_to_today(tmp_path: Path, vault: Path) -> None:
    db = tmp_path / "recall.db"
    assert recall(db, "import", str(vault)).returncode == 0
    assert recall(db, "rate", "1", "4", now=DAY_ONE).returncode == 0
    refused = recall(db, "undo", now=DAY_TWO)
    assert refused.returncode == exit_codes.INVALID_STATE
    assert refused.stderr.strip() == (
        "recall: the last grade (highlight 1, grade 4) was given on 2026-03-02, not today;"
        " `recall undo --any-day` takes it back"
    )
    assert log(db) == [(1, 1, 4)]
    assert recall(db, "undo", "--any-day", now=DAY_TWO).returncode == 0
    assert log(db) == []
