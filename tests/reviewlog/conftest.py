"""Fixtures of the review log tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from clidevices import Device
from support import run_import


@pytest.fixture
def imported(engine, vault: Path, db_file: Path) -> Path:
    """The database file, with a copy of the sample vault imported (the vault imported first, so the
    review log is written into that copy)."""
    run_import(engine, vault)
    engine.dispose()
    return db_file


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Device, Device]:
    """Two devices driven through the command line (``clidevices.Device``), each with the sample vault imported."""
    devices = Device(tmp_path, "laptop", monkeypatch), Device(tmp_path, "desktop", monkeypatch)
    for device in devices:
        assert device.run("import", str(device.vault)).exit_code == 0
    return devices
