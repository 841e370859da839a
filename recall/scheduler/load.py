"""What the load tools (issue 14, "Frequency and load") share: ``recall postpone`` and ``recall
advance`` (``recall.scheduler.postpone``) and ``recall break`` (``recall.scheduler.study_break``)
report a ``Rescheduled``, refuse with ``LoadRefused``, show the due forecast (``load_forecast``)
and write their moves through the review log (``write_moves``).

Each moves due days only, as ``reschedule`` events (v2; ``reason`` postpone, advance or break)
that the replay applies while the highlight's schedule is still the one the event saw (a grade
given meanwhile on another device makes it stale: ``recall.reviewlog.replay``, rule 6). SM-2's
numbers and the FSRS memory stay, so each highlight's next grade is computed as without the move.
Which highlights move, and where to, is ``recall.rescheduling`` (after FSRS Helper's tools).

Like every action: one write transaction, every event appended to the log and fsync'd (in one
write) before the rows; a log that cannot take them refuses (``LogNotWritten``), nothing
changed. ``dry_run`` computes the same moves and the forecast after them, then rolls back
(``DryRun``), writing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from recall.db import load, logevents, queue, reviews
from recall.db.engine import Connection
from recall.rescheduling import Candidate, Move
from recall.reviewlog.collection import Break
from recall.reviewlog.events import Event, EventType, RescheduleReason
from recall.reviewlog.files import LogWriteError
from recall.reviewlog.writer import LogWriter
from recall.scheduler.actions import ActionError, LogNotWritten, first_vault, snapshot
from recall.scheduler_settings import SchedulerSettings
from recall.vocabulary import QueueFilter


class LoadRefused(ActionError):
    """A load tool that cannot act now (today is a break day: nothing is due; no break to cancel)."""


@dataclass
class Rescheduled:
    """What a load tool did (or, ``dry_run``, would do): the ``moves`` (each highlight, from its due
    day to the new one), out of ``candidates`` that could move (``safe`` of them within FSRS
    Helper's bound, for postpone and advance), and the due ``forecast_before`` and ``forecast_after``,
    (study day, count) from ``first_day``: the first counts what is due on it or before."""

    reason: RescheduleReason
    day: date
    settings: SchedulerSettings
    moves: list[Move] = field(default_factory=list)
    candidates: int = 0
    safe: int | None = None
    forecast_before: list[tuple[date, int]] = field(default_factory=list)
    forecast_after: list[tuple[date, int]] = field(default_factory=list)
    dry_run: bool = False
    events: int = 0  # appended to the review log
    taken: Break | None = None  # a break: the one set (or already set with these days)
    new_break: bool = False  # a break: whether this one was new (else only what fell due in it since moved)
    window: list[date] = field(default_factory=list)  # a break: the days its load went to
    retention: tuple[float, float] | None = None  # FSRS: mean retrievability at the old and new due days

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "action": self.reason.value, "study_day": self.day.isoformat(), "dry_run": self.dry_run,
            "scheduler": self.settings.name.value, "moved": len(self.moves), "candidates": self.candidates,
        }
        if self.safe is not None:
            found["safe"] = self.safe
        if self.taken is not None:
            found["break"] = {"start": self.taken.start.isoformat(), "end": self.taken.end.isoformat(),
                              "days": self.taken.days, "new": self.new_break,
                              "spread": [self.window[0].isoformat(), self.window[-1].isoformat()] if self.window else None}
        if self.retention is not None:
            found["retrievability"] = {"before": round(self.retention[0], 4), "after": round(self.retention[1], 4)}
        found["forecast"] = {
            "before": [{"day": d.isoformat(), "due": n} for d, n in self.forecast_before],
            "after": [{"day": d.isoformat(), "due": n} for d, n in self.forecast_after],
        }
        found["moves"] = [
            {"id": m.candidate.id, "from": m.candidate.due.isoformat(), "to": m.due.isoformat(),
             "interval": m.candidate.interval, "rank": round(m.rank, 4)}
            for m in self.moves
        ]
        return found


class DryRun(Exception):
    """Raised inside the write transaction of a dry run, to roll it back once its result is known."""

    def __init__(self, result: Any) -> None:
        super().__init__("dry run")
        self.result = result


def load_forecast(connection: Connection, today: date, first: date, last: date, where: QueueFilter | None
                  ) -> list[tuple[date, int]]:
    """(study day, due count) for each day from ``first`` to ``last``: what falls due on each, in
    the library and ``where``'s quality filter; ``today``'s count is what is due on it or before
    and not skipped (the day's queue before its caps)."""
    days = (last - first).days + 1
    counts = queue.forecast(connection, first - timedelta(days=1), days, where).by_day
    return [(day, queue.count_due(connection, today, where) if day == today else n) for day, n in counts]


def candidate_of(row: Any) -> Candidate:
    """The ``rescheduling.Candidate`` of a row of ``recall.db.load``: its last review the row's
    ``last_day`` (None: ``interval`` days, at least one, before its due day), at the latest the day
    before its due day."""
    last = row.last_day if row.last_day is not None else row.due - timedelta(days=max(row.interval, 1))
    return Candidate(row.id, row.key, row.due, min(last, row.due - timedelta(days=1)), row.stability)


def write_moves(connection: Connection, log: LogWriter, reason: RescheduleReason, moves: list[Move], now: datetime,
                today: date, dry_run: bool, collection: list[Event] | None = None) -> int:
    """The moves' ``reschedule`` events (after ``collection``'s events: a break) appended to the log in
    one write, kept in ``log_events``, then the new due days on the rows (a dry run: the rows only,
    rolled back by the caller). Returns how many events were appended."""
    rows = {m.candidate.id: m.due for m in moves}
    if dry_run:
        load.set_due(connection, rows)
        return 0
    states = {m.candidate.id: snapshot(state) for m in moves if (state := _state(connection, m.candidate.id))}
    try:
        drafts = list(collection or [])
        drafts += [
            log.draft(EventType.RESCHEDULE, key=m.candidate.key, at=now, day=today, before=states[m.candidate.id],
                      after=replace(states[m.candidate.id], due=m.due), due=m.due, reason=reason)
            for m in moves
        ]
        written = log.write_all(first_vault(connection), drafts)
    except LogWriteError as error:
        raise LogNotWritten(f"{reason.value} not saved: {error}") from error
    logevents.keep_events(connection, [(str(e.id), e.key, e.type.value, e.to_json()) for e in written], placed=True)
    load.set_due(connection, rows)
    return len(written)


def _state(connection: Connection, highlight_id: int) -> Any:
    return reviews.highlight_state(connection, highlight_id)
