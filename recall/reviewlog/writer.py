"""What an action needs to put its event in the review log, and the appends themselves.

An action (``recall.scheduler.actions``) builds its event inside its write transaction, after
its refusals and before its UPDATE, and calls one of these; when the append fails it raises
``LogWriteError`` and the action rolls back: nothing happened (docs/review-log.md, "Durability").
Every action writes through ``LogWriter.write``: grades, skips, discards and restores,
favourite marks, and undos naming the event they take back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recall.clock import study_day
from recall.frequency import Level
from recall.reviewlog import device, files
from recall.reviewlog.events import BadEvent, Event, EventType, Snapshot
from recall.reviewlog.place import DEFAULT_FOLDER, log_root
from recall.scheduler_settings import SchedulerSettings
from recall.vocabulary import ReviewKind

if TYPE_CHECKING:
    from recall.config import Settings


@dataclass(frozen=True, slots=True)
class LogWriter:
    """This device's side of the review log: ``folder`` (the ``review_log`` setting), the time
    zone and rollover hour its study days are worked out with (written in every event), and
    ``device_folder``, where ``device.json`` is kept (None: ``recall.paths.data_dir()``)."""

    folder: str = DEFAULT_FOLDER
    tz: str = "UTC"
    rollover: int = 4
    device_folder: Path | None = None

    @classmethod
    def of(cls, settings: Settings) -> LogWriter:
        """The writer the ``settings`` describe (``review_log``, ``timezone``, ``rollover_hour``)."""
        return cls(settings.review_log, settings.timezone, settings.rollover_hour)

    def root(self, first_vault: Path | None) -> Path:
        """The folder appended to (``place.log_root``); ``LogWriteError`` when there is none."""
        return log_root(self.folder, first_vault)

    def device(self) -> str:
        """This device's id; ``LogWriteError`` when it cannot be read or made."""
        try:
            return device.device_id(self.device_folder)
        except device.DeviceFileError as error:
            raise files.LogWriteError(f"cannot name this device in the review log: {error}") from error
        except OSError as error:
            where = device.device_file(self.device_folder)
            raise files.LogWriteError(
                f"cannot name this device in the review log: {where}: {error.strerror or error}"
            ) from error

    def write(
        self, first_vault: Path | None, type: EventType, *, key: str, at: datetime, day: date, before: Snapshot,
        after: Snapshot, grade: int | None = None, kind: ReviewKind | None = None, seconds: float | None = None,
        undoes: uuid.UUID | None = None, settings: SchedulerSettings | None = None, level: Level | None = None,
    ) -> Event:
        """Append an event of ``type`` on the highlight ``key`` durably (fsync'd), numbered after this
        device's last event in its file (``files.append_next``), and return it as written.

        ``at`` is the action's aware instant, ``day`` the study day it counts for; ``before`` and
        ``after`` the highlight's state around it; ``grade`` (0-5), ``kind`` and ``seconds`` only for
        a grade, ``undoes`` (the event taken back) only for an undo, ``settings`` only for a
        scheduler event (key ``COLLECTION_KEY``, empty states), ``level`` only for a frequency event
        (a source's key, ``frequency.event_key``; empty states). ``LogWriteError`` (nothing
        appended) when the event is not valid or the log cannot take it."""
        root = self.root(first_vault)
        event = self.draft(type, key=key, at=at, day=day, before=before, after=after, grade=grade, kind=kind,
                           seconds=seconds, undoes=undoes, settings=settings, level=level)
        return files.append_next(root, event)

    def draft(self, type: EventType, *, key: str, at: datetime, day: date, before: Snapshot, after: Snapshot,
              **fields: Any) -> Event:
        """An event of ``type`` by this device, not written yet (``write_all`` writes a batch): a new
        id, this writer's time zone and rollover; ``fields`` are the type's own (``Event``'s: ``due``
        and ``reason`` for a reschedule, ``start`` and ``end`` for a break, ``undoes`` …).
        ``LogWriteError`` when it is not a valid event or this device has no id."""
        try:
            return Event(
                id=uuid.uuid4(), type=type, at=at, day=day, tz=self.tz, rollover=self.rollover, device=self.device(),
                key=key, before=before, after=after, **fields,
            )
        except BadEvent as error:
            raise files.LogWriteError(f"cannot write this {type.value} to the review log: {error}") from error

    def write_all(self, first_vault: Path | None, events: Sequence[Event]) -> list[Event]:
        """Append ``events`` (this device's ``draft``s), in the order given and numbered after this
        device's last, in one write and one fsync per month file (``files.append_all``); returns them as
        written. ``LogWriteError`` (nothing appended to a file that failed) otherwise."""
        if not events:
            return []
        return files.append_all(self.root(first_vault), self.device(), events)

    def rekeys(self, first_vault: Path | None, moves: list[tuple[str, str, Snapshot]], at: datetime) -> list[Event]:
        """Append a ``rekey`` event for each ``(old key, new key, state)`` of ``moves`` at ``at`` (the
        import's aware instant; the highlight's state, which a re-key leaves as it is, is its before
        and after), all in one write and fsync; ``LogWriteError`` otherwise."""
        root, device = self.root(first_vault), self.device()
        day = study_day(at, self.tz, self.rollover)
        try:
            events = [
                Event(id=uuid.uuid4(), type=EventType.REKEY, at=at, day=day, tz=self.tz, rollover=self.rollover,
                      device=device, key=old, before=state, after=state, to=new)
                for old, new, state in moves
            ]
        except BadEvent as error:
            raise files.LogWriteError(f"cannot write a re-key to the review log: {error}") from error
        return files.append_all(root, device, events)
