"""This device's own actions: their events are in ``log_events`` as soon as they are written, so
the next command replays nothing for them; and ``recall undo`` takes back this device's own newest
grade, never one a catch-up brought from another device."""

from __future__ import annotations

import pytest
from clidevices import GRADES, STATE, Device, deliver, legacy
from support import FIXED_NOW, db_rows

from recall import exit_codes
from recall.reviewlog import catchup
from recall.reviewlog.catchup import CaughtUp

LATER = "2026-03-02T10:00:00+00:00"


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


def grades(device: Device) -> list[tuple[str, int]]:
    """(key, grade) of every row, in key order."""
    return sorted((key, grade) for key, _, _, grade, _ in db_rows(device.db, GRADES))


def key_of(device: Device, highlight: int) -> str:
    return db_rows(device.db, "SELECT key FROM highlights WHERE id = ?", highlight)[0][0]


def test_undo_takes_back_this_devices_own_grade_not_a_newer_one_from_another_device(two: tuple[Device, Device]) -> None:
    laptop, desktop = two
    assert laptop.run("rate", "1", "4").exit_code == 0
    assert desktop.run("rate", "2", "3", now="2026-03-02T09:40:00+00:00").exit_code == 0  # newer, and a higher row id
    deliver(desktop, laptop)
    undone = laptop.run("undo", now=LATER)
    assert undone.exit_code == 0 and "of highlight 1 " in undone.stdout, undone.output
    assert grades(laptop) == [(key_of(laptop, 2), 3)]  # the desktop's grade stays
    nothing = laptop.run("undo", now=LATER)
    assert nothing.exit_code == exit_codes.INVALID_STATE and "nothing to undo" in nothing.stderr
    deliver(laptop, desktop)
    assert desktop.run("due", now=LATER).exit_code == 0
    assert db_rows(desktop.db, STATE) == db_rows(laptop.db, STATE)
    assert desktop.run("undo", now=LATER).exit_code == 0  # the desktop takes back its own
    assert grades(desktop) == []


def test_undo_of_an_earlier_review_keeps_another_devices_later_one(two: tuple[Device, Device]) -> None:
    laptop, desktop = two
    assert laptop.run("rate", "1", "5").exit_code == 0
    deliver(laptop, desktop)
    day_two = "2026-03-03T09:30:00+00:00"
    assert desktop.run("rate", "1", "4", now=day_two).exit_code == 0  # the second review, another day
    deliver(desktop, laptop)
    assert laptop.run("undo", "--any-day", now=day_two).exit_code == 0  # the laptop's first review only
    deliver(laptop, desktop)
    assert desktop.run("due", now=day_two).exit_code == 0
    assert db_rows(laptop.db, STATE) == db_rows(desktop.db, STATE)
    assert db_rows(laptop.db, "SELECT repetitions, interval, due FROM highlights WHERE id = 1") == [(1, 1, "2026-03-04")]
    assert grades(laptop) == [(key_of(laptop, 1), 4)] == grades(desktop)
    assert laptop.run("db", "check", now=day_two).exit_code == 0


def test_the_history_from_before_the_log_is_no_devices_to_undo(two: tuple[Device, Device]) -> None:
    laptop, _ = two
    assert laptop.run("rate", "1", "4").exit_code == 0
    legacy(laptop)  # that grade is now older than the log; the next command migrates it
    refused = laptop.run("undo")
    assert refused.exit_code == exit_codes.INVALID_STATE and "nothing to undo" in refused.stderr
    assert laptop.run("rate", "2", "4").exit_code == 0
    assert laptop.run("undo").exit_code == 0
    assert grades(laptop) == [(key_of(laptop, 1), 4)]


def test_the_review_apps_undo_is_not_refused_by_another_devices_grade(two: tuple[Device, Device]) -> None:
    """The app's ``u`` names its grade (``expected``): a grade another device gave, which a catch-up in
    another process brought in meanwhile, is not "a grade logged after this one"."""
    from recall.db.engine import open_db
    from recall.reviewlog.catchup import catch_up
    from recall.reviewlog.writer import LogWriter
    from recall.scheduler.actions import rate
    from recall.scheduler.undo import undo_last

    laptop, desktop = two
    log = LogWriter(device_folder=laptop.home)
    engine = open_db(laptop.db)
    rated = rate(engine, 1, 4, FIXED_NOW, FIXED_NOW.date(), log=log)
    assert desktop.run("rate", "2", "3", now=LATER).exit_code == 0
    deliver(desktop, laptop)
    assert catch_up(engine, log, FIXED_NOW).events_new == 1
    undone = undo_last(engine, FIXED_NOW, FIXED_NOW.date(), log=log, expected=rated)
    engine.dispose()
    assert undone is not None and undone.highlight_id == 1
    assert grades(laptop) == [(key_of(laptop, 2), 3)]
