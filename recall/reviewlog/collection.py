"""The collection's scheduler as the review log has it: the last ``scheduler`` event read.

Every device reads the same events, so every device finds the same settings
(``recall.scheduler_settings``); a log without a scheduler event is scheduled by SM-2.
"""

from __future__ import annotations

from recall.db import logevents
from recall.db.engine import Connection
from recall.reviewlog.events import COLLECTION_KEY, Event, from_json
from recall.scheduler_settings import SM2, SchedulerSettings


def switches(connection: Connection) -> list[Event]:
    """Every ``scheduler`` event stored (``log_events``), in replay order (study day, instant, sequence, id)."""
    events = [from_json(line) for _, line in logevents.lines_of_keys(connection, [COLLECTION_KEY])]
    return sorted(events, key=lambda event: event.order)


def current_settings(connection: Connection) -> SchedulerSettings:
    """The scheduler in use: the last ``scheduler`` event's settings (``SM2`` without one)."""
    events = switches(connection)
    return SM2 if not events or events[-1].settings is None else events[-1].settings
