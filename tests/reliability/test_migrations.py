"""Upgrading a database from every released schema keeps every highlight, schedule and
review, after taking a backup; a newer or a failed upgrade changes nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from support import db_rows

import recall.db.engine as engine_module
from recall.db.engine import DatabaseError, open_db, schema_version
from recall.db.migrations import MIGRATIONS, SCHEMA_VERSION, sql_migration

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RELEASED = sorted(FIXTURES.glob("schema-v*.db"), key=lambda p: int(p.stem.removeprefix("schema-v")))

# What tests/fixtures/make_fixtures.py wrote into schema-v1.db (checked by hand against SM-2).
V1_REVIEWS = [
    (1, 5, "review", "2026-03-01", 1, 260, 1, "2026-03-02"),
    (2, 4, "review", "2026-03-01", 1, 250, 1, "2026-03-02"),
    (3, 3, "review", "2026-03-01", 1, 236, 1, "2026-03-02"),
    (4, 2, "review", "2026-03-01", 0, 218, 1, "2026-03-02"),
    (1, 4, "review", "2026-03-02", 2, 260, 6, "2026-03-08"),
    (2, 4, "review", "2026-03-02", 2, 250, 6, "2026-03-08"),
    (3, 1, "review", "2026-03-02", 0, 182, 1, "2026-03-03"),
    (4, 5, "review", "2026-03-02", 1, 228, 1, "2026-03-03"),
]
V1_STATES = [(1, 2, 260, 6, "2026-03-08"), (2, 2, 250, 6, "2026-03-08"), (3, 0, 182, 1, "2026-03-03"),
             (4, 1, 228, 1, "2026-03-03")]


def everything(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("vaults", "sources", "files", "highlights", "occurrences", "reviews")
        }


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "recall.db"
    shutil.copy(FIXTURES / "schema-v1.db", copy)
    return copy


@pytest.fixture
def latest_copy(tmp_path: Path) -> Path:
    """A copy of the newest released schema's fixture: what a test-only next version upgrades."""
    copy = tmp_path / "recall.db"
    shutil.copy(RELEASED[-1], copy)
    return copy


def test_there_is_a_fixture_for_every_released_schema() -> None:
    assert [p.name for p in RELEASED] == [f"schema-v{n}.db" for n in range(1, SCHEMA_VERSION + 1)]


@pytest.mark.parametrize("fixture", RELEASED, ids=lambda p: p.stem)
def test_opening_a_released_database_keeps_everything(fixture: Path, tmp_path: Path) -> None:
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    before = everything(copy)
    engine = open_db(copy)
    assert schema_version(engine) == SCHEMA_VERSION
    after = everything(copy)
    for table, rows in before.items():
        width = len(rows[0]) if rows else 0  # columns a later version added come after the old ones
        assert [row[:width] for row in after[table][: len(rows)]] == rows, table


def upgraded(fixture: Path, tmp_path: Path) -> Path:
    """A copy of a released database ``fixture``, opened once (and so upgraded) by this recall."""
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    open_db(copy).dispose()
    return copy


@pytest.mark.parametrize("fixture", RELEASED[:2], ids=lambda p: p.stem)
def test_the_upgrade_to_v3_measures_every_highlight(fixture: Path, tmp_path: Path) -> None:
    """v3: every highlight's words and placeholder mark, as the import would store them."""
    from recall.quality import measure

    copy = upgraded(fixture, tmp_path)
    with sqlite3.connect(copy) as connection:
        measured = connection.execute("SELECT text, words, placeholder FROM highlights").fetchall()
    assert len(measured) >= 124
    assert [(words, bool(placeholder)) for _, words, placeholder in measured] == [tuple(measure(t)) for t, *_ in measured]
    assert {words for _, words, _ in measured} != {None}


