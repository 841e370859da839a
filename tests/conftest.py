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


@pytest.fixture(autouse=True)
def sample_vault_untouched():
    """A grade through the command line or the review app writes the review log into the vault
    imported first: a test that grades must import a copy (``vault``), never sample_vault/ itself."""
    yield
    stray = SAMPLE_VAULT / "recall-log"
    assert not stray.exists(), f"{stray} was written by this test: grade in a copy of the sample vault (`vault`)"


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


@pytest.fixture
def log_writer(tmp_path: Path):
    """A review log writer for library calls of the actions: its log in ``tmp_path/review-log``
    (an absolute folder, so never in a vault), this test's device (in ``RECALL_HOME``)."""
    from recall.reviewlog.writer import LogWriter

    return LogWriter(str(tmp_path / "review-log"))
