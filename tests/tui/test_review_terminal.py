"""`recall review` as a user runs it: a real process in a pseudo-terminal, first card, q, exit 0."""

from __future__ import annotations

import json
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


def test_the_review_under_sm2_never_loads_py_fsrs(tmp_path) -> None:
    """Issue 14: the FSRS option costs SM-2 users nothing at start-up: up to the first card (its
    grade keys' intervals computed) and its quit, py-fsrs is never imported."""
    db, loaded = tmp_path / "recall.db", tmp_path / "loaded.json"
    make_db(db, 50)
    probe = (
        "import atexit, json, sys\n"
        f"atexit.register(lambda: open({str(loaded)!r}, 'w').write(json.dumps(sorted(sys.modules))))\n"
        "from recall.cli import main\n"
        "main()\n"
    )
    record = run_review(db, size=(80, 24), command=[sys.executable, "-c", probe, "review", "--db", str(db)])
    assert record["exit"] == 0 and record["kind"] == "session", record["screen_text"][-2000:]
    modules = json.loads(loaded.read_text())
    assert "textual" in modules and "recall.scheduling" in modules  # the app ran and showed the keys
    assert "fsrs" not in modules