@pytest.mark.parametrize("fixture", RELEASED[:3], ids=lambda p: p.stem)
def test_the_upgrade_to_v4_adds_the_search_index_empty_and_not_built(fixture: Path, tmp_path: Path) -> None:
    """v4: the search index costs an upgrade nothing; `recall search` builds it on first use."""
    copy = upgraded(fixture, tmp_path)
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT id, built FROM search_index_state").fetchall() == [(1, 0)]
        assert connection.execute("SELECT count(*) FROM highlights_fts").fetchone()[0] == 0
        triggers = {row[0] for row in connection.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")}
    assert triggers == {"highlights_fts_insert", "highlights_fts_update", "highlights_fts_delete", "sources_fts_update"}


@pytest.mark.parametrize("fixture", RELEASED[:5], ids=lambda p: p.stem)
def test_the_upgrade_to_v6_gives_no_review_an_event_and_reads_no_log_yet(fixture: Path, tmp_path: Path) -> None:
    """v6: rows older than the review log name no event and no device (moving them into the log
    is a step of its own); the table of log files read is empty; an event id is unique."""
    copy = upgraded(fixture, tmp_path)
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT DISTINCT event_id, device FROM reviews").fetchall() == [(None, None)]
        assert connection.execute("SELECT count(*) FROM log_files").fetchone()[0] == 0
        copy_row = "INSERT INTO reviews SELECT NULL, highlight_id, reviewed_at, study_day, grade, kind, seconds," \
            " repetitions_before, easiness_before, interval_before, due_before, repetitions_after, easiness_after," \
            " interval_after, due_after, ?, 'device' FROM reviews WHERE id = 1"
        connection.execute(copy_row, (None,))  # rows without an event: as many as there are
        connection.execute(copy_row, ("9b2f0c55-2d0e-4f5a-8f3e-1c7d2b9a0e11",))
        with pytest.raises(sqlite3.IntegrityError, match="reviews.event_id"):
            connection.execute(copy_row, ("9b2f0c55-2d0e-4f5a-8f3e-1c7d2b9a0e11",))


def test_the_v6_fixture_names_the_events_of_its_log(tmp_path: Path) -> None:
    """Every review row of a v6 database written through `rate` names its event in the log beside it."""
    from recall.reviewlog.files import read_log

    fixture = FIXTURES / "schema-v6.db"
    with sqlite3.connect(upgraded(fixture, tmp_path)) as connection:
        rows = connection.execute("SELECT event_id, device, grade FROM reviews ORDER BY id").fetchall()
    read = read_log(FIXTURES / "schema-v6-log", {})
    assert not read.problems
    assert rows == [(str(e.event.id), e.event.device, e.event.grade) for e in read.events]
    assert len(rows) == 8


def test_v1_holds_the_graded_history(v1_copy: Path) -> None:
    open_db(v1_copy)
    with sqlite3.connect(v1_copy) as connection:
        assert connection.execute("SELECT count(*) FROM highlights").fetchone()[0] == 124
        assert connection.execute(
            "SELECT highlight_id, grade, kind, study_day, repetitions_after, easiness_after, interval_after, due_after"
            " FROM reviews ORDER BY id"
        ).fetchall() == V1_REVIEWS
        assert connection.execute(
            "SELECT id, repetitions, easiness, interval, due FROM highlights WHERE id <= 4 ORDER BY id"
        ).fetchall() == V1_STATES


def test_an_upgrade_backs_up_first_and_keeps_every_row(latest_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    v1_copy = latest_copy
    before = everything(v1_copy)
    monkeypatch.setattr(engine_module, "MIGRATIONS", [*MIGRATIONS, sql_migration("ALTER TABLE highlights ADD COLUMN extra TEXT")])
    monkeypatch.setattr(engine_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    engine = open_db(v1_copy)
    assert schema_version(engine) == SCHEMA_VERSION + 1
    (backup,) = v1_copy.parent.glob(f"recall.v{SCHEMA_VERSION}-*.backup.db")
    assert everything(backup) == before
    with sqlite3.connect(backup) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    upgraded = everything(v1_copy)
    assert upgraded["reviews"] == before["reviews"]
    assert [row[:-1] for row in upgraded["highlights"]] == before["highlights"]  # plus the new, empty column


def test_a_failed_upgrade_leaves_the_database_as_it_was(latest_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    v1_copy = latest_copy
    before = everything(v1_copy)
    broken = "ALTER TABLE highlights ADD COLUMN extra TEXT; INSERT INTO no_such_table VALUES (1)"
    monkeypatch.setattr(engine_module, "MIGRATIONS", [*MIGRATIONS, sql_migration(broken)])
    monkeypatch.setattr(engine_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(DatabaseError, match="no_such_table"):
        open_db(v1_copy)
    with sqlite3.connect(v1_copy) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = [row[1] for row in connection.execute("PRAGMA table_info(highlights)")]
    assert "extra" not in columns
    assert everything(v1_copy) == before


def test_review_ids_are_never_reused_after_the_upgrade(v1_copy: Path, log_writer, tmp_path: Path) -> None:
    """v2: an undone grade's id is never given to the next grade, so an undo that names
    an id can never take back someone else's grade."""
    from datetime import UTC, date, datetime

    from recall.scheduler.actions import rate
    from recall.scheduler.undo import undo_last

    engine = open_db(v1_copy)
    newest = max(row[0] for row in everything(v1_copy)["reviews"])
    now, day = datetime(2026, 3, 3, 9, tzinfo=UTC), date(2026, 3, 3)
    undone = undo_last(engine, now, day, log=log_writer)  # a grade older than the log: no undo event
    assert undone is not None and not (tmp_path / "review-log").exists()
    rated = rate(engine, 5, 4, now, day, log=log_writer)
    assert max(row[0] for row in everything(v1_copy)["reviews"]) == newest + 1
    assert db_rows(v1_copy, "SELECT event_id FROM reviews WHERE id = ?", newest + 1) == [(str(rated.event_id),)]


def test_a_kill_during_an_upgrade_leaves_no_partial_backup(v1_copy: Path) -> None:
    """Killed after the backup copy was written but before it was complete under its name:
    no file named as a backup is ever a partial copy, and the next open upgrades."""
    import signal
    import subprocess
    import sys

    before = everything(v1_copy)
    script = (
        "import os, signal, sys; from pathlib import Path; import recall.db.engine as e;"
        "e.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL); e.open_db(Path(sys.argv[1]))"
    )
    done = subprocess.run([sys.executable, "-c", script, str(v1_copy)], capture_output=True, check=False)
    assert done.returncode == -signal.SIGKILL
    assert not list(v1_copy.parent.glob("*.backup.db"))
    assert everything(v1_copy) == before
    open_db(v1_copy).dispose()
    (backup,) = v1_copy.parent.glob("recall.v1-*.backup.db")
    assert everything(backup) == before


def test_two_recalls_opening_an_old_database_at_once_both_succeed(
    latest_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run after an update: the sync hook's `recall import` and the user's
    `recall review` open the old database in the same second. The second waits for the
    first one's upgrade instead of failing on a backup of the same name."""
    import threading
    from datetime import UTC, datetime

    class SameSecond(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 3, 2, 9, 30, tzinfo=UTC).astimezone(tz)

    monkeypatch.setattr(engine_module, "datetime", SameSecond)
    slow = (  # a few tenths of a second: long enough for the second one to arrive mid-upgrade
        "ALTER TABLE highlights ADD COLUMN extra TEXT; CREATE TABLE busywork AS WITH RECURSIVE c(x) AS"
        " (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000) SELECT x FROM c; DROP TABLE busywork"
    )
    monkeypatch.setattr(engine_module, "MIGRATIONS", [*MIGRATIONS, sql_migration(slow)])
    monkeypatch.setattr(engine_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    before = everything(latest_copy)
    outcomes: list[BaseException | None] = []

    def open_it() -> None:
        try:
            open_db(latest_copy).dispose()
            outcomes.append(None)
        except BaseException as error:
            outcomes.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes == [None, None]
    with sqlite3.connect(latest_copy) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    (backup,) = latest_copy.parent.glob(f"recall.v{SCHEMA_VERSION}-*.backup.db")
    assert everything(backup) == before
