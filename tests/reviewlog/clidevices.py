"""Devices driven through the command line for the review log tests (imported as ``clidevices``):
each its own recall home (device id, settings), database and copy of a vault; ``deliver`` is a sync."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from support import SAMPLE_VAULT
from typer.testing import CliRunner

from recall.cli import app

STATE = ("SELECT key, repetitions, easiness, interval, due, skipped_until, discarded, favorite, stability, difficulty,"
         " last_review FROM highlights ORDER BY key")
GRADES = "SELECT h.key, r.event_id, r.kind, r.grade, r.due_after FROM reviews r JOIN highlights h ON h.id = r.highlight_id"


class Device:
    """One device: its own recall home (device id, settings), database and copy of ``source`` (a vault)."""

    def __init__(self, base: Path, name: str, monkeypatch: pytest.MonkeyPatch, source: Path = SAMPLE_VAULT) -> None:
        self.home, self.db, self.vault = base / name / "home", base / name / "recall.db", base / name / "vault"
        self.monkeypatch = monkeypatch
        shutil.copytree(source, self.vault, symlinks=True)

    def run(self, *args: str, now: str = "2026-03-02T09:30:00+00:00"):
        """``recall ARGS --db`` this device's database, at ``now``, in-process (CliRunner's result)."""
        self.monkeypatch.setenv("RECALL_HOME", str(self.home))
        self.monkeypatch.setenv("RECALL_NOW", now)
        return CliRunner().invoke(app, [*args, "--db", str(self.db)], catch_exceptions=False)

    @property
    def log(self) -> Path:
        return self.vault / "recall-log"


def deliver(source: Device, target: Device) -> None:
    """Copy every log file of ``source``'s vault into ``target``'s (a sync)."""
    for path in source.log.rglob("*.jsonl"):
        copy = target.log / path.relative_to(source.log)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)


def legacy(device: Device) -> None:
    """Make ``device``'s database one from before the review log: rows naming no event, marks, no log."""
    with sqlite3.connect(device.db) as raw:
        raw.execute("UPDATE reviews SET event_id = NULL, device = NULL")
        raw.execute("UPDATE highlights SET discarded = 1 WHERE id = 5")
        raw.execute("UPDATE highlights SET favorite = 1 WHERE id IN (1, 6)")
        for table in ("log_events", "log_history", "log_files"):
            raw.execute(f"DELETE FROM {table}")
    shutil.rmtree(device.log)
