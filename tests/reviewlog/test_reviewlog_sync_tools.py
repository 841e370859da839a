"""Real sync engines carry the review log: git (two clones of a vault repository, grades on both,
commit, pull with a merge, import: no conflict, equal state) and a plain copy-newer-files sync."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import SAMPLE_VAULT, db_rows
from typer.testing import CliRunner

from recall.cli import app

STATE = "SELECT key, repetitions, easiness, interval, due, skipped_until, discarded, favorite FROM highlights ORDER BY key"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def recall(home: Path, db: Path, *args: str, now: str = "2026-03-02T09:30:00+00:00"):
    os.environ.update(RECALL_HOME=str(home), RECALL_NOW=now)  # conftest's monkeypatch restores both
    return CliRunner().invoke(app, [*args, "--db", str(db)], catch_exceptions=False)


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    done = subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@needs_git
def test_git_merges_two_devices_logs_without_a_conflict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECALL_HOME", str(tmp_path))  # restored after the test, as recall() changes it
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    seed = tmp_path / "seed"
    shutil.copytree(SAMPLE_VAULT, seed)
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "vault")
    git(seed, "push", "-q", str(origin), "main")
    clones = {name: tmp_path / name / "vault" for name in ("laptop", "desktop")}
    for name, clone in clones.items():
        git(tmp_path, "clone", "-q", str(origin), str(clone))
        assert recall(tmp_path / name, tmp_path / name / "recall.db", "import", str(clone)).exit_code == 0
    for name, grades in (("laptop", (("1", "4"), ("2", "1"))), ("desktop", (("2", "5"), ("3", "3")))):
        for highlight, grade in grades:
            minute = "31" if name == "desktop" else "30"
            done = recall(tmp_path / name, tmp_path / name / "recall.db", "rate", highlight, grade,
                          now=f"2026-03-02T09:{minute}:00+00:00")
            assert done.exit_code == 0, done.output
        git(clones[name], "add", "-A")
        git(clones[name], "commit", "-qm", f"{name}'s reviews")
    git(clones["laptop"], "push", "-q", "origin", "main")
    git(clones["desktop"], "pull", "-q", "--no-rebase", "origin", "main")  # a merge commit, no conflict
    git(clones["desktop"], "push", "-q", "origin", "main")
    git(clones["laptop"], "pull", "-q", "--no-rebase", "origin", "main")
    for name in clones:
        done = recall(tmp_path / name, tmp_path / name / "recall.db", "import", now="2026-03-02T10:00:00+00:00")
        assert done.exit_code == 0 and "warning" not in done.stderr, done.output
    laptop, desktop = (db_rows(tmp_path / name / "recall.db", STATE) for name in clones)
    assert laptop == desktop
    assert db_rows(tmp_path / "laptop" / "recall.db", "SELECT kind, grade FROM reviews WHERE highlight_id = 2") == [
        ("review", 1), ("drill", 5)]  # the laptop's earlier grade moved the schedule, on both


def copy_newer(source: Path, target: Path) -> None:
    """A plain sync: every file newer (by mtime) at the source than at the target is copied over."""
    for path in source.rglob("*"):
        if path.is_file():
            copy = target / path.relative_to(source)
            if not copy.exists() or copy.stat().st_mtime_ns < path.stat().st_mtime_ns:
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copy)


def test_a_copy_newer_files_sync_gives_both_devices_one_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECALL_HOME", str(tmp_path))
    vaults = {name: tmp_path / name / "vault" for name in ("laptop", "desktop")}
    for name, vault in vaults.items():
        shutil.copytree(SAMPLE_VAULT, vault)
        assert recall(tmp_path / name, tmp_path / name / "recall.db", "import", str(vault)).exit_code == 0
    for day in ("02", "03", "04"):
        for name, highlight in (("laptop", "1"), ("desktop", "1"), ("desktop", "4")):
            now = f"2026-03-{day}T{'09' if name == 'laptop' else '10'}:00:00+00:00"
            assert recall(tmp_path / name, tmp_path / name / "recall.db", "rate", highlight, "4", now=now).exit_code == 0
        copy_newer(vaults["laptop"], vaults["desktop"])
        copy_newer(vaults["desktop"], vaults["laptop"])
    for name in vaults:
        assert recall(tmp_path / name, tmp_path / name / "recall.db", "due", now="2026-03-04T12:00:00+00:00").exit_code == 0
    laptop, desktop = (db_rows(tmp_path / name / "recall.db", STATE) for name in vaults)
    assert laptop == desktop
