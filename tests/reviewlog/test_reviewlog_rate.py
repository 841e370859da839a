"""A grade goes into the review log first: `recall rate` appends one durable event to this device's
month file in the vault, and a log that cannot take it refuses the grade, leaving the database as it was."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from support import FIXED_NOW, db_rows
from typer.testing import CliRunner

from recall import exit_codes
from recall.cli import app
from recall.reviewlog.events import EventType, Snapshot, from_json
from recall.reviewlog.files import read_log
from recall.reviewlog.replay import replay
from recall.vocabulary import ReviewKind

DAY = "2026-03-02"  # FIXED_NOW, 09:30 UTC


def rate(db: Path, *args: str):
    return CliRunner().invoke(app, ["rate", *args, "--db", str(db), "--timezone", "Europe/Paris"],
                              catch_exceptions=False)


def this_device(recall_home: Path) -> str:
    return json.loads((recall_home / "device.json").read_text())["device"]


def test_recall_rate_appends_one_event_with_every_field(imported: Path, vault: Path, recall_home: Path) -> None:
    (key,) = db_rows(imported, "SELECT key FROM highlights WHERE id = 1")[0]
    done = rate(imported, "1", "4")
    assert done.exit_code == 0, done.output
    device = this_device(recall_home)
    files = sorted(p.relative_to(vault).as_posix() for p in (vault / "recall-log").rglob("*") if p.is_file())
    assert files == [f"recall-log/{device}/2026-03.jsonl"]
    lines = (vault / "recall-log" / device / "2026-03.jsonl").read_bytes().split(b"\n")
    assert len(lines) == 2 and lines[1] == b""  # exactly one complete line
    line = json.loads(lines[0])
    assert list(line) == ["v", "id", "type", "at", "day", "tz", "rollover", "device", "seq", "key", "grade", "kind",
                          "seconds", "before", "after"]
    event_id = line.pop("id")
    assert uuid.UUID(event_id).version == 4
    assert line == {
        "v": 1, "type": "grade", "at": "2026-03-02T09:30:00.000000Z", "day": DAY, "tz": "Europe/Paris",
        "rollover": 4, "device": device, "seq": 1, "key": key, "grade": 4, "kind": "review", "seconds": None,
        "before": {"reps": 0, "ef": 250, "ivl": 0, "due": None, "skip": None, "discarded": False, "favorite": False},
        "after": {"reps": 1, "ef": 250, "ivl": 1, "due": "2026-03-03", "skip": None, "discarded": False,
                  "favorite": False},
    }
    assert db_rows(imported, "SELECT grade, kind, study_day, event_id, device FROM reviews") == [
        (4, "review", DAY, event_id, device)]  # the row names its event


def test_marks_a_review_and_a_drill_at_one_instant_replay_to_the_database(imported: Path, vault: Path) -> None:
    """A favourite, a skip, a grade and a second grade, all at the one fixed instant: the log
    numbers them as written, so the replay applies them in that order and agrees with every row."""
    runner = CliRunner()
    assert runner.invoke(app, ["favorite", "2", "--db", str(imported)]).exit_code == 0
    assert runner.invoke(app, ["skip", "2", "--db", str(imported)]).exit_code == 0
    assert rate(imported, "2", "5").exit_code == 0
    assert rate(imported, "2", "1").exit_code == 0  # the same study day: a drill
    events = [located.event for located in read_log(vault / "recall-log", {}).events]
    assert [(e.type, e.grade, e.kind, e.seq) for e in events] == [
        (EventType.FAVORITE, None, None, 1), (EventType.SKIP, None, None, 2),
        (EventType.GRADE, 5, ReviewKind.REVIEW, 3), (EventType.GRADE, 1, ReviewKind.DRILL, 4)]
    assert {e.at for e in events} == {FIXED_NOW}
    favourite, skipped, review, drill = events
    assert (favourite.before, favourite.after) == (Snapshot(), Snapshot(favorite=True))
    assert skipped.after == Snapshot(skipped_until=FIXED_NOW.date(), favorite=True) == review.before
    assert review.after.skipped_until is None and review.after.favorite
    assert drill.before == drill.after == review.after
    (key, reps, ef, ivl, due) = db_rows(imported, "SELECT key, repetitions, easiness, interval, due FROM highlights"
                                                  " WHERE id = 2")[0]
    replayed = replay(events)  # the log alone gives the database's schedule, and agrees with every event
    state = replayed.state(key)
    assert (state.repetitions, state.easiness, state.interval, str(state.due)) == (reps, ef, ivl, due)
    assert (replayed.diverged, replayed.reclassified) == ([], [])
    assert [from_json(e.to_json()) for e in events] == events


def test_two_grades_at_one_instant_replay_with_the_first_as_the_review(
    imported: Path, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At one fixed RECALL_NOW the ids alone would order the two grades by chance; each new id is
    made smaller than the last here, so without the sequence numbers the drill would replay first."""
    import recall.reviewlog.writer as writer

    falling = iter(uuid.UUID(int=(0xFF - n) << 120 | 0x4000 << 64 | 0x8000 << 48) for n in range(100))
    monkeypatch.setattr(writer.uuid, "uuid4", lambda: next(falling))
    for highlight, grade in (("3", "4"), ("3", "1"), ("5", "0"), ("5", "5")):
        assert rate(imported, highlight, grade).exit_code == 0
    events = [located.event for located in read_log(vault / "recall-log", {}).events]
    assert [e.id for e in events] == sorted((e.id for e in events), reverse=True)
    replayed = replay(reversed(events))
    assert [(a.event.grade, a.kind) for a in replayed.applied] == [
        (4, ReviewKind.REVIEW), (1, ReviewKind.DRILL), (0, ReviewKind.REVIEW), (5, ReviewKind.DRILL)]
    rows = db_rows(imported, "SELECT key, repetitions, easiness, interval, due FROM highlights WHERE id IN (3, 5)")
    for key, *row in rows:
        state = replayed.state(key)
        assert [state.repetitions, state.easiness, state.interval, str(state.due)] == row
    assert replayed.reclassified == []


