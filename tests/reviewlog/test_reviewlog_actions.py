"""Every action goes into the review log first, as the grades do: skip, discard, restore, the
favourite mark and its removal, and undo, which writes an event naming the event it takes back.
A log that cannot take the event refuses the action, and the database stays as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from support import FIXED_NOW, db_rows
from typer.testing import CliRunner

from recall import exit_codes
from recall.cli import app
from recall.reviewlog.events import EventType, Snapshot
from recall.reviewlog.files import read_log
from recall.reviewlog.history import HISTORY_DEVICE
from recall.reviewlog.replay import replay

MARKS = "SELECT skipped_until, discarded, favorite, repetitions, easiness, interval, due FROM highlights WHERE id = ?"


def recall(db: Path, *args: str):
    return CliRunner().invoke(app, [*args, "--db", str(db)], catch_exceptions=False)


def logged(vault: Path) -> list:
    return [located.event for located in read_log(vault / "recall-log", {}).events]


def replayed_marks(events: list, key: str) -> tuple:
    state = replay(events).state(key)
    return (None if state.skipped_until is None else str(state.skipped_until), int(state.discarded),
            int(state.favorite))


def key_of(db: Path, highlight_id: int) -> str:
    return db_rows(db, "SELECT key FROM highlights WHERE id = ?", highlight_id)[0][0]


def test_each_mark_is_one_event_with_the_state_around_it(imported: Path, vault: Path) -> None:
    steps = [("favorite", EventType.FAVORITE), ("skip", EventType.SKIP), ("discard", EventType.DISCARD),
             ("restore", EventType.RESTORE)]
    for command, _ in steps:
        done = recall(imported, command, "7")
        assert done.exit_code == 0, done.output
    assert recall(imported, "favorite", "7", "--off").exit_code == 0
    events = logged(vault)
    assert [e.type for e in events] == [t for _, t in steps] + [EventType.UNFAVORITE]
    assert {e.key for e in events} == {key_of(imported, 7)} and [e.seq for e in events] == [1, 2, 3, 4, 5]
    day = FIXED_NOW.date()
    assert [e.after for e in events] == [
        Snapshot(favorite=True), Snapshot(favorite=True, skipped_until=day),
        Snapshot(favorite=True, skipped_until=day, discarded=True), Snapshot(favorite=True, skipped_until=day),
        Snapshot(skipped_until=day)]
    assert all(later.before == earlier.after for earlier, later in zip(events, events[1:], strict=False))
    assert replayed_marks(events, key_of(imported, 7)) == db_rows(imported, MARKS, 7)[0][:3] == (str(day), 0, 0)
    assert replay(events).diverged == []


def test_recall_undo_writes_an_undo_naming_the_grade_and_the_replay_agrees(imported: Path, vault: Path) -> None:
    before = db_rows(imported, MARKS, 4)
    assert recall(imported, "skip", "4").exit_code == 0
    assert recall(imported, "rate", "4", "5").exit_code == 0
    done = recall(imported, "undo")
    assert done.exit_code == 0 and done.stdout.startswith("undid grade 5 (review) of highlight 4")
    skipped, grade, undo = logged(vault)
    assert (undo.type, undo.undoes, undo.key, undo.seq) == (EventType.UNDO, grade.id, grade.key, 3)
    assert undo.before == grade.after
    assert undo.after == Snapshot()  # as the writer saw it: the schedule put back
    assert db_rows(imported, "SELECT count(*) FROM reviews") == [(0,)]
    assert db_rows(imported, MARKS, 4)[0][3:] == before[0][3:]
    merged = replay([skipped, grade, undo])
    assert merged.undone == {grade.id} and [a.event for a in merged.applied] == [skipped]
    # The replay takes the grade back as if it never happened, so the skip comes back with it, and
    # the undo writes the highlight as the replay has it: the database agrees.
    assert merged.state(grade.key) == skipped.after and merged.diverged == []
    assert db_rows(imported, MARKS, 4)[0][0] == skipped.after.skipped_until.isoformat()
    assert recall(imported, "db", "check").exit_code == 0


def test_a_grade_older_than_the_log_is_no_devices_to_undo_once_migrated(imported: Path, vault: Path) -> None:
    assert recall(imported, "rate", "2", "3").exit_code == 0
    with sqlite3.connect(imported) as connection:  # as a database from before the log holds it
        connection.execute("UPDATE reviews SET event_id = NULL, device = NULL")
        for table in ("log_history", "log_events", "log_files"):
            connection.execute(f"DELETE FROM {table}")
    shutil.rmtree(vault / "recall-log")
    refused = recall(imported, "undo")  # the history is written to the log first (step 8): no device's
    assert refused.exit_code == exit_codes.INVALID_STATE and "nothing to undo" in refused.stderr
    (grade,) = logged(vault)
    assert grade.type is EventType.GRADE and grade.device == HISTORY_DEVICE
    assert db_rows(imported, "SELECT count(*) FROM reviews") == [(1,)]


@pytest.mark.parametrize(
    ("command", "name"),
    [(("skip", "3"), "skip"), (("discard", "3"), "discard"), (("restore", "3"), "restore"),
     (("favorite", "3"), "favourite"), (("favorite", "3", "--off"), "unfavourite"), (("undo",), "undo")],
)
def test_an_action_the_log_cannot_take_is_refused_and_nothing_changes(
    imported: Path, vault: Path, command: tuple[str, ...], name: str
) -> None:
    assert recall(imported, "rate", "3", "4").exit_code == 0
    assert recall(imported, "discard", "9").exit_code == 0
    everything = "SELECT * FROM highlights ORDER BY id"
    before, reviews = db_rows(imported, everything), db_rows(imported, "SELECT * FROM reviews")
    lines = logged(vault)
    log = vault / "recall-log"
    moved = log.rename(vault.parent / "log-elsewhere")
    log.write_text("not a folder")  # the log's folder cannot be used
    refused = recall(imported, *command)
    assert refused.exit_code == exit_codes.ERROR
    warning, error = refused.stderr.splitlines()  # the catch-up's warning, then the refusal, one line each
    assert warning.startswith(f"warning: review log: {log}: not a folder")
    assert error.startswith(f"recall: {name} not saved: cannot append to the review log ")
    assert "Traceback" not in refused.stderr
    assert db_rows(imported, everything) == before and db_rows(imported, "SELECT * FROM reviews") == reviews
    log.unlink()
    moved.rename(log)
    assert logged(vault) == lines


def test_refusals_come_before_the_log(imported: Path, vault: Path) -> None:
    """A highlight that is not there, or cannot be skipped, writes nothing to the log."""
    assert recall(imported, "discard", "9").exit_code == 0
    assert recall(imported, "skip", "9").exit_code == exit_codes.INVALID_STATE
    assert recall(imported, "favorite", "99999").exit_code == exit_codes.NOT_FOUND
    assert [e.type for e in logged(vault)] == [EventType.DISCARD]
