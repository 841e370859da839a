"""Setting how often a source comes back (``recall frequency``, the review's ``+``/``-``): a
``frequency`` event of the review log, then the source's highlights replayed under it.

Like a scheduler switch, a level never moves a due day: it shapes each grade given after it
(``recall.scheduling.graded``). ``never`` suspends the source (its highlights leave the queue with
their schedules kept) until another level is set. Like every action, in one write transaction, the
event appended and fsync'd before the rows are written (``recall.scheduler.actions``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from recall.db import frequencies, logevents
from recall.db.engine import Connection, Engine, Row, writing
from recall.frequency import FACTORS, Level, event_key, factor_text
from recall.reviewlog.catchup import replay_keys
from recall.reviewlog.events import Event, EventType, Snapshot
from recall.reviewlog.files import LogWriteError
from recall.reviewlog.writer import LogWriter
from recall.scheduler.actions import ActionError, LogNotWritten, first_vault
from recall.scheduler_settings import SchedulerSettings
from recall.scheduling import level_retention, wanted_retention


class SourceNotFound(ActionError):
    """No source has that id, or none has a title holding what was typed."""


class SourceAmbiguous(ActionError):
    """What was typed names several sources: the message lists them, to pick one by its id."""


@dataclass(frozen=True)
class Leveled:
    """What setting a level did: the source (``source_id``, its ``title``), its level ``before`` and
    ``after``, the review log's ``event_id`` (None: the level was already in use, nothing logged)
    and how many of its ``highlights`` were replayed."""

    source_id: int
    title: str
    before: Level
    after: Level
    event_id: uuid.UUID | None
    highlights: int = 0

    @property
    def changed(self) -> bool:
        return self.event_id is not None


def effect(level: Level, settings: SchedulerSettings) -> str:
    """What ``level`` does under the collection's scheduler ``settings``, for people: "intervals ×2"
    (SM-2), "FSRS at 84.6% retention (intervals about ×2)", "out of the queue, schedules kept"."""
    if level is Level.NEVER:
        return "out of the queue, schedules kept"
    if not settings.fsrs:
        return f"intervals {factor_text(level)}"
    retention = level_retention(settings, level)
    text = f"FSRS at {retention:.1%} retention"
    if FACTORS[level] == 1:
        return text
    if retention != wanted_retention(settings, level):
        return text + " (as far as FSRS's 70-97% allows)"
    return text + f" (intervals about {factor_text(level)})"


def find_source(engine: Engine, typed: str) -> Row:
    """The one source ``typed`` names, as ``recall sources`` shows them: its id, else a title holding it
    (any case); of several, the one whose title is exactly it. ``SourceNotFound`` for none,
    ``SourceAmbiguous`` (naming up to five, with their ids) for several."""
    found = frequencies.matching_sources(engine, typed)
    if not found:
        raise SourceNotFound(f"no source has the id or a title containing {typed!r} (see `recall sources`)")
    exact = [row for row in found if row.title.casefold() == typed.casefold()]
    if len(found) == 1 or len(exact) == 1:
        return (exact or found)[0]
    named = "; ".join(f"{row.id} {row.title}" for row in found[:5]) + ("; …" if len(found) > 5 else "")
    raise SourceAmbiguous(f"{typed!r} matches {len(found)} sources ({named}): give its id")


def set_frequency(engine: Engine, source_id: int, level: Level, now: datetime, day: date, *, log: LogWriter) -> Leveled:
    """Set the source ``source_id`` to ``level`` at ``now`` (an aware instant, counting for study day
    ``day``): a ``frequency`` event appended to the review log through ``log`` (fsync'd), then the
    source's highlights replayed and its level stored, in one write transaction; due days stay.
    Nothing is logged when ``level`` is the source's already. Raises SourceNotFound, LogNotWritten
    (nothing changed)."""
    with writing(engine) as connection:
        row = _source(connection, source_id)
        before = Level(row.frequency)
        if level is before:
            return Leveled(source_id, row.title, before, level, None)
        event = _log(connection, log, EventType.FREQUENCY, row, now, day, level=level)
        replayed = replay_keys(connection, {event.key}, now)
    return Leveled(source_id, row.title, before, level, event.id, len(replayed.written))


def undo_frequency(engine: Engine, leveled: Leveled, now: datetime, day: date, *, log: LogWriter) -> None:
    """Take back a level ``set_frequency`` set (an ``undo`` event naming its event), at ``now``, counting
    for study day ``day``: the source's level is then what the log says without it. Raises
    SourceNotFound, LogNotWritten (nothing changed)."""
    if leveled.event_id is None:
        return
    with writing(engine) as connection:
        row = _source(connection, leveled.source_id)
        event = _log(connection, log, EventType.UNDO, row, now, day, undoes=leveled.event_id)
        replay_keys(connection, {event.key}, now)


def _source(connection: Connection, source_id: int) -> Row:
    row = frequencies.source_row(connection, source_id)
    if row is None:
        raise SourceNotFound(f"no source with id {source_id} (see `recall sources`)")
    return row


def _log(connection: Connection, log: LogWriter, type: EventType, row: Row, now: datetime, day: date, *,
         level: Level | None = None, undoes: uuid.UUID | None = None) -> Event:
    """Append an event of ``type`` about the source of ``row`` and store it in ``log_events``, placed."""
    try:
        event = log.write(first_vault(connection), type, key=event_key(row.key), at=now, day=day, before=Snapshot(),
                          after=Snapshot(), level=level, undoes=undoes)
    except LogWriteError as error:
        raise LogNotWritten(f"{'frequency' if level is not None else 'undo'} not saved: {error}") from error
    logevents.keep_events(connection, [(str(event.id), event.key, event.type.value, event.to_json())], placed=True)
    return event
