"""The database catches up with the review log (recall.reviewlog.catchup): another device's grades,
a grade a SIGKILL kept out of the database, torn and bad lines as warnings, a database deleted by
hand given back by import, `recall db rebuild` and `recall db check`, the history migrated once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from clidevices import GRADES, STATE, Device, deliver, legacy
from support import db_rows

from recall import exit_codes
from recall.reviewlog.history import HISTORY_DEVICE, NAMESPACE


def test_another_devices_grades_arrive_with_the_next_command(two: tuple[Device, Device]) -> None:
    laptop, desktop = two
    assert laptop.run("rate", "1", "4").exit_code == 0
    assert laptop.run("rate", "2", "1").exit_code == 0
    assert desktop.run("rate", "2", "5", now="2026-03-02T09:40:00+00:00").exit_code == 0  # later: a drill
    deliver(laptop, desktop)
    deliver(desktop, laptop)
    for device in two:
        done = device.run("due", now="2026-03-02T10:00:00+00:00")
        assert done.exit_code == 0 and "warning" not in done.stderr, done.stderr
    assert db_rows(laptop.db, STATE) == db_rows(desktop.db, STATE)
    assert sorted(db_rows(laptop.db, GRADES)) == sorted(db_rows(desktop.db, GRADES))
    kinds = {grade: kind for _, _, kind, grade, _ in db_rows(desktop.db, GRADES)}
    assert kinds == {4: "review", 1: "review", 5: "drill"}  # the earlier instant moved the schedule, on both


@pytest.mark.parametrize("command", [
    ("show", "1", "--json"), ("export", "highlights", "--format", "json"), ("export", "reviews", "--format", "jsonl"),
    ("sources", "--json"), ("db", "status", "--json"), ("search", "the"),
])
def test_every_command_that_shows_schedules_or_reviews_reads_the_log_first(two, command) -> None:
    laptop, desktop = two
    assert laptop.run("rate", "1", "5").exit_code == 0
    deliver(laptop, desktop)
    assert desktop.run(*command).exit_code == 0
    assert db_rows(desktop.db, STATE) == db_rows(laptop.db, STATE)  # the grade arrived before it answered
    assert db_rows(desktop.db, "SELECT count(*) FROM reviews") == [(1,)]


def test_a_synced_history_is_listed_in_the_order_it_happened(two: tuple[Device, Device]) -> None:
    laptop, desktop = two
    assert desktop.run("rate", "1", "3", now="2026-03-02T09:02:00+00:00").exit_code == 0
    assert laptop.run("rate", "1", "5", now="2026-03-02T09:00:00+00:00").exit_code == 0
    deliver(laptop, desktop)
    shown = desktop.run("show", "1", "--json", now="2026-03-02T09:05:00+00:00")
    reviews = json.loads(shown.stdout)["reviews"]
    assert [(r["reviewed_at"][11:16], r["grade"], r["kind"]) for r in reviews] == [("09:00", 5, "review"), ("09:02", 3, "drill")]
    exported = desktop.run("export", "reviews", "--format", "jsonl")
    assert [json.loads(line)["grade"] for line in exported.stdout.splitlines()] == [5, 3]


def test_a_grade_earlier_than_a_review_from_a_clock_ahead_is_the_review_at_once(two: tuple[Device, Device]) -> None:
    laptop, desktop = two
    assert desktop.run("rate", "1", "5", now="2026-03-02T09:10:00+00:00").exit_code == 0  # a clock 3 minutes ahead
    deliver(desktop, laptop)
    rated = laptop.run("rate", "1", "2", now="2026-03-02T09:07:00+00:00")
    assert rated.exit_code == 0 and "drill" not in rated.stdout and "next due 2026-03-03" in rated.stdout, rated.stdout
    settled = db_rows(laptop.db, STATE)
    assert laptop.run("due", now="2026-03-02T09:20:00+00:00").exit_code == 0
    assert db_rows(laptop.db, STATE) == settled  # what the command said is what the replay gives
    deliver(laptop, desktop)
    assert desktop.run("due", now="2026-03-02T09:20:00+00:00").exit_code == 0
    assert db_rows(desktop.db, STATE) == settled
    assert laptop.run("db", "check", now="2026-03-02T09:20:00+00:00").exit_code == 0


def test_a_device_with_its_own_log_folder_still_reads_the_vaults(two, tmp_path: Path) -> None:
    laptop, desktop = two
    assert laptop.run("rate", "1", "5").exit_code == 0
    deliver(laptop, desktop)
    desktop.home.mkdir(parents=True, exist_ok=True)
    (desktop.home / "config.toml").write_text(f'review_log = "{tmp_path / "elsewhere"}"\n', encoding="utf-8")
    assert desktop.run("due").exit_code == 0
    assert db_rows(desktop.db, STATE) == db_rows(laptop.db, STATE)


def test_a_no_op_catch_up_opens_no_log_file(two: tuple[Device, Device]) -> None:
    from support import FIXED_NOW

    from recall.db.engine import open_db
    from recall.reviewlog.catchup import catch_up
    from recall.reviewlog.writer import LogWriter

    laptop, _ = two
    assert laptop.run("rate", "1", "4").exit_code == 0
    engine = open_db(laptop.db)
    first = catch_up(engine, LogWriter(device_folder=laptop.home), FIXED_NOW)  # rate's own line: read once
    again = catch_up(engine, LogWriter(device_folder=laptop.home), FIXED_NOW)
    engine.dispose()
    assert (first.files_read, again.files_read, again.files_unchanged, again.events_new) == (1, 0, 1, 0)


def test_torn_and_bad_lines_are_warnings_never_errors(two: tuple[Device, Device]) -> None:
    laptop, desktop = two
    assert laptop.run("rate", "1", "4").exit_code == 0
    (theirs,) = laptop.log.glob("*/2026-03.jsonl")
    whole = theirs.read_bytes()
    target = desktop.log / theirs.parent.name / theirs.name
    target.parent.mkdir(parents=True)
    target.write_bytes(b"not an event\n" + whole[:-40])  # a bad line, then a torn one (a sync mid-copy)
    done = desktop.run("due")
    assert done.exit_code == 0
    assert done.stderr.count("warning") == 1 and f"{target}:1: not JSON" in done.stderr
    target.write_bytes(b"not an event\n" + whole)  # the sync finishes
    assert desktop.run("due").exit_code == 0
    assert db_rows(desktop.db, STATE) == db_rows(laptop.db, STATE)


def test_db_check_flags_a_line_that_stays_torn_past_the_grace(two: tuple[Device, Device]) -> None:
    laptop, desktop = two
    assert laptop.run("rate", "1", "4").exit_code == 0
    (theirs,) = laptop.log.glob("*/2026-03.jsonl")
    target = desktop.log / theirs.parent.name / theirs.name
    target.parent.mkdir(parents=True)
    target.write_bytes(theirs.read_bytes()[:-40])  # a sync stopped mid-copy
    assert desktop.run("due").exit_code == 0  # the catch-up notes when it first saw the torn tail
    assert desktop.run("db", "check").exit_code == 0  # within the grace: nothing to look at yet
    with sqlite3.connect(desktop.db) as raw:
        raw.execute("UPDATE log_files SET torn_since = torn_since - 3600 WHERE torn > 0")
    checked = desktop.run("db", "check")
    assert checked.exit_code == exit_codes.PARTIAL, checked.output
    assert f"{target}:1: an incomplete last line" in checked.output + checked.stderr


def test_a_log_folder_that_is_a_file_is_told_at_import_and_by_db_check(tmp_path: Path, monkeypatch) -> None:
    device = Device(tmp_path, "laptop", monkeypatch)
    device.log.write_text("hello\n", encoding="utf-8")
    imported = device.run("import", str(device.vault))
    assert imported.exit_code == 0 and f"{device.log}: not a folder" in imported.stderr
    checked = device.run("db", "check")
    assert checked.exit_code == exit_codes.PARTIAL and f"{device.log}: not a folder" in checked.output + checked.stderr


def test_db_check_counts_each_event_once_whatever_the_copies(two: tuple[Device, Device]) -> None:
    laptop, desktop = two
    assert laptop.run("rate", "1", "4").exit_code == 0 and laptop.run("rate", "2", "3").exit_code == 0
    deliver(laptop, desktop)
    (theirs,) = desktop.log.glob("*/2026-03.jsonl")
    shutil.copy2(theirs, theirs.with_name("2026-03.sync-conflict-20260302-093000-ABCDEFG.jsonl"))
    shutil.copy2(theirs, theirs.with_name("2026-03 2.jsonl"))
    checked = desktop.run("db", "check")
    assert checked.exit_code == 0 and "ok (2 events in the review log" in checked.stdout, checked.output


def test_import_says_what_it_applied_from_the_review_log(two: tuple[Device, Device]) -> None:
    laptop, desktop = two
    assert laptop.run("rate", "1", "4").exit_code == 0 and laptop.run("skip", "2").exit_code == 0
    deliver(laptop, desktop)
    imported = desktop.run("import", str(desktop.vault))
    assert imported.exit_code == 0 and "review log: 2 new event(s) applied to 2 highlight(s)" in imported.stderr
    again = desktop.run("import", str(desktop.vault), "--json")
    assert json.loads(again.stdout)["review_log"] == {"events_new": 0, "highlights_replayed": 0}
    assert "review log:" not in desktop.run("import", str(desktop.vault)).stderr  # nothing new: nothing said


KILL_AFTER_APPEND = """
import os, signal, sys
from recall.reviewlog import files
real = files.append_next if hasattr(files, "append_next") else files.append
def append_then_die(*args, **kwargs):
    real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)  # after the fsync, before the database commits
