"""`recall review` as a user runs it: a real process in a pseudo-terminal, first card, q, exit 0."""

from __future__ import annotations

import sqlite3
import sys

import pytest
from support import REPO

sys.path.insert(0, str(REPO / "bench"))  # the start-up benchmark's pty driver, reused as is
from review_startup import make_db, run_review

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def test_recall_review_shows_the_first_card_and_quits_cleanly(tmp_path) -> None:
    db = tmp_path / "recall.db"
    make_db(db, 500)
    record = run_review(db, size=(80, 24))
    assert record["exit"] == 0, record["screen_text"][-2000:]
    assert record["kind"] == "session" and record["queue"] > 0
    assert record["first_paint_ms"] <= record["loaded_ms"] <= record["first_card_ms"]
    screen = record["screen_text"]
    assert "Reveal" in screen and "Again" in screen and "Traceback" not in screen  # a card, waiting for Space
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM reviews WHERE study_day = '2026-03-02'").fetchone() == (0,)


def test_ctrl_c_quits_as_q_does_without_a_traceback(tmp_path) -> None:
    db = tmp_path / "recall.db"
    make_db(db, 50)
    record = run_review(db, size=(80, 24), quit_key=b"\x03")  # in the app's raw mode, ctrl+c is a key
    assert record["exit"] == 0, record["screen_text"][-2000:]
    assert "Traceback" not in record["screen_text"] and "KeyboardInterrupt" not in record["screen_text"]