def test_a_grade_the_log_cannot_take_is_refused_and_nothing_is_saved(imported: Path, vault: Path) -> None:
    (vault / "recall-log").write_text("not a folder")  # the log's folder cannot be made
    before = db_rows(imported, "SELECT * FROM highlights ORDER BY id")
    refused = rate(imported, "1", "4")
    assert refused.exit_code == exit_codes.ERROR
    warning, error = refused.stderr.splitlines()  # the catch-up's warning, then the refusal
    assert warning.startswith("warning: review log: ") and "not a folder" in warning
    assert error.startswith("recall: grade not saved: cannot append to the review log ")
    assert db_rows(imported, "SELECT count(*) FROM reviews") == [(0,)]
    assert db_rows(imported, "SELECT * FROM highlights ORDER BY id") == before


def test_a_vault_that_is_not_there_is_not_made_again_by_the_log(imported: Path, vault: Path, tmp_path: Path) -> None:
    vault.rename(tmp_path / "moved")
    refused = rate(imported, "1", "4")
    assert refused.exit_code == exit_codes.ERROR and "(moved, or an unmounted drive?" in refused.stderr
    assert "then `recall vaults forget" in refused.stderr
    assert not vault.exists() and db_rows(imported, "SELECT count(*) FROM reviews") == [(0,)]


def test_an_absolute_review_log_setting_is_where_the_grade_goes(
    imported: Path, vault: Path, tmp_path: Path, recall_home: Path
) -> None:
    recall_home.mkdir(parents=True, exist_ok=True)
    (recall_home / "config.toml").write_text(f'review_log = "{tmp_path / "synced"}"\n')
    assert rate(imported, "3", "3").exit_code == 0
    assert not (vault / "recall-log").exists()
    [located] = read_log(tmp_path / "synced", {}).events
    assert located.file == f"{this_device(recall_home)}/2026-03.jsonl" and located.event.grade == 3


UNSHARE = shutil.which("unshare")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and mounts")
def test_a_read_only_log_folder_refuses_the_grade_and_leaves_the_database_unchanged(
    imported: Path, vault: Path
) -> None:
    log = vault / "recall-log"
    log.mkdir()
    before = db_rows(imported, "SELECT * FROM highlights ORDER BY id")
    command = [sys.executable, "-m", "recall", "rate", "1", "4", "--db", str(imported)]
    if os.geteuid() != 0:  # permissions hold
        log.chmod(0o555)
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        finally:
            log.chmod(0o755)
        reason = "Permission denied"
    else:  # root ignores permissions: a read-only file system over the folder, in a mount namespace of our own
        if UNSHARE is None or subprocess.run([UNSHARE, "--map-root-user", "--mount", "true"],
                                             capture_output=True, check=False).returncode:
            pytest.skip("running as root, and no unshare(1) to mount a read-only folder")
        script = 'mount -t tmpfs -o ro,size=1m tmpfs "$1" || exit 90; shift; exec "$@"'
        done = subprocess.run([UNSHARE, "--map-root-user", "--mount", "sh", "-c", script, "sh", str(log), *command],
                              capture_output=True, text=True, check=False, timeout=120)
        reason = "Read-only file system"
    assert done.returncode == exit_codes.ERROR, done.stderr
    assert done.stderr.startswith(f"recall: grade not saved: cannot append to the review log {log}/")
    assert done.stderr.rstrip().endswith(reason) and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert db_rows(imported, "SELECT count(*) FROM reviews") == [(0,)]
    assert db_rows(imported, "SELECT * FROM highlights ORDER BY id") == before
    assert list(log.iterdir()) == []
