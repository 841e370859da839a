"""Three devices, one history (issue 13's "Done when"): each has its own recall home (device id),
database and copy of one vault; they grade, skip, favourite and undo with clocks minutes apart,
and their log files reach each other in random orders, sometimes torn mid-line, sometimes twice
under Syncthing's conflict-copy names. Once every file has reached every device, every highlight
has the same schedule, marks and reviews rows on all of them, and `export stats` is the same."""

from __future__ import annotations

import io
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import SAMPLE_VAULT, db_rows, run_import

from recall.clock import study_day
from recall.db.engine import open_db
from recall.reviewlog.catchup import catch_up
from recall.reviewlog.writer import LogWriter
from recall.scheduler.actions import ActionError, rate, set_favorite, skip
from recall.scheduler.switch import switch_scheduler
from recall.scheduler.undo import undo_last
from recall.scheduler_settings import SM2, SchedulerName, SchedulerSettings
from recall.stats.export import write_stats
from recall.stats.report import gather_at

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CLOCKS = (timedelta(0), timedelta(minutes=3), timedelta(minutes=-4))  # each device's clock, off by minutes
STATE = ("SELECT key, repetitions, easiness, interval, due, skipped_until, discarded, favorite, stability, difficulty,"
         " last_review FROM highlights ORDER BY key")
GRADES = ("SELECT h.key, r.event_id, r.kind, r.grade, r.repetitions_after, r.easiness_after, r.due_after"
          " FROM reviews r JOIN highlights h ON h.id = r.highlight_id ORDER BY r.event_id")
CONFLICT = ".sync-conflict-20260302-093000-ABCDEFG"


@dataclass
class Device:
    """One simulated device; ``template`` is its database right after importing its vault."""

    home: Path
    vault: Path
    db: Path
    template: Path

    @property
    def log(self) -> Path:
        return self.vault / "recall-log"

    def writer(self) -> LogWriter:
        return LogWriter(tz="UTC", rollover=4, device_folder=self.home)

    def reset(self) -> None:
        """The database as just imported, and no log: a fresh start for one example."""
        for leftover in self.db.parent.glob(self.db.name + "*"):
            leftover.unlink()
        with sqlite3.connect(self.template) as source, sqlite3.connect(self.db) as target:
            source.backup(target)
        shutil.rmtree(self.log, ignore_errors=True)


@pytest.fixture(scope="module")
def devices(tmp_path_factory: pytest.TempPathFactory) -> list[Device]:
    made = []
    for number in range(len(CLOCKS)):
        base = tmp_path_factory.mktemp(f"device{number}")
        device = Device(base / "home", base / "vault", base / "recall.db", base / "template.db")
        shutil.copytree(SAMPLE_VAULT, device.vault, symlinks=True)
        engine = open_db(device.template)
        run_import(engine, device.vault)
        engine.dispose()
        made.append(device)
    return made


def deliver(source: Device, target: Device, torn: int, conflict: bool) -> None:
    """A sync from ``source`` to ``target``: each log file longer at the source is copied over
    (newer wins), the last ``torn`` bytes missing (a copy mid-append) and, with ``conflict``, also
    under a conflict-copy name."""
    for path in sorted(source.log.rglob("*.jsonl")):
        copy = target.log / path.relative_to(source.log)
        data = path.read_bytes()
        if torn and data.endswith(b"\n"):  # cut into the last line, never to its start
            last_line = len(data) - (data.rfind(b"\n", 0, len(data) - 1) + 1)
            data = data[: len(data) - min(torn, last_line - 1)]
        if copy.exists() and copy.stat().st_size >= len(data):
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data)
        if conflict:
            copy.with_name(copy.stem + CONFLICT + copy.suffix).write_bytes(data)


ACTIONS = st.tuples(
    st.just("act"), st.integers(0, 2),
    st.sampled_from(["grade", "grade", "grade", "skip", "favorite", "undo", "switch"]),
    st.integers(1, 4), st.integers(0, 5), st.integers(0, 1500),
)
SYNCS = st.tuples(st.just("sync"), st.integers(0, 2), st.integers(0, 2), st.integers(0, 60), st.booleans())


def act(device: Device, engine, what: str, highlight: int, grade: int, now: datetime) -> None:
    log, day = device.writer(), study_day(now, "UTC", 4)
    catch_up(engine, log, now)
    try:
        if what == "grade":
            rate(engine, highlight, grade, now, day, 3.0, log=log)
        elif what == "skip":
            skip(engine, highlight, now, day, log=log)
        elif what == "favorite":
            set_favorite(engine, highlight, now, day, favorite=grade % 2 == 0, log=log)
        elif what == "switch":  # the collection's scheduler: FSRS (two retentions, balanced), SM-2 (balanced)
            chosen = (SM2, SchedulerSettings(SchedulerName.FSRS), SchedulerSettings(SchedulerName.FSRS, 0.8, balance=True),
                      SchedulerSettings(balance=True))[grade % 4]
            switch_scheduler(engine, chosen, now, day, log=log)
        else:
            undo_last(engine, now, day, log=log)
    except ActionError:  # a skip of a discarded highlight and the like: refused, as on a real device
        pass


def stats_export(engine, today) -> str:
    out = io.StringIO()
    write_stats(gather_at(engine, today, "UTC", 4), "json", out)
    return out.getvalue()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(st.lists(st.one_of(ACTIONS, SYNCS), min_size=1, max_size=14))
def test_every_device_ends_with_the_same_schedules_and_stats(devices: list[Device], steps: list[tuple]) -> None:
    for device in devices:
        device.reset()
    engines = [open_db(device.db) for device in devices]
    at = START
    try:
        for step in steps:
            if step[0] == "act":
                _, number, what, highlight, grade, minutes = step
                at += timedelta(minutes=minutes)
                act(devices[number], engines[number], what, highlight, grade, at + CLOCKS[number])
            elif step[1] != step[2]:
                deliver(devices[step[1]], devices[step[2]], step[3], step[4])
                catch_up(engines[step[2]], devices[step[2]].writer(), at + CLOCKS[step[2]])
        for source in devices:  # the sync completes
            for target in devices:
                if source is not target:
                    deliver(source, target, 0, False)
        end = at + timedelta(minutes=10)
        for device, engine in zip(devices, engines, strict=True):
            assert catch_up(engine, device.writer(), end).warnings == []
        views = [(db_rows(d.db, STATE), db_rows(d.db, GRADES), stats_export(e, study_day(end, "UTC", 4)))
                 for d, e in zip(devices, engines, strict=True)]
    finally:
        for engine in engines:
            engine.dispose()
    assert views[0] == views[1] == views[2]
