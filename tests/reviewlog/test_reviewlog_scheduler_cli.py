"""`recall scheduler` end to end on real databases and logs (issue 14): the switch is an event of the
review log, due days stay, grades after it are FSRS's, and a second device schedules alike."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from clidevices import STATE, Device, deliver

from recall import fsrs

MEMORY = "SELECT key, due, stability, difficulty, last_review FROM highlights ORDER BY key"


def rows(device: Device, query: str) -> list[tuple]:
    with sqlite3.connect(device.db) as raw:
        return raw.execute(query).fetchall()


@pytest.fixture
def laptop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Device:
    device = Device(tmp_path, "laptop", monkeypatch)
    assert device.run("import", str(device.vault), now="2026-03-01T09:30:00+00:00").exit_code == 0
    for now in ("2026-03-01T09:30:00+00:00", "2026-03-02T09:30:00+00:00", "2026-03-08T09:30:00+00:00"):
        assert device.run("rate", "1", "4", now=now).exit_code == 0
    assert device.run("rate", "2", "2", now="2026-03-02T09:30:00+00:00").exit_code == 0
    return device


def test_a_new_collection_is_scheduled_by_sm2(laptop: Device) -> None:
    shown = laptop.run("scheduler", "--json")
    assert json.loads(shown.stdout) == {
        "scheduler": {"scheduler": "sm2", "retention": 0.9, "weights": None, "fuzz": False, "balance": False},
        "switches": [],
    }
    assert laptop.run("scheduler").stdout.startswith("scheduler: SM-2\n")


def test_switching_to_fsrs_keeps_every_due_day_and_grades_by_fsrs_after(laptop: Device) -> None:
    sm2_and_marks = [row[:8] for row in rows(laptop, STATE)]
    switched = laptop.run("scheduler", "fsrs", "--retention", "0.85", now="2026-03-09T09:30:00+00:00")
    assert switched.exit_code == 0, switched.output
    assert "FSRS at 85% retention" in switched.stdout and "Due days are unchanged" in switched.stdout
    assert [row[:8] for row in rows(laptop, STATE)] == sm2_and_marks  # SM-2's numbers, every due day as they were
    memory = {key: rest for key, *rest in rows(laptop, MEMORY)}
    expected = fsrs.memory_state([(date(2026, 3, 1), 4), (date(2026, 3, 2), 4), (date(2026, 3, 8), 4)])
    assert expected is not None
    key_1 = rows(laptop, "SELECT key FROM highlights WHERE id = 1")[0][0]
    assert memory[key_1][1:] == [expected.stability, expected.difficulty, "2026-03-08"]
    assert sum(1 for values in memory.values() if values[1] is not None) == 2  # the two reviewed highlights

    rated = laptop.run("rate", "1", "4", "--json", now="2026-03-20T09:30:00+00:00")
    result = json.loads(rated.stdout)
    parameters = fsrs.FSRSParameters(desired_retention=0.85)
    after = fsrs.review(expected, date(2026, 3, 20), 4, parameters)
    assert (result["due"], result["stability"], result["interval"]) == (
        after.due.isoformat(), after.stability, after.interval
    )
    assert laptop.run("db", "check", now="2026-03-20T09:30:00+00:00").exit_code == 0


def test_switching_back_resumes_sm2_from_its_own_numbers(laptop: Device) -> None:
    laptop.run("scheduler", "fsrs", now="2026-03-09T09:30:00+00:00")
    laptop.run("rate", "1", "5", now="2026-03-25T09:30:00+00:00")
    under_fsrs = rows(laptop, "SELECT repetitions, easiness, interval, due FROM highlights WHERE id = 1")[0]
    assert under_fsrs[:3] == (4, 260, 38)  # SM-2's own: 1, 6, 15 (EF 2.50), then 15 x 2.5 = 38 (EF 2.60)
    back = laptop.run("scheduler", "sm2", now="2026-03-26T09:30:00+00:00")
    assert back.exit_code == 0 and "was FSRS" in back.stdout
    assert rows(laptop, "SELECT due, stability FROM highlights WHERE id = 1")[0] == (under_fsrs[3], None)
    rated = json.loads(laptop.run("rate", "1", "4", "--json", now="2026-06-01T09:30:00+00:00").stdout)
    assert (rated["interval"], rated["due"]) == (99, "2026-09-08")  # ceil(38 x 2.60) from SM-2's own state


def test_another_device_replays_the_switch_and_schedules_alike(laptop: Device, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    laptop.run("scheduler", "fsrs", now="2026-03-09T09:30:00+00:00")
    phone = Device(tmp_path, "phone", monkeypatch)
    deliver(laptop, phone)
    assert phone.run("import", str(phone.vault), now="2026-03-10T09:30:00+00:00").exit_code == 0
    assert json.loads(phone.run("scheduler", "--json").stdout)["scheduler"]["scheduler"] == "fsrs"
    phone.run("rate", "2", "3", now="2026-03-12T09:30:00+00:00")
    deliver(phone, laptop)
    laptop.run("due", now="2026-03-12T10:30:00+00:00")
    assert rows(laptop, MEMORY) == rows(phone, MEMORY) and rows(laptop, STATE) == rows(phone, STATE)
    assert rows(laptop, "SELECT stability FROM highlights WHERE id = 2")[0][0] is not None


def test_what_cannot_be_a_scheduler_is_refused_in_one_line(laptop: Device) -> None:
    for args, words in ((["anki"], "must be sm2 or fsrs"), (["fsrs", "--retention", "0.99"], "0.70 to 0.97")):
        refused = laptop.run("scheduler", *args)
        assert refused.exit_code == 2 and words in refused.output and "Traceback" not in refused.output
    assert json.loads(laptop.run("scheduler", "--json").stdout)["switches"] == []
    assert "already in use" in laptop.run("scheduler", "sm2").stdout
    kept = laptop.run("scheduler", "sm2", "--retention", "0.8", "--fuzz").stdout  # FSRS's, kept for it: said so
    assert kept.startswith("scheduler: SM-2 (kept for FSRS: 80% retention, fuzz) (was SM-2)")


def test_a_log_that_cannot_take_the_switch_changes_nothing(laptop: Device) -> None:
    moved = laptop.log.rename(laptop.vault.parent / "log-elsewhere")
    laptop.log.write_text("not a folder")  # the log's folder cannot be used
    refused = laptop.run("scheduler", "fsrs")
    assert refused.exit_code == 1 and "recall: scheduler not switched: cannot append" in refused.output
    laptop.log.unlink()
    moved.rename(laptop.log)
    assert json.loads(laptop.run("scheduler", "--json").stdout)["scheduler"]["scheduler"] == "sm2"


def test_a_balanced_grade_lands_on_the_lightest_day_near_its_interval_and_replays_there(
    laptop: Device, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With balance on, SM-2's interval of 38 days (±5 %: 37-39) lands on the lightest of those three
    days on the device that grades; another device replaying the log puts it on that same day,
    although its own load would have chosen another."""
    switched = laptop.run("scheduler", "--balance", "--json", now="2026-03-09T09:30:00+00:00")
    assert json.loads(switched.stdout)["scheduler"]["balance"] is True
    with sqlite3.connect(laptop.db) as raw:  # the laptop's load: 30 April and 1 May heavy, 29 April free
        raw.execute("UPDATE highlights SET due = '2026-04-30' WHERE id BETWEEN 10 AND 14")
        raw.execute("UPDATE highlights SET due = '2026-05-01' WHERE id BETWEEN 15 AND 19")
    said = laptop.run("rate", "1", "4", now="2026-03-23T09:30:00+00:00").stdout
    assert "next due 2026-04-29 (interval 38 d, EF 2.50; balanced: due in 37 d)" in said  # 15 x 2.5 = 38: a day early
    phone = Device(tmp_path, "phone", monkeypatch)
    deliver(laptop, phone)
    assert phone.run("import", str(phone.vault), now="2026-03-23T10:30:00+00:00").exit_code == 0
    assert rows(phone, "SELECT interval, due FROM highlights WHERE key = (SELECT key FROM highlights WHERE id = 1)") \
        == [(38, "2026-04-29")]
    assert "load balanced" in phone.run("scheduler").stdout


