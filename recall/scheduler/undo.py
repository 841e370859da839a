"""Taking an action back: an ``undo`` event in the review log naming the event it takes back,
then the rows put back as they were (docs/review-log.md: undo is compensation, no event is
ever deleted). Like every action, in one write transaction, the event appended and fsync'd
before the rows are written; a log that cannot take it refuses the undo (``LogNotWritten``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime

from recall.db import reviews
from recall.db.engine import Engine, writing
from recall.reviewlog.events import MARK_FIELDS, EventType
from recall.reviewlog.writer import LogWriter
from recall.scheduler.actions import Marked, NotUndoable, Rated, existing_row, log_event, snapshot, store_mark
from recall.vocabulary import ReviewKind


@dataclass(frozen=True)
class Undone:
    """The grade an undo took back."""

    highlight_id: int
    grade: int
    kind: ReviewKind
    study_day: date


def undo_last(
    engine: Engine, now: datetime, day: date, *, log: LogWriter, expected: Rated | None = None, any_day: bool = True,
) -> Undone | None:
    """Take back the newest grade at ``now`` (an aware instant; the undo counts for study day
    ``day``): its row is removed and the state it replaced put back exactly, after an ``undo``
    event naming the grade's event is appended to the review log through ``log``.

    With ``expected`` (what a ``rate`` returned), only if that grade is still the newest (its
    event id on the newest row: event ids are unique, so another process's grade can never be
    mistaken for it). Unless ``any_day``, only a grade given on ``day``. Otherwise NotUndoable
    (exit 5), and nothing changes; None when there is no grade. A grade older than the review log
    (its row names no event) is taken back without an event: the log has nothing of it to take
    back. Raises LogNotWritten (nothing changed) when the log cannot take the undo.
    """
    with writing(engine) as connection:
        last = reviews.newest_review(connection)
        if last is None:
            return None
        if expected is not None and (last.event_id, last.highlight_id, last.grade) != (
            str(expected.event_id), expected.highlight_id, expected.grade
        ):
            raise NotUndoable("another grade was logged after this one; undo it with `recall undo`")
        if not any_day and last.study_day != day:
            raise NotUndoable(
                f"the last grade (highlight {last.highlight_id}, grade {last.grade}) was given on {last.study_day},"
                " not today; `recall undo --any-day` takes it back"
            )
        row = existing_row(connection, last.highlight_id)
        after = was = snapshot(row)
        if last.kind == ReviewKind.REVIEW:
            after = replace(
                was, repetitions=last.repetitions_before, easiness=last.easiness_before,
                interval=last.interval_before, due=last.due_before,
            )
        if last.event_id is not None:
            log_event(connection, log, EventType.UNDO, row, now, day, after, undoes=uuid.UUID(last.event_id))
        if last.kind == ReviewKind.REVIEW:
            reviews.set_schedule(
                connection, last.highlight_id, last.repetitions_before, last.easiness_before, last.interval_before,
                last.due_before,
            )
        reviews.delete_review(connection, last.id)
    return Undone(last.highlight_id, last.grade, ReviewKind(last.kind), last.study_day)


def undo_mark(engine: Engine, mark: Marked, now: datetime, day: date, *, log: LogWriter) -> None:
    """Take back a skip, discard, restore or favourite mark (what ``skip`` … ``set_favorite``
    returned) at ``now``, counting for study day ``day``: an ``undo`` event naming the mark's event,
    then the one field the mark set put back as it was before it. Raises HighlightNotFound and
    LogNotWritten (nothing changed)."""
    with writing(engine) as connection:
        row = existing_row(connection, mark.highlight_id)
        field = MARK_FIELDS[mark.type]
        after = replace(snapshot(row), **{field: getattr(mark.before, field)})
        log_event(connection, log, EventType.UNDO, row, now, day, after, undoes=mark.event_id)
        store_mark(connection, mark.highlight_id, mark.type, after)
