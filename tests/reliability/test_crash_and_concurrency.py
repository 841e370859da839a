"""Killing recall mid-write loses nothing committed, and concurrent recalls never fail with
"database is locked"; both converge to the database an undisturbed run produces."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import MAKE_VAULT, needs_shared

pytestmark = [needs_shared, pytest.mark.slow]

CONTENT = {
    "highlights": "SELECT key, text, note, tags, location, location_url, chapter, retired, discarded FROM highlights",
    "sources": "SELECT key, title, author, category, url FROM sources",
    "files": "SELECT path, content_hash, present FROM files",
    "occurrences": "SELECT f.path, o.line, h.key FROM occurrences o JOIN files f ON f.id = o.file_id"
    " JOIN highlights h ON h.id = o.highlight_id",
}


@pytest.fixture(scope="module")
def generated_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "vault"
    subprocess.run([sys.executable, str(MAKE_VAULT), str(root), "--notes", "800", "--seed", "3"], check=True,
                   capture_output=True)
    return root


def recall(*args: str) -> list[str]:
    return [sys.executable, "-m", "recall", *args]


def env() -> dict[str, str]:
    return dict(os.environ)  # carries RECALL_HOME and RECALL_NOW from conftest


def content(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as connection:
        return {name: sorted(connection.execute(sql).fetchall()) for name, sql in CONTENT.items()}


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def test_import_killed_at_random_points_converges(generated_vault: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    subprocess.run(recall("import", str(generated_vault), "--db", str(reference)), check=True, env=env(),
                   capture_output=True)
    db = tmp_path / "killed.db"
    chance = random.Random(7)
    kills = 0
    for _ in range(5):
        process = subprocess.Popen(recall("import", str(generated_vault), "--db", str(db)), env=env(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not db.exists() and process.poll() is None:
            time.sleep(0.01)
        time.sleep(chance.uniform(0.05, 0.8))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        assert integrity(db) == "ok"
    assert kills >= 1, "the import always finished before the kill: make the vault larger"
    finished = subprocess.run(recall("import", str(generated_vault), "--db", str(db)), env=env(),
                              capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert content(db) == content(reference)


DRIVER = """
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from recall.db.engine import open_db
from recall.reviewlog.writer import LogWriter
from recall.scheduler.actions import rate
engine = open_db(Path(sys.argv[1]))
log = LogWriter(str(Path(sys.argv[1]).parent / "review-log"))
for highlight_id in range(1, 100000):
    rate(engine, highlight_id, 4, datetime(2026, 3, 2, 9, tzinfo=timezone.utc), date(2026, 3, 2), log=log)
    print(highlight_id, flush=True)
"""


def test_grades_given_before_a_kill_are_all_in_the_log(generated_vault: Path, tmp_path: Path) -> None:
    db = tmp_path / "graded.db"
    subprocess.run(recall("import", str(generated_vault), "--db", str(db)), check=True, env=env(), capture_output=True)
    grader = subprocess.Popen([sys.executable, "-c", DRIVER, str(db)], stdout=subprocess.PIPE, text=True, env=env())
    confirmed = []
    for line in grader.stdout:
        confirmed.append(int(line))
        if len(confirmed) == 150:
            grader.send_signal(signal.SIGKILL)
            break
    grader.wait()
    assert integrity(db) == "ok"
    with sqlite3.connect(db) as connection:
        logged = {row[0] for row in connection.execute("SELECT highlight_id FROM reviews")}
        scheduled = {row[0] for row in connection.execute("SELECT id FROM highlights WHERE due IS NOT NULL")}
    assert set(confirmed) <= logged
    assert logged == scheduled  # every logged grade also moved its schedule: one transaction each


def test_two_imports_at_once_never_lock_and_match_one_after_the_other(generated_vault: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    subprocess.run([sys.executable, str(MAKE_VAULT), str(other), "--notes", "300", "--seed", "11"], check=True,
                   capture_output=True)
    sequential = tmp_path / "sequential.db"
    for root in (generated_vault, other):
        subprocess.run(recall("import", str(root), "--db", str(sequential)), check=True, env=env(), capture_output=True)
    together = tmp_path / "together.db"
    runs = [
        subprocess.Popen(recall("import", str(root), "--db", str(together)), env=env(), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for root in (generated_vault, other, generated_vault)
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        assert "locked" not in out + err
    assert content(together) == content(sequential)


def test_grading_during_an_import_never_locks(generated_vault: Path, tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    subprocess.run(recall("import", str(generated_vault), "--db", str(db)), check=True, env=env(), capture_output=True)
    copy = tmp_path / "copy"
    subprocess.run([sys.executable, str(MAKE_VAULT), str(copy), "--notes", "400", "--seed", "5"], check=True,
                   capture_output=True)
    importer = subprocess.Popen(recall("import", str(copy), "--db", str(db)), env=env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    grader = subprocess.run([sys.executable, "-c", DRIVER.replace("100000", "120"), str(db)], capture_output=True,
                            text=True, env=env(), timeout=120)
    out, err = importer.communicate(timeout=120)
    assert importer.returncode == 0 and grader.returncode == 0, err + grader.stderr
    assert "locked" not in out + err + grader.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM reviews").fetchone()[0] == 119
