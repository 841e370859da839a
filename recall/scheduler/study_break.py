"""``recall break`` (issue 14, "Frequency and load"), through the review log as every load tool
(``recall.scheduler.load``): read a break as typed (``parse_break``), take one (``take_break``)
or take the last one back (``cancel_break``).

A break is an event of the collection (``break``, key ``*``, its first and last study day): on
those days the daily queue is empty (``recall.scheduler.queue``), and the highlights due in it
(and, when it starts today, those overdue) are spread over the days after it. ``recall break
--cancel`` takes back a break with ``undo`` events, which the replay applies as it does any undo.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Final

from recall.db import load, logevents, replayed, reviews
from recall.db.engine import Connection, Engine, writing
from recall.rescheduling import spread, spread_days
from recall.reviewlog.catchup import replay_keys
from recall.reviewlog.collection import Break, after_breaks, breaks, current_settings
from recall.reviewlog.events import COLLECTION_KEY, Event, EventType, RescheduleReason, Snapshot, from_json
from recall.reviewlog.files import LogWriteError
from recall.reviewlog.writer import LogWriter
from recall.scheduler.actions import ActionError, LogNotWritten, first_vault, snapshot
from recall.scheduler.load import DryRun, LoadRefused, Rescheduled, candidate_of, load_forecast, write_moves
from recall.vocabulary import QueueFilter

MAX_BREAK_DAYS: Final = 366
MAX_SPREAD_DAYS: Final = 180  # FSRS Helper's bound on its spread


class BadBreak(ActionError):
    """A break that cannot be: over already, longer than a year, its days in the wrong order."""


def parse_break(text: str, today: date) -> tuple[date, date]:
    """The first and last study day of a break as typed: ``7d`` (seven days from today), ``2w`` (two
    weeks from today), ``2026-12-24`` (one day), ``2026-12-20..2027-01-03`` (both days included).
    BadBreak saying what is wrong."""
    import re

    typed = text.strip()
    if match := re.fullmatch(r"([0-9]{1,4})\s*([dw])", typed):
        days = int(match[1]) * (7 if match[2] == "w" else 1)
        if days < 1:
            raise BadBreak(f"a break lasts at least a day, got {text!r}")
        if days > MAX_BREAK_DAYS:
            raise BadBreak(f"a break lasts at most {MAX_BREAK_DAYS} days, got {text!r}")
        return today, today + timedelta(days=days - 1)
    parts = typed.split("..")
    if len(parts) in (1, 2) and all(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", part.strip()) for part in parts):
        try:
            start, end = (date.fromisoformat(part.strip()) for part in (parts[0], parts[-1]))
        except ValueError as error:
            raise BadBreak(f"not a date in {text!r}: {error}") from None
        return start, end
    raise BadBreak(f"a break is 7d, 2w, a day (2026-12-24) or two (2026-12-20..2027-01-03), got {text!r}")


def take_break(
    engine: Engine, start: date, end: date, now: datetime, today: date, where: QueueFilter | None, *,
    log: LogWriter, spread_over: int | None = None, dry_run: bool = False,
) -> Rescheduled:
    """Make study days ``start`` to ``end`` a break: a ``break`` event (none when a break with these
    very days is in effect already), then a ``reschedule`` (reason break) for each highlight due in
    it, and, when it starts today or has started, for each overdue one, placed by
    ``rescheduling.spread`` on the ``spread_over`` days after it (default ``spread_days``; days of
    other breaks are passed over). Running it again moves what has fallen due in it since. BadBreak
    for days in the wrong order, a break over already or longer than ``MAX_BREAK_DAYS``, a spread
    outside 1-``MAX_SPREAD_DAYS``."""
    if end < start:
        raise BadBreak(f"a break ends on or after its first day, got {start}..{end}")
    if end < today:
        raise BadBreak(f"a break must not be over already: {start}..{end} ended before today ({today})")
    if (end - start).days + 1 > MAX_BREAK_DAYS:
        raise BadBreak(f"a break lasts at most {MAX_BREAK_DAYS} days, got {(end - start).days + 1}")
    length = (end - start).days + 1
    window_days = spread_days(length) if spread_over is None else spread_over
    if not 1 <= window_days <= MAX_SPREAD_DAYS:
        raise BadBreak(f"a break's load is spread over 1 to {MAX_SPREAD_DAYS} days, got {window_days}")
    try:
        with writing(engine) as connection:
            settings, found = current_settings(connection), breaks(connection)
            same = next((one for one in found if (one.start, one.end) == (start, end)), None)
            collection: list[Event] = []
            if same is None:
                collection.append(_break_event(log, start, end, now, today, dry_run))
                taken = Break(start, end, collection[0])
            else:
                taken = same
            every = [*found, taken] if same is None else found
            window = _window(every, end, window_days)
            first_day = max(today, start)
            done = Rescheduled(RescheduleReason.BREAK, today, settings, dry_run=dry_run, taken=taken,
                               new_break=same is None, window=window)
            done.forecast_before = load_forecast(connection, today, first_day, window[-1], where)
            rows = load.due_between(connection, None if start <= today else start, end, where)
            movers = [candidate_of(row) for row in rows]
            levels = dict(load_forecast(connection, today, window[0], window[-1], where))
            done.moves, done.candidates = spread(movers, window, levels), len(movers)
            done.events = write_moves(connection, log, RescheduleReason.BREAK, done.moves, now, today, dry_run,
                                      collection)
            done.forecast_after = load_forecast(connection, today, first_day, window[-1], where)
            if dry_run:
                raise DryRun(done)
    except DryRun as rolled_back:
        return rolled_back.result
    return done


def _break_event(log: LogWriter, start: date, end: date, now: datetime, today: date, dry_run: bool) -> Event:
    """The ``break`` event to append (a dry run's names no device: it is never written, and this
    device's id is not even made for it). LogNotWritten when this device has no id."""
    if dry_run:
        return Event(id=uuid.uuid4(), type=EventType.BREAK, at=now, day=today, tz=log.tz, rollover=log.rollover,
                     device="dry-run", key=COLLECTION_KEY, before=Snapshot(), after=Snapshot(), start=start, end=end)
    try:
        return log.draft(EventType.BREAK, key=COLLECTION_KEY, at=now, day=today, before=Snapshot(), after=Snapshot(),
                         start=start, end=end)
    except LogWriteError as error:
        raise LogNotWritten(f"break not saved: {error}") from error


def _window(found: list[Break], end: date, days: int) -> list[date]:
    """The first ``days`` study days after ``end`` that are in none of the breaks ``found``."""
    window: list[date] = []
    day = end + timedelta(days=1)
    while len(window) < days:
        day = after_breaks(found, day)
        window.append(day)
        day += timedelta(days=1)
    return window


@dataclass
class Cancelled:
    """What ``cancel_break`` did: the break taken back, and the highlights put back on the due day
    it had moved them from (``restored``: row id → (the day it was on, the day it is back on))."""

    taken: Break
    restored: dict[int, tuple[date, date]] = field(default_factory=dict)
    dry_run: bool = False
    events: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "action": "cancel", "dry_run": self.dry_run,
            "break": {"start": self.taken.start.isoformat(), "end": self.taken.end.isoformat()},
            "restored": [{"id": i, "from": a.isoformat(), "to": b.isoformat()}
                         for i, (a, b) in sorted(self.restored.items())],
        }