def test_balance_places_by_load_and_the_replay_keeps_the_recorded_day() -> None:
    from recall.scheduler_settings import SM2
    from recall.scheduling import placed, spread

    balanced = replace(SM2, balance=True)
    day = date(2026, 3, 1)
    assert spread(40, balanced) == (38, 42) and spread(40, SM2) == (40, 40)
    load = {date(2026, 4, 8): 9, date(2026, 4, 9): 9, date(2026, 4, 10): 9, date(2026, 4, 11): 2, date(2026, 4, 12): 5}
    assert placed(day, 40, "k", balanced, load=lambda first, last: load) == date(2026, 4, 11)
    assert placed(day, 40, "k", balanced, recorded=date(2026, 4, 12)) == date(2026, 4, 12)  # in range: kept
    assert placed(day, 40, "k", balanced, recorded=date(2026, 4, 20)) == date(2026, 4, 10)  # out: the interval's day
    assert placed(day, 40, "k", SM2, recorded=date(2026, 4, 12)) == date(2026, 4, 10)  # no balance: exact SM-2


def test_a_balanced_grade_keeps_out_of_a_break_when_its_range_allows(laptop: Device) -> None:
    """38 days from 23 March is 30 April; ±5 % allows 29 April to 1 May; a break over 28-30 April
    leaves 1 May, where the grade goes (without balance it would land in the break)."""
    assert laptop.run("scheduler", "--balance", now="2026-03-09T09:30:00+00:00").exit_code == 0
    took = laptop.run("break", "2026-04-28..2026-04-30", now="2026-03-09T09:30:00+00:00")
    assert took.exit_code == 0, took.output
    rated = json.loads(laptop.run("rate", "1", "4", "--json", now="2026-03-23T09:30:00+00:00").stdout)
    assert rated["due"] == "2026-05-01"
    assert laptop.run("db", "check", now="2026-03-23T09:30:00+00:00").exit_code == 0