setattr(files, real.__name__, append_then_die)
sys.argv = ["recall", *sys.argv[1:]]
from recall.cli import main
main()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_a_grade_killed_between_the_log_and_the_database_is_applied_at_the_next_start(
    two: tuple[Device, Device], tmp_path: Path
) -> None:
    laptop, _ = two
    env = {**os.environ, "RECALL_HOME": str(laptop.home), "RECALL_NOW": "2026-03-02T09:30:00+00:00"}
    killed = subprocess.run([sys.executable, "-c", KILL_AFTER_APPEND, "rate", "3", "5", "--db", str(laptop.db)],
                            env=env, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert db_rows(laptop.db, "SELECT count(*) FROM reviews") == [(0,)]  # the database never got it
    assert laptop.run("due").exit_code == 0
    [(key, event_id, kind, grade, due)] = db_rows(laptop.db, GRADES)
    (line,) = [json.loads(x) for p in laptop.log.rglob("*.jsonl") for x in p.read_text().splitlines()]
    assert (event_id, kind, grade, due) == (line["id"], "review", 5, "2026-03-03")
    assert db_rows(laptop.db, "SELECT repetitions, due FROM highlights WHERE id = 3") == [(1, "2026-03-03")]


def test_a_database_deleted_by_hand_comes_back_from_import_and_rebuild(two: tuple[Device, Device]) -> None:
    laptop, _ = two
    for day, grades in (("02", "54321"), ("03", "42")):
        for highlight, grade in enumerate(grades, 1):
            assert laptop.run("rate", str(highlight), grade, now=f"2026-03-{day}T09:{highlight:02}:00+00:00").exit_code == 0
    for action in (("skip", "7"), ("favorite", "8"), ("discard", "9"), ("rate", "10", "3"), ("undo",)):
        assert laptop.run(*action).exit_code == 0, action
    before, grades_before = db_rows(laptop.db, STATE), sorted(db_rows(laptop.db, GRADES))
    laptop.db.unlink()
    assert laptop.run("import", str(laptop.vault)).exit_code == 0
    assert db_rows(laptop.db, STATE) == before and sorted(db_rows(laptop.db, GRADES)) == grades_before
    assert laptop.run("db", "check").exit_code == 0
    with sqlite3.connect(laptop.db) as raw:  # damage the cache
        raw.execute("UPDATE highlights SET repetitions = 9, favorite = 1 WHERE id = 2")
        raw.execute("DELETE FROM reviews WHERE highlight_id = 1")
    checked = laptop.run("db", "check")
    assert checked.exit_code == exit_codes.ERROR and checked.stdout.count("diverged:") == 3  # a state, two grades
    rebuilt = laptop.run("db", "rebuild")
    assert rebuilt.exit_code == 0 and "backup of the database before" in rebuilt.stderr
    assert list(laptop.db.parent.glob("recall.rebuild-*.backup.db"))
    assert db_rows(laptop.db, STATE) == before and sorted(db_rows(laptop.db, GRADES)) == grades_before
    assert laptop.run("db", "check").exit_code == 0


def test_db_check_flags_a_clock_from_the_future_and_a_wrong_day(two: tuple[Device, Device]) -> None:
    laptop, desktop = two
    assert laptop.run("rate", "1", "4", now="2026-03-05T09:30:00+00:00").exit_code == 0  # three days ahead
    deliver(laptop, desktop)
    (path,) = desktop.log.rglob("*.jsonl")
    line = json.loads(path.read_text())
    line.update(id=str(uuid.uuid4()), key=db_rows(desktop.db, "SELECT key FROM highlights WHERE id = 2")[0][0],
                day="2026-03-09")
    with path.open("a") as out:
        out.write(json.dumps(line) + "\n")
    checked = desktop.run("db", "check")
    assert checked.exit_code == exit_codes.PARTIAL, checked.output
    assert checked.stdout.count("is from the future") == 2 and "counts for 2026-03-09, but" in checked.stdout


def test_the_history_before_the_log_is_written_to_it_once_with_the_same_ids_on_every_device(
    two: tuple[Device, Device]
) -> None:
    laptop, desktop = two
    for highlight, grade in ((1, "4"), (2, "2")):
        assert laptop.run("rate", str(highlight), grade).exit_code == 0
    legacy(laptop)
    state = db_rows(laptop.db, STATE)
    with sqlite3.connect(laptop.db) as source, sqlite3.connect(desktop.db) as copy:
        source.backup(copy)  # two devices that shared one database file (the vault at one place)
    with sqlite3.connect(desktop.db) as raw:
        raw.execute("UPDATE vaults SET root = ?", (str(desktop.vault.resolve()),))
    checked = laptop.run("db", "check")
    assert checked.exit_code == 0, checked.output
    assert db_rows(laptop.db, STATE) == state
    lines = [json.loads(x) for p in laptop.log.rglob("*.jsonl") for x in p.read_text().splitlines()]
    assert sorted(line["type"] for line in lines) == ["discard", "favorite", "favorite", "grade", "grade"]
    assert {line["device"] for line in lines} == {HISTORY_DEVICE}
    graded = next(line for line in lines if line["type"] == "grade" and line["grade"] == 4)
    assert graded["id"] == str(uuid.uuid5(NAMESPACE, f"{graded['key']}|{graded['at']}|4"))
    assert laptop.run("due").exit_code == 0 and len(lines) == sum(1 for p in laptop.log.rglob("*.jsonl")
                                                                   for _ in p.read_text().splitlines())  # once
    assert desktop.run("due").exit_code == 0
    deliver(desktop, laptop)
    deliver(laptop, desktop)
    for device in two:
        checked = device.run("db", "check")
        assert checked.exit_code == 0, checked.output  # the same ids: taken once, no conflict
    assert db_rows(desktop.db, STATE) == state == db_rows(laptop.db, STATE)


def test_two_old_grades_of_one_highlight_at_one_instant_with_one_grade_migrate_as_two_events(
    two: tuple[Device, Device]
) -> None:
    """A clock that stood still (a fixed RECALL_NOW, a script) gave a review and its drill the same
    instant and grade: each row gets its own event (the second's id adds its repeat number), so
    the upgrade does not stop every command on "UNIQUE constraint failed"."""
    laptop, _ = two
    assert laptop.run("rate", "2", "2").exit_code == 0
    assert laptop.run("rate", "2", "2").exit_code == 0  # the same instant: a drill
    legacy(laptop)
    state = db_rows(laptop.db, STATE)
    checked = laptop.run("db", "check")
    assert checked.exit_code == 0, checked.output
    assert db_rows(laptop.db, STATE) == state
    grades = [json.loads(x) for p in laptop.log.rglob("*.jsonl") for x in p.read_text().splitlines()
              if json.loads(x)["type"] == "grade"]
    assert [(g["kind"], g["grade"]) for g in grades] == [("review", 2), ("drill", 2)]
    first, second = (g["id"] for g in grades)
    assert first == str(uuid.uuid5(NAMESPACE, f"{grades[0]['key']}|{grades[0]['at']}|2"))
    assert second == str(uuid.uuid5(NAMESPACE, f"{grades[1]['key']}|{grades[1]['at']}|2|1"))


def test_a_rebuild_rewrites_what_differs_and_only_that(two: tuple[Device, Device]) -> None:
    """A rebuild writes only the states and rows that differ from the replay (200,000 highlights,
    nearly all unchanged): a row or a state changed by hand is still put right."""
    laptop, _ = two
    for highlight, grade in ((1, "4"), (2, "2"), (2, "5")):
        assert laptop.run("rate", str(highlight), grade).exit_code == 0
    before, grades_before = db_rows(laptop.db, STATE), sorted(db_rows(laptop.db, GRADES))
    with sqlite3.connect(laptop.db) as raw:
        raw.execute("UPDATE reviews SET grade = 0, kind = 'drill' WHERE highlight_id = 1")
        raw.execute("UPDATE reviews SET reviewed_at = '2020-01-01 00:00:00.000000' WHERE highlight_id = 2")
        raw.execute("UPDATE highlights SET interval = 40, skipped_until = '2026-03-09' WHERE id = 3")
    assert laptop.run("db", "rebuild").exit_code == 0
    assert db_rows(laptop.db, STATE) == before and sorted(db_rows(laptop.db, GRADES)) == grades_before
    assert db_rows(laptop.db, "SELECT min(reviewed_at) FROM reviews")[0][0].startswith("2026-03-02")
    assert laptop.run("db", "check").exit_code == 0
