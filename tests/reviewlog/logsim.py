"""Simulated devices for the review log tests (imported as ``logsim``): each keeps the events
it knows, and writes new ones as recall will, with the state before and after as it sees them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from recall.reviewlog.events import Event, EventType, RescheduleReason, Snapshot
from recall.reviewlog.replay import replay
from recall.vocabulary import ReviewKind

NAMESPACE = uuid.UUID("6f1c5a52-3f47-4e0e-9d8b-2a2b6c0d9e11")
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ROLLOVER = 4


def study_day(at: datetime) -> date:
    """The study day in UTC with the rollover at 04:00 (what the tests' devices use)."""
    return (at.astimezone(UTC) - timedelta(hours=ROLLOVER)).date()


def event(
    type: EventType, key: str, at: datetime, *, device: str = "dev-a", grade: int | None = None,
    kind: ReviewKind | None = None, undoes: uuid.UUID | None = None, before: Snapshot | None = None,
    after: Snapshot | None = None, id: uuid.UUID | None = None, seconds: float | None = None, to: str | None = None,
    seq: int | None = None,
) -> Event:
    """An event with test defaults (kind REVIEW for a grade; snapshots of a new highlight)."""
    if type is EventType.GRADE and kind is None:
        kind = ReviewKind.REVIEW
    return Event(
        id=id or uuid.uuid4(), type=type, at=at, day=study_day(at), tz="UTC", rollover=ROLLOVER, device=device,
        key=key, before=before or Snapshot(), after=after or Snapshot(), grade=grade, kind=kind, seconds=seconds,
        undoes=undoes, to=to, seq=seq,
    )


class Device:
    """One device: the events it knows (its own and those synced in) and its own, in the order written."""

    def __init__(self, name: str) -> None:
        self.id = str(uuid.uuid5(NAMESPACE, name))
        self.known: dict[uuid.UUID, Event] = {}
        self.own: list[Event] = []
        self._count = 0

    def receive(self, events: Iterable[Event]) -> None:
        for one in events:
            self.known.setdefault(one.id, one)

    def act(self, type: EventType, key: str, at: datetime, grade: int | None = None,
            undoes: uuid.UUID | None = None) -> Event:
        """Write one event as recall would: before/after and kind from this device's own view."""
        view = replay(self.known.values())
        before = view.state(key)
        self._count += 1
        draft = event(type, key, at, device=self.id, grade=grade, undoes=undoes, before=before, after=before,
                      id=uuid.uuid5(NAMESPACE, f"{self.id}/{self._count}"), seq=self._count)
        merged = replay([*self.known.values(), draft])
        mine = [a for a in merged.applied if a.event.id == draft.id]
        kind = mine[0].kind if mine and type is EventType.GRADE else None
        final = event(type, key, at, device=self.id, grade=grade, kind=kind, undoes=undoes, before=before,
                      after=merged.state(key), id=draft.id, seq=self._count)  # numbered as files.append_next does
        self.known[final.id] = final
        self.own.append(final)
        return final

    def reschedule(self, key: str, at: datetime, due: date, reason: RescheduleReason = RescheduleReason.POSTPONE
                   ) -> Event | None:
        """Move ``key``'s due day to ``due`` as the load tools do, from this device's view (None when
        it has no due day, or has that one already: the tools move only reviewed highlights)."""
        before = replay(self.known.values()).state(key)
        if before.due is None or before.due == due:
            return None
        self._count += 1
        written = Event(
            id=uuid.uuid5(NAMESPACE, f"{self.id}/{self._count}"), type=EventType.RESCHEDULE, at=at,
            day=study_day(at), tz="UTC", rollover=ROLLOVER, device=self.id, key=key, before=before,
            after=replace(before, due=due), due=due, reason=reason, seq=self._count,
        )
        self.known[written.id] = written
        self.own.append(written)
        return written

    def undo_last(self, at: datetime) -> Event | None:
        """Undo this device's newest own event still in effect (as the review app's ``u``)."""
        view = replay(self.known.values())
        for mine in reversed(self.own):
            if mine.type is not EventType.UNDO and mine.id not in view.undone:
                return self.act(EventType.UNDO, mine.key, at, undoes=mine.id)
        return None
