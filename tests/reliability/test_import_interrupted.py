"""Ctrl+C (SIGINT to the whole process group) or SIGTERM during an import stops it
cleanly: one line says how far it got, the exit code is 130, no worker is left behind,
the database is sound, and the next import finishes as if nothing had happened. A
worker process that dies (the out-of-memory killer) costs nothing either."""

from __future__ import annotations

import functools
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import MAKE_VAULT, db_rows, needs_shared, recall_process, write_note

STOPPED = re.compile(
    r"recall: interrupted: ([\d,]+) of ([\d,]+) notes imported; run `recall import` again to finish\n"
)
CONTENT = "SELECT key, text, note, tags, location, chapter, retired FROM highlights ORDER BY key"


@pytest.fixture(scope="module")
def generated_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "vault"
    subprocess.run([sys.executable, str(MAKE_VAULT), str(root), "--notes", "3000", "--seed", "9", "-q"], check=True)
    return root


def highlight_count(db: Path) -> int:
    try:
        return db_rows(db, "SELECT count(*) FROM highlights")[0][0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def interrupt(vault: Path, db: Path, number: signal.Signals) -> subprocess.CompletedProcess[str]:
    """Start an import in its own process group and send ``number`` to the group once the
    import has written something new; returns how it ended."""
    before = highlight_count(db) if db.exists() else 0
    process = subprocess.Popen([sys.executable, "-m", "recall", "import", str(vault), "--db", str(db)],
                               start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while process.poll() is None and highlight_count(db) <= before:
        time.sleep(0.01)
    if process.poll() is None:
        os.killpg(process.pid, number)
    try:
        stdout, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"the import did not stop within 30 s of {number.name}")
    with pytest.raises(ProcessLookupError):  # no worker outlives the import
        os.killpg(process.pid, 0)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@needs_shared
@pytest.mark.slow
def test_an_interrupted_import_stops_at_once_and_the_next_one_finishes(generated_vault: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    assert recall_process("import", str(generated_vault), "--db", str(reference)).returncode == 0
    db = tmp_path / "interrupted.db"

    done = []
    for number in (signal.SIGINT, signal.SIGINT, signal.SIGTERM):
        stopped = interrupt(generated_vault, db, number)
        assert stopped.returncode == 130, stopped.stderr
        assert "Traceback" not in stopped.stderr
        match = STOPPED.fullmatch(stopped.stderr)
        assert match, stopped.stderr
        done.append(int(match[1].replace(",", "")))
        assert match[2] == "3,000"
        assert db_rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert done == sorted(done) and done[-1] < 3000  # each run went on from where the last one stopped

    finished = recall_process("import", str(generated_vault), "--db", str(db))
    assert finished.returncode == 0, finished.stderr
    assert db_rows(db, CONTENT) == db_rows(reference, CONTENT)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one CPU: files are read without worker processes")
def test_a_worker_that_dies_costs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from recall.importer import reading
    from recall.importer.walk import Entry

    root = tmp_path / "vault"
    paths = [write_note(root, f"Books/N{n:03}.md", f"N{n}", f"n{n}") for n in range(reading.PARALLEL_FROM_FILES)]
    jobs = [(Entry(p.relative_to(root).as_posix(), p.stat().st_size, p.stat().st_mtime_ns), None) for p in paths]
    monkeypatch.setattr(reading, "read_file", functools.partial(killed_on_n007, os.getpid(), reading.read_file))
    results = list(reading.read_files(str(root), jobs))

    assert [r.entry.rel for r in results] == [entry.rel for entry, _ in jobs]
    assert {r.kind for r in results} == {"note"} and sum(len(r.highlights) for r in results) == 2 * len(jobs)


def killed_on_n007(main: int, read_file, where: str, entry, *args):
    """``read_file``, except that a worker process reading N007.md is killed on the spot."""
    if entry.rel.endswith("N007.md") and os.getpid() != main:
        os.kill(os.getpid(), signal.SIGKILL)
    return read_file(where, entry, *args)
