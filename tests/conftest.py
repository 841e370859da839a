"""Shared fixtures: every test runs with its own recall home, database and fixed clock."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import FIXED_NOW, SAMPLE_VAULT


@pytest.fixture(autouse=True)
def recall_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the user's own data and settings out of every test."""
    home = tmp_path / "recall-home"
    monkeypatch.setenv("RECALL_HOME", str(home))
    for name in ("RECALL_DB", "RECALL_CONFIG", "RECALL_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RECALL_NOW", FIXED_NOW.isoformat())
    return home


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "recall.db"


@pytest.fixture
def engine(db_file: Path):
    from recall.db.engine import open_db

    return open_db(db_file)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A private copy of sample_vault/ that a test may change."""
    target = tmp_path / "vault"
    shutil.copytree(SAMPLE_VAULT, target, symlinks=True)
    return target
