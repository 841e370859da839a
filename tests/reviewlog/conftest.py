"""Fixtures of the review log tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import run_import


@pytest.fixture
def imported(engine, vault: Path, db_file: Path) -> Path:
    """The database file, with a copy of the sample vault imported (the vault imported first, so the
    review log is written into that copy)."""
    run_import(engine, vault)
    engine.dispose()
    return db_file
