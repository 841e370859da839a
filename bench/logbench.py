"""The review log in the benchmark (issue 13's speed goals): the year of reviews that
``bench/history.py`` writes, written again as the review log of three devices, and the figures
that read it.

``write_log`` turns the ``reviews`` rows of a database (as ``history.add_history`` leaves them: no
event id) into ``grade`` events, each study day worked on one of three devices (a laptop most days,
a desktop, a phone now and then), and appends them with recall's own writer
(``recall.reviewlog.files.append_all``: one folder per device, one JSON Lines file per month, one
write and fsync per file); each row then names its event and device, as ``rate`` leaves it. The
devices' ids come from ``recall.reviewlog.device`` (a ``device.json`` each, in the scratch folder).

``log_group`` measures, in interleaved rounds:

- ``recall import`` with nothing changed and the three devices' year of logs (the catch-up: a stat
  per log file), against the same no-op without a log (goal ≤ 1.2 ×);
- ``recall db rebuild`` of the database with that year, against a first import (goal ≤ 1.2 ×).

    python bench/logbench.py DB LOG_ROOT      # write_log alone, on a database with history.py's year
"""

from __future__ import annotations

import random
import sqlite3
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from recall.reviewlog.device import device_id
from recall.reviewlog.events import Event, EventType, Snapshot
from recall.reviewlog.files import append_all
from recall.vocabulary import ReviewKind

DEVICES = ("laptop", "desktop", "phone")
DEVICE_WEIGHTS = (60, 30, 10)  # percent of study days
TZ, ROLLOVER = "UTC", 4  # as the bench's settings: every history.py instant (07:30 UTC on) is on its study day

ROWS = """
SELECT r.id, h.key, r.reviewed_at, r.study_day, r.grade, r.kind, r.seconds,
       r.repetitions_before, r.easiness_before, r.interval_before, r.due_before,
       r.repetitions_after, r.easiness_after, r.interval_after, r.due_after
FROM reviews r JOIN highlights h ON h.id = r.highlight_id WHERE r.event_id IS NULL ORDER BY r.id
"""


def device_ids(folder: Path) -> dict[str, str]:
    """The three devices' ids (name → id), each made once in ``folder/NAME/device.json``."""
    return {name: device_id(folder / name) for name in DEVICES}


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _events(rows: list[tuple], devices: dict[str, str], seed: int) -> tuple[dict[str, list[Event]], dict[uuid.UUID, int]]:
    """The rows as grade events, per device id, oldest first (each study day on one device), and
    each event's row id."""
    rng = random.Random(seed)
    by_day: dict[str, str] = {}
    made: dict[str, list[Event]] = {device: [] for device in devices.values()}
    rows_of: dict[uuid.UUID, int] = {}
    for (row_id, key, at, day, grade, kind, seconds, reps_b, ef_b, ivl_b, due_b, reps_a, ef_a, ivl_a, due_a) in rows:
        if day not in by_day:
            by_day[day] = devices[rng.choices(DEVICES, DEVICE_WEIGHTS)[0]]
        device = by_day[day]
        made[device].append(Event(
            id=uuid.UUID(int=rng.getrandbits(128), version=4), type=EventType.GRADE,
            at=datetime.fromisoformat(at).replace(tzinfo=UTC), day=date.fromisoformat(day), tz=TZ, rollover=ROLLOVER,
            device=device, key=key, before=Snapshot(reps_b, ef_b, ivl_b, _day(due_b)),
            after=Snapshot(reps_a, ef_a, ivl_a, _day(due_a)), grade=grade, kind=ReviewKind(kind), seconds=seconds,
        ))
        rows_of[made[device][-1].id] = row_id
    return made, rows_of


def write_log(db_path: str | Path, root: Path, devices: dict[str, str], seed: int = 13) -> dict[str, int]:
    """Write the grades of the database ``db_path`` that name no event (``history.add_history``'s
    year) to the review log under ``root`` as the events of ``devices`` (name → device id, as
    ``device_ids`` gives), and name each row's event and device on it. Returns a summary: events,
    files and bytes written, and events per device name. Raises ``LogWriteError`` (from recall)."""
    db = sqlite3.connect(db_path)
    try:
        made, rows_of = _events(db.execute(ROWS).fetchall(), devices, seed)
        names = {device: name for name, device in devices.items()}
        summary: dict[str, int] = {}
        for device, events in made.items():
            written = append_all(root, device, events)
            summary[names[device]] = len(written)
            with db:
                db.executemany("UPDATE reviews SET event_id = ?, device = ? WHERE id = ?",
                               [(str(event.id), device, rows_of[event.id]) for event in written])
    finally:
        db.close()
    files = [path for path in root.rglob("*.jsonl")]
    return {"events": sum(summary.values()), "files": len(files), "bytes": sum(p.stat().st_size for p in files),
            **summary}