def cancel_break(engine: Engine, now: datetime, today: date, *, log: LogWriter, dry_run: bool = False) -> Cancelled:
    """Take back the break set last among those not over: an ``undo`` naming its event, and one
    naming each of its reschedules still as it left them (ordered after the break, from a day on
    or before its end to one after it, and the highlight not graded or moved since), so those
    highlights are due again on the day they were before (overdue, if that day has passed).
    Then the highlights are written as the replay has them. LoadRefused when no break is left."""
    try:
        with writing(engine) as connection:
            found = [one for one in breaks(connection) if one.end >= today]
            if not found:
                raise LoadRefused("no break to cancel (`recall break` lists them)")
            taken = found[-1]
            done = Cancelled(taken, dry_run=dry_run)
            moved = _moved_by(connection, taken)
            undos: list[Event] = []
            rows: dict[str, tuple[int, Snapshot]] = {}
            ids = replayed.highlight_ids(connection, {event.key for event in moved})
            for event in moved:
                state = reviews.highlight_state(connection, ids[event.key]) if event.key in ids else None
                if state is None:
                    continue
                now_state = snapshot(state)
                if (now_state.due, now_state.repetitions, now_state.easiness, now_state.interval) != (
                    event.due, event.before.repetitions, event.before.easiness, event.before.interval
                ):
                    continue  # graded or moved since: the break's move is not what holds it there
                assert event.before.due is not None and event.due is not None
                done.restored[ids[event.key]] = (event.due, event.before.due)
                rows[event.key] = (ids[event.key], now_state)
                if not dry_run:
                    undos.append(_undo(log, event, now_state, replace(now_state, due=event.before.due), now, today))
            if dry_run:
                raise DryRun(done)
            try:
                undos.insert(0, _undo(log, taken.event, Snapshot(), Snapshot(), now, today))
                written = log.write_all(first_vault(connection), undos)
            except LogWriteError as error:
                raise LogNotWritten(f"break not cancelled: {error}") from error
            logevents.keep_events(connection, [(str(e.id), e.key, e.type.value, e.to_json()) for e in written],
                                  placed=True)
            done.events = len(written)
            if rows:
                replay_keys(connection, set(rows), now)
    except DryRun as rolled_back:
        return rolled_back.result
    return done


def _undo(log: LogWriter, target: Event, before: Snapshot, after: Snapshot, now: datetime, today: date) -> Event:
    return log.draft(EventType.UNDO, key=target.key, at=now, day=today, before=before, after=after, undoes=target.id)


def _moved_by(connection: Connection, taken: Break) -> list[Event]:
    """The ``reschedule`` events (reason break) of the break ``taken``: ordered after its event, moving
    a highlight from a day on or before its end to one after it; not taken back."""
    events = [from_json(line) for line in logevents.lines_of_type(connection, EventType.RESCHEDULE.value)]
    undone = _undone(connection, events)
    return sorted(
        (e for e in events
         if e.reason is RescheduleReason.BREAK and e.order > taken.event.order and e.id not in undone
         and e.before.due is not None and e.before.due <= taken.end and e.due is not None and e.due > taken.end),
        key=lambda e: e.order,
    )


def _undone(connection: Connection, events: Iterable[Event]) -> set[Any]:
    """The ids among ``events`` that an undo in ``log_events`` names (an undo of an undo is not
    written by recall for these: a cancelled break stays cancelled)."""
    wanted = {event.id for event in events}
    if not wanted:
        return set()
    undos = [from_json(line) for line in logevents.lines_of_type(connection, EventType.UNDO.value)]
    return {undo.undoes for undo in undos if undo.undoes in wanted}
