"""This device's own actions: their events are in ``log_events`` as soon as they are written, so
the next command replays nothing for them; and ``recall undo`` takes back this device's own newest
grade, never one a catch-up brought from another device."""

from __future__ import annotations

from pathlib import Path

import pytest
from clidevices import GRADES, STATE, Device, deliver
from support import db_rows

from recall.reviewlog import catchup
from recall.reviewlog.catchup import CaughtUp

LATER = "2026-03-02T10:00:00+00:00"


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Device, Device]:
    devices = Device(tmp_path, "laptop", monkeypatch), Device(tmp_path, "desktop", monkeypatch)
    for device in devices:
        assert device.run("import", str(device.vault)).exit_code == 0
    return devices


@pytest.fixture
def catch_ups(monkeypatch: pytest.MonkeyPatch) -> list[CaughtUp]:
    """What every catch-up the commands run did, in order."""
    done: list[CaughtUp] = []
    real = catchup.catch_up

    def counted(*args, **kwargs) -> CaughtUp:
        done.append(real(*args, **kwargs))
        return done[-1]

    monkeypatch.setattr(catchup, "catch_up", counted)
    return done


def test_after_an_action_the_next_command_replays_nothing(two: tuple[Device, Device], catch_ups: list[CaughtUp]) -> None:
    laptop, _ = two
    for action in (("rate", "1", "4"), ("rate", "1", "2"), ("skip", "2"), ("favorite", "3"), ("undo",)):
        assert laptop.run(*action).exit_code == 0, action
        del catch_ups[:]
        assert laptop.run("due").exit_code == 0
        (done,) = catch_ups
        assert (done.files_read, done.events_new, done.highlights) == (1, 0, 0), action  # read, known: no replay
    assert db_rows(laptop.db, "SELECT count(*), sum(placed) FROM log_events") == [(5, 5)]
    assert laptop.run("db", "check").exit_code == 0


def test_another_devices_events_are_still_replayed(two: tuple[Device, Device], catch_ups: list[CaughtUp]) -> None:
    laptop, desktop = two
    assert desktop.run("rate", "1", "4").exit_code == 0
    deliver(desktop, laptop)
    assert laptop.run("due").exit_code == 0
    assert (catch_ups[-1].events_new, catch_ups[-1].highlights) == (1, 1)
    assert db_rows(laptop.db, STATE) == db_rows(desktop.db, STATE)
