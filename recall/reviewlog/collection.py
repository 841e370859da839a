"""What the review log says about the whole collection (key ``*``): the scheduler, and the breaks.

Every device reads the same events, so every device finds the same settings
(``recall.scheduler_settings``; a log without a scheduler event is scheduled by SM-2) and the
same breaks (``recall break``: study days on which nothing is due).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from recall.db import logevents
from recall.db.engine import Connection
from recall.db.queue import due_load
from recall.reviewlog.events import COLLECTION_KEY, Event, EventType, from_json
from recall.reviewlog.replay import undone_ids
from recall.scheduler_settings import SM2, SchedulerSettings


def collection_events(connection: Connection) -> list[Event]:
    """Every event of the collection stored (``log_events``), in replay order (study day, instant,
    sequence, id): scheduler switches, breaks and undos of breaks."""
    events = [from_json(line) for _, line in logevents.lines_of_keys(connection, [COLLECTION_KEY])]
    return sorted(events, key=lambda event: event.order)


def switches(connection: Connection) -> list[Event]:
    """Every ``scheduler`` event stored, in replay order."""
    return [event for event in collection_events(connection) if event.type is EventType.SCHEDULER]


def current_settings(connection: Connection) -> SchedulerSettings:
    """The scheduler in use: the last ``scheduler`` event's settings (``SM2`` without one)."""
    events = switches(connection)
    return SM2 if not events or events[-1].settings is None else events[-1].settings


@dataclass(frozen=True, slots=True)
class Break:
    """A break in effect: study days ``start`` to ``end`` (inclusive), and the ``event`` that set it."""

    start: date
    end: date
    event: Event

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def breaks(connection: Connection) -> list[Break]:
    """The breaks in effect (not taken back by an undo), in replay order."""
    events = collection_events(connection)
    undone, _ = undone_ids({event.id: event for event in events})
    return [
        Break(event.start, event.end, event) for event in events
        if event.type is EventType.BREAK and event.id not in undone and event.start and event.end
    ]


def break_on(found: list[Break], day: date) -> Break | None:
    """The break among ``found`` that ``day`` is in (the one ending last, when they overlap), or None."""
    holding = [one for one in found if day in one]
    return max(holding, key=lambda one: one.end) if holding else None


def after_breaks(found: list[Break], day: date) -> date:
    """``day``, or the first day after it that is in none of the breaks ``found`` (overlapping and
    back-to-back breaks are crossed as one)."""
    while (holding := break_on(found, day)) is not None:
        day = date.fromordinal(holding.end.toordinal() + 1)
    return day


BREAK_LOAD = 10**9  # a break day's load for balancing: heavier than any real day


def balance_load(connection: Connection, first: date, last: date) -> dict[date, int]:
    """The load a balanced grade is placed by (``recall.scheduling.Load``): the highlights due on
    each study day from ``first`` to ``last`` (``queue.due_load``), every day of a break counted
    as the heaviest, so a balanced grade lands outside breaks whenever its range allows."""
    load = due_load(connection, first, last)
    found = breaks(connection)
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if break_on(found, day) is not None:
            load[day] = BREAK_LOAD
    return load
