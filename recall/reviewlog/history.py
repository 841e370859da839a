"""The history older than the review log, written into it once (docs/review-log.md, step 8).

A database from before the log holds grades (``reviews`` rows that name no event) and marks
(discarded, favourite, skipped) that no event explains. ``migrate`` writes them to this device's
log files as events, once (``log_history`` records it), so that every device replays them:

- each such row → a ``grade`` event, ``id = uuid5(NAMESPACE, f"{key}|{at}|{grade}")`` (``at`` as
  the log writes it; the n-th repeat of one key, instant and grade, in row order, adds ``|n``: a
  clock that stood still gave two such rows), its ``kind``, ``seconds``, instant and study day as
  the row has them;
- each mark → one event: ``discard``, ``favorite``, or ``skip`` through the row's
  ``skipped_until``, ids ``uuid5(NAMESPACE, f"{key}|discard")`` (``|favorite``,
  ``|skip|<day>``), at an instant the database gives (just after the highlight's newest grade,
  else its ``first_seen``; a skip no earlier than its day's start).

Each is numbered (``seq``) in that order, so grades of one instant replay as they were given.
Everything in an event comes from the database and the settings, and ``device`` is
``HISTORY_DEVICE`` for all of them, so two devices that shared one database file write the
same events, which the merge takes once. ``before``/``after`` are the replay's own, so a replay of
the log gives back the database's schedules.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from recall.clock import study_day, study_day_start
from recall.db import logevents, replayed, vaults
from recall.db.engine import Engine, Row, writing
from recall.fsnames import from_stored
from recall.reviewlog import files
from recall.reviewlog.events import Event, EventType, Snapshot, instant_text
from recall.reviewlog.replay import replay
from recall.reviewlog.writer import LogWriter
from recall.vocabulary import ReviewKind

NAMESPACE: Final = uuid.UUID("0b1f7c44-5d8e-4a43-9c39-3f6b1f8f2a10")  # never change: ids depend on it
HISTORY_DEVICE: Final = str(uuid.uuid5(NAMESPACE, "history before the review log"))
TICK: Final = timedelta(microseconds=1)


def grade_id(key: str, at: datetime, grade: int, repeat: int = 0) -> uuid.UUID:
    """The id of a migrated grade: the same for the same row on every device; ``repeat`` is how many
    rows of the same key, instant and grade come before it (row order), so each row has its own."""
    suffix = f"|{repeat}" if repeat else ""
    return uuid.uuid5(NAMESPACE, f"{key}|{instant_text(at)}|{grade}{suffix}")


def grade_ids(rows: list[Row]) -> list[uuid.UUID]:
    """``grade_id`` of each of ``rows`` (``replayed.grades_without_events``, in row order)."""
    seen: dict[tuple[str, datetime, int], int] = {}
    ids = []
    for row in rows:
        at = replayed.instant(row.reviewed_at)
        repeat = seen.get((row.key, at, row.grade), 0)
        seen[(row.key, at, row.grade)] = repeat + 1
        ids.append(grade_id(row.key, at, row.grade, repeat))
    return ids


def migrate(engine: Engine, log: LogWriter, now: datetime) -> int:
    """Write the database's history older than the log into this device's log files, once, and
    name each migrated row's event on it; returns how many events were written (0 once done).

    In one write transaction: the events are appended and fsync'd before the rows are named and
    ``log_history`` gets its row, so a crash in between writes the same events again next time
    (same ids: the merge takes them once). Raises ``LogWriteError`` when the log cannot take
    them (nothing is recorded; the next command tries again)."""
    with engine.connect() as connection:
        if logevents.history_migrated(connection):
            return 0
    with writing(engine) as connection:
        if logevents.history_migrated(connection):
            return 0
        rows = replayed.grades_without_events(connection)
        marks = replayed.marked_highlights(connection)
        ids = grade_ids(rows)
        events = _grades(rows, ids, log) + [event for mark in marks for event in _marks(mark, log)]
        events = [replace(event, seq=n) for n, event in enumerate(events, 1)]  # same-instant rows keep their order
        if events:
            first = vaults.first_vault_root(connection)
            root = log.root(None if first is None else Path(from_stored(first)))
            events = _with_states(events)
            files.append_all(root, log.device(), events)
        by_id = {event.id: event for event in events}
        replayed.name_events(connection, [
            (row.id, str(event_id), HISTORY_DEVICE) for row, event_id in zip(rows, ids, strict=True) if event_id in by_id
        ])
        logevents.mark_history_migrated(connection, now, len(events))
    return len(events)


def _grades(rows: list[Row], ids: list[uuid.UUID], log: LogWriter) -> list[Event]:
    events = []
    for row, event_id in zip(rows, ids, strict=True):
        at = replayed.instant(row.reviewed_at)
        events.append(Event(
            id=event_id, type=EventType.GRADE, at=at, day=row.study_day, tz=log.tz,
            rollover=log.rollover, device=HISTORY_DEVICE, key=row.key, before=Snapshot(), after=Snapshot(),
            grade=row.grade, kind=ReviewKind(row.kind), seconds=row.seconds,
        ))
    return events


def _marks(row: Row, log: LogWriter) -> list[Event]:
    """One event per mark of the highlight ``row`` (``replayed.marked_highlights``)."""
    last = replayed.instant(row.last if row.last is not None else row.first_seen) + TICK
    made = []
    for type, wanted, detail in (
        (EventType.DISCARD, row.discarded, ""), (EventType.FAVORITE, row.favorite, ""),
        (EventType.SKIP, row.skipped_until is not None, f"|{row.skipped_until}"),
    ):
        if not wanted:
            continue
        at, day = last, study_day(last, log.tz, log.rollover)
        if type is EventType.SKIP:
            at = max(last, study_day_start(row.skipped_until, log.tz, log.rollover).astimezone(UTC))
            day = row.skipped_until
        made.append(Event(
            id=uuid.uuid5(NAMESPACE, f"{row.key}|{type.value}{detail}"), type=type, at=at, day=day, tz=log.tz,
            rollover=log.rollover, device=HISTORY_DEVICE, key=row.key, before=Snapshot(), after=Snapshot(),
        ))
    return made


def _with_states(events: list[Event]) -> list[Event]:
    """``events`` with the replay's ``before`` and ``after``, in replay order."""
    result = replay(events)
    return [replace(applied.event, before=applied.before, after=applied.after) for applied in result.applied]
