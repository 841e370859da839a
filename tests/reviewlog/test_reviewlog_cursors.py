"""The database keeps how far each log file was read (``log_files``), so a later read starts there:
an unchanged file is not opened, a grown one is read from where the last read stopped."""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta
from pathlib import Path

from logsim import START, event

from recall.db import logfiles
from recall.db.engine import writing
from recall.reviewlog.events import EventType
from recall.reviewlog.files import Cursor, append, read_log

DEVICE = "0b7e3f4a-5c6d-4e8f-9a0b-1c2d3e4f5a6b"


def grade(minutes: int):
    return event(EventType.GRADE, "rw:1", START + timedelta(minutes=minutes), device=DEVICE, grade=4)


def keep(engine, root: Path, cursors: dict[str, Cursor]) -> None:
    with writing(engine) as connection:
        logfiles.keep_cursors(connection, str(root), {name: c.to_json() for name, c in cursors.items()})


def stored(engine, root: Path) -> dict[str, Cursor]:
    with engine.connect() as connection:
        return {name: Cursor.from_json(c) for name, c in logfiles.stored_cursors(connection, str(root)).items()}


def test_the_table_holds_every_field_of_a_cursor() -> None:
    assert tuple(field.name for field in dataclasses.fields(Cursor)) == logfiles.FIELDS


def test_a_read_resumes_from_the_cursors_the_database_kept(engine, tmp_path: Path) -> None:
    root = tmp_path / "recall-log"
    first, second, third = grade(0), grade(1), grade(2)
    append(root, first)
    with (root / DEVICE / "2026-03.jsonl").open("ab") as handle:
        handle.write(second.to_json().encode()[:40])  # a torn tail: its length and first sighting are kept too
    read = read_log(root, {}, now=1000.0)
    keep(engine, root, read.cursors)
    assert stored(engine, root) == read.cursors and read.cursors[f"{DEVICE}/2026-03.jsonl"].torn == 40

    again = read_log(root, stored(engine, root), now=1001.0)
    assert (again.events, again.files_unchanged) == ([], 1)

    path = root / DEVICE / "2026-03.jsonl"
    path.write_bytes(path.read_bytes()[: -40] + (second.to_json() + "\n").encode())
    append(root, third)
    grown = read_log(root, stored(engine, root), now=1002.0)
    assert [located.event for located in grown.events] == [second, third] and grown.files_read == 1


def test_files_gone_from_the_log_are_forgotten_and_other_roots_kept(engine, tmp_path: Path) -> None:
    here, there = tmp_path / "here", tmp_path / "th\udce9re"  # a root whose name is not UTF-8
    append(here, grade(0))
    april = dataclasses.replace(grade(0), at=START + timedelta(days=31))
    append(here, april)
    keep(engine, here, read_log(here, {}).cursors)
    append(there, grade(5))
    keep(engine, there, read_log(there, {}).cursors)
    assert set(stored(engine, here)) == {f"{DEVICE}/2026-03.jsonl", f"{DEVICE}/2026-04.jsonl"}

    os.remove(here / DEVICE / "2026-03.jsonl")
    keep(engine, here, read_log(here, stored(engine, here)).cursors)
    assert set(stored(engine, here)) == {f"{DEVICE}/2026-04.jsonl"}
    assert set(stored(engine, there)) == {f"{DEVICE}/2026-03.jsonl"}
    keep(engine, here, {})
    assert stored(engine, here) == {} and len(stored(engine, there)) == 1


def test_the_events_waiting_for_a_highlight_are_found_through_their_partial_index(engine) -> None:
    """Every import's catch-up asks for them: a scan of a year's events (20 MB of lines) cost ~100 ms."""
    from recall.db import logevents

    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        statements: list[str] = []
        raw.set_trace_callback(statements.append)
        logevents.unplaced_keys(connection)
        raw.set_trace_callback(None)
        (query,) = [s for s in statements if "log_events" in s]
        plan = " ".join(str(row) for row in raw.execute(f"EXPLAIN QUERY PLAN {query}"))
    assert "log_events_unplaced" in plan, plan
