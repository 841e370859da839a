"""Switching the collection's scheduler (``recall scheduler``, ``recall optimize``): an event of the
review log, then every highlight replayed under it.

A switch never reschedules: every due day stays as it is, and each highlight's next grade is
scheduled by the new scheduler (``recall.reviewlog.replay``, rule 5). Turning FSRS on computes
each reviewed highlight's memory state from its review history; SM-2 keeps its own numbers up to
date under FSRS, so switching back resumes from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from recall.db import logevents, replayed
from recall.db.engine import Engine, writing
from recall.reviewlog.catchup import replay_keys
from recall.reviewlog.collection import current_settings
from recall.reviewlog.events import COLLECTION_KEY, EventType, Snapshot
from recall.reviewlog.files import LogWriteError
from recall.reviewlog.writer import LogWriter
from recall.scheduler.actions import LogNotWritten, first_vault
from recall.scheduler_settings import SchedulerSettings


@dataclass(frozen=True)
class Switched:
    """What a switch did: the settings ``before`` and ``after`` it; ``highlights`` replayed (0 when
    ``after`` was already in use: nothing was logged)."""

    before: SchedulerSettings
    after: SchedulerSettings
    highlights: int

    @property
    def changed(self) -> bool:
        return self.before != self.after


def switch_scheduler(
    engine: Engine, settings: SchedulerSettings, now: datetime, day: date, *, log: LogWriter
) -> Switched:
    """Make ``settings`` the collection's scheduler at ``now`` (an aware instant; the event counts for
    study day ``day``): a ``scheduler`` event appended to the review log through ``log`` (fsync'd),
    then every highlight replayed in the same write transaction (due days unchanged). Nothing is
    logged when ``settings`` are those in use. Raises LogNotWritten (nothing changed) when the log
    cannot take the event."""
    with writing(engine) as connection:
        before = current_settings(connection)
        if settings == before:
            return Switched(before, settings, 0)
        try:
            event = log.write(
                first_vault(connection), EventType.SCHEDULER, key=COLLECTION_KEY, at=now, day=day, before=Snapshot(),
                after=Snapshot(), settings=settings,
            )
        except LogWriteError as error:
            raise LogNotWritten(f"scheduler not switched: {error}") from error
        logevents.keep_events(connection, [(str(event.id), event.key, event.type.value, event.to_json())], placed=True)
        written = replay_keys(connection, replayed.highlight_ids(connection, None), now).written
    return Switched(before, settings, len(written))