if __name__ == "__main__":
    target = Path(sys.argv[2])
    print(write_log(sys.argv[1], target, device_ids(target.parent / "devices")))



def nolog_env(scratch: Path) -> dict[str, str]:
    """The environment of a recall with no review log (today's): its own home, whose settings put
    the log in a folder that never exists."""
    import run as bench

    home = scratch / "home-nolog"
    if not home.is_dir():
        home.mkdir(parents=True)
        (home / "config.toml").write_text(f'timezone = "UTC"\nreview_log = "{scratch / "nolog"}"\n', encoding="utf-8")
    return bench.child_env(scratch) | {"RECALL_HOME": str(home)}


def prepare(reviewed: Path, root: Path, scratch: Path) -> dict[str, int]:
    """Write the year of ``reviewed`` (``history.add_history``'s) as the log of three devices under
    ``scratch/log`` (the ``review_log`` of the bench's settings), make the bench's own device the
    laptop (so ``recall rate`` appends to its month file), and let one untimed import of the vault
    ``root`` catch up with it (every event new: a device joining). Returns ``write_log``'s summary
    with ``first_catch_up_ms``."""
    import shutil

    import run as bench

    made = write_log(reviewed, scratch / "log", device_ids(scratch / "devices"))
    shutil.copy2(scratch / "devices" / "laptop" / "device.json", scratch / "home" / "device.json")
    joined = bench.timed([*bench.RECALL, "import", str(root), "--db", str(reviewed)], bench.child_env(scratch), ok=(0, 3))
    return made | {"first_catch_up_ms": round(joined.seconds * 1000)}


def log_group(root: Path, first_db: Path, reviewed: Path, runs: int, light: int, scratch: Path, rows: list,
              raw: dict) -> None:
    """The review log's rows (module docstring): ``root`` the vault, ``first_db`` a first import of it
    (no history, no log), ``reviewed`` the database with the year and its log (``prepare``)."""
    import run as bench

    plain, fresh = scratch / "plain.db", scratch / "log-first.db"
    bench.copy_db(first_db, plain)
    env, nolog = bench.child_env(scratch), nolog_env(scratch)
    f = {name: bench.Figure() for name in ("noop", "noop_log", "first", "rebuild")}
    for db, environment in ((plain, nolog), (reviewed, env)):  # untimed: the daily rows' grades read once
        bench.timed([*bench.RECALL, "import", str(root), "--db", str(db)], environment, ok=(0, 3))

    def rebuild() -> float:
        run = bench.timed([*bench.RECALL, "db", "rebuild", "--db", str(reviewed)], env)
        for backup in reviewed.parent.glob(f"{reviewed.stem}.rebuild-*.backup.db"):
            backup.unlink()
        return run.seconds

    def first() -> float:
        bench.remove_db(fresh)
        return bench.timed([*bench.RECALL, "import", str(root), "--db", str(fresh)], nolog, ok=(0, 3)).seconds

    for round_ in range(runs):
        bench.log(f"review log: round {round_ + 1}/{runs}")
        for _ in range(light):
            f["noop"].add(lambda: bench.timed([*bench.RECALL, "import", str(root), "--db", str(plain)], nolog,
                                              ok=(0, 3)).seconds)
            f["noop_log"].add(lambda: bench.timed([*bench.RECALL, "import", str(root), "--db", str(reviewed)], env,
                                                  ok=(0, 3)).seconds)
        f["first"].add(first)
        f["rebuild"].add(rebuild)
    raw["review_log"] = {name: fig.samples for name, fig in f.items()}
    rows.append(("`recall import`, nothing changed, no review log (today's no-op)", f["noop"].show(), "reference", "",
                 ""))
    _ratio_row(rows, "`recall import`, nothing changed, with the year's logs of three devices", f["noop_log"], f["noop"],
               "no-op without a log")
    rows.append(("`recall import`, first import (no review log)", f["first"].show(), "reference", "", ""))
    _ratio_row(rows, "`recall db rebuild` (every highlight and review replayed from the log; its backup included)",
               f["rebuild"], f["first"], "first import")


def _ratio_row(rows: list, what: str, figure, reference, name: str, goal: float = 1.2) -> None:
    import run as bench

    if figure.ok and reference.ok:
        ratio = figure.median / reference.median
        rows.append((what, figure.show(), f"{ratio:.2f} × {name}", f"≤ {goal}", bench.verdict(ratio, goal)))
    else:
        rows.append((what, figure.show(), "", f"≤ {goal}", "n/a"))
