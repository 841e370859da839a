"""``recall postpone`` and ``recall advance`` (issue 14, "Frequency and load"), through the review
log as every load tool (``recall.scheduler.load``): put the due highlights that lose least by it
off a little, or bring forward to today those not due yet that lose least by it (FSRS Helper's
rules, ``recall.rescheduling``), with the due forecast of ``FORECAST_DAYS`` days before and after.
Neither acts on a break day. Postponing or advancing has no undo command (``recall advance``
brings back what a postpone put off, and a postpone what an advance brought).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Final

from recall.db import load
from recall.db.engine import Connection, Engine, writing
from recall.rescheduling import Curve, Move, safe_advances, safe_postpones
from recall.rescheduling import advance as advance_moves
from recall.rescheduling import postpone as postpone_moves
from recall.reviewlog.collection import Break, after_breaks, break_on, breaks, current_settings
from recall.reviewlog.events import RescheduleReason
from recall.reviewlog.writer import LogWriter
from recall.scheduler.load import DryRun, LoadRefused, Rescheduled, candidate_of, load_forecast, write_moves
from recall.scheduler_settings import SchedulerSettings
from recall.vocabulary import QueueFilter

FORECAST_DAYS: Final = 14  # postpone and advance show today and the 13 days after it


def curve(settings: SchedulerSettings) -> Curve | None:
    """The forgetting curve the tools rank by under FSRS (its weights' decay, the retention); None under SM-2."""
    if not settings.fsrs:
        return None
    from recall.scheduling import parameters

    model = parameters(settings)
    return Curve(model.weights[20], model.desired_retention)


def _free(found: list[Break]) -> Callable[[date], date]:
    return lambda day: after_breaks(found, day)


def postpone(engine: Engine, count: int, now: datetime, today: date, where: QueueFilter | None, *, log: LogWriter,
             dry_run: bool = False) -> Rescheduled:
    """Move the ``count`` due highlights that lose least by it a little later (``rescheduling.postpone``:
    FSRS Helper's rule); a day that falls in a break goes past it. LoadRefused on a break day."""

    def plan(connection: Connection, settings: SchedulerSettings, found: list[Break]) -> tuple[list[Move], int, int]:
        candidates = [candidate_of(row) for row in load.due_by(connection, today, where)]
        shape = curve(settings)
        moves = postpone_moves(candidates, count, today, shape, _free(found))
        return moves, len(candidates), safe_postpones(candidates, today, shape)

    return _reschedule(engine, RescheduleReason.POSTPONE, plan, now, today, where, log, dry_run)


def advance(engine: Engine, count: int, now: datetime, today: date, where: QueueFilter | None, *, log: LogWriter,
            dry_run: bool = False) -> Rescheduled:
    """Bring the ``count`` highlights not due yet that lose least by it to today (``rescheduling.advance``:
    FSRS Helper's rule). LoadRefused on a break day."""

    def plan(connection: Connection, settings: SchedulerSettings, found: list[Break]) -> tuple[list[Move], int, int]:
        candidates = [candidate_of(row) for row in load.not_due_yet(connection, today, where)]
        shape = curve(settings)
        return advance_moves(candidates, count, today, shape), len(candidates), safe_advances(candidates, today, shape)

    return _reschedule(engine, RescheduleReason.ADVANCE, plan, now, today, where, log, dry_run)


def _reschedule(
    engine: Engine, reason: RescheduleReason,
    plan: Callable[[Connection, SchedulerSettings, list[Break]], tuple[list[Move], int, int]],
    now: datetime, today: date, where: QueueFilter | None, log: LogWriter, dry_run: bool,
) -> Rescheduled:
    last = today + timedelta(days=FORECAST_DAYS - 1)
    try:
        with writing(engine) as connection:
            settings, found = current_settings(connection), breaks(connection)
            if (now_break := break_on(found, today)) is not None:
                raise LoadRefused(
                    f"nothing to {reason.value}: today is a break day (until {now_break.end}); "
                    "`recall break --cancel` ends the break"
                )
            done = Rescheduled(reason, today, settings, dry_run=dry_run)
            done.forecast_before = load_forecast(connection, today, today, last, where)
            done.moves, done.candidates, done.safe = plan(connection, settings, found)
            done.retention = _retention(done.moves, settings)
            done.events = write_moves(connection, log, reason, done.moves, now, today, dry_run)
            done.forecast_after = load_forecast(connection, today, today, last, where)
            if dry_run:
                raise DryRun(done)
    except DryRun as rolled_back:
        return rolled_back.result
    return done


def _retention(moves: list[Move], settings: SchedulerSettings) -> tuple[float, float] | None:
    """Under FSRS, the mean retrievability of the moved highlights at their old and at their new due
    days (what FSRS Helper reports after a postpone or an advance); None under SM-2 or with no move."""
    shape = curve(settings)
    remembered = [m for m in moves if m.candidate.stability is not None]
    if shape is None or not remembered:
        return None
    old = [shape.retrievability(m.candidate.interval, m.candidate.stability or 1) for m in remembered]
    new = [shape.retrievability(m.candidate.elapsed(m.due), m.candidate.stability or 1) for m in remembered]
    return sum(old) / len(old), sum(new) / len(new)
