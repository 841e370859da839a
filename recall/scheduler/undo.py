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
from recall.reviewlog.catchup import replay_keys
from recall.reviewlog.events import MARK_FIELDS, EventType
from recall.reviewlog.files import LogWriteError
from recall.reviewlog.writer import LogWriter
from recall.scheduler.actions import (
    LogNotWritten,
    Marked,
    NotUndoable,
    Rated,
    existing_row,
    log_event,
    snapshot,
    store_mark,
)
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
    """Take back this device's newest grade at ``now`` (an aware instant; the undo counts for study
    day ``day``): an ``undo`` event naming the grade's event is appended to the review log through
    ``log``, then the highlight is made what the log says without that grade.

    "This device's" is ``reviews.device`` = ``log``'s device id (``reviews.newest_review``): a grade
    another device gave, which a catch-up brought, is never taken back here, and neither is the
    history migrated from before the log (it belongs to no device). With ``expected`` (what a
    ``rate`` returned), only if that grade is still this device's newest (by event id). Unless
    ``any_day``, only a grade given on ``day``. Otherwise NotUndoable (exit 5), and nothing changes;
    None when there is no such grade.

    When the log holds the highlight's whole history (every row's event is in ``log_events``), its
    state and rows are the replay of its events (``catchup.replay_keys``): another device's later
    grade of the same highlight stays applied, and may become the review. Otherwise (a grade older
    than the log, which is taken back without an event: the log has nothing of it) the row is
    deleted and the schedule it replaced put back. Raises LogNotWritten (nothing changed) when the
    log cannot take the undo or this device's id cannot be read.
    """
    try:
        me = log.device()
    except LogWriteError as error:
        raise LogNotWritten(f"undo not saved: {error}") from error
    with writing(engine) as connection:
        last = reviews.newest_review(connection, me)
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
        replayable = last.event_id is not None and reviews.all_in_log(connection, last.highlight_id)
        if last.event_id is not None:
            log_event(connection, log, EventType.UNDO, row, now, day, after, undoes=uuid.UUID(last.event_id))
        if replayable:
            replay_keys(connection, {row.key}, now)
        else:
            if last.kind == ReviewKind.REVIEW:
                reviews.set_schedule(
                    connection, last.highlight_id, last.repetitions_before, last.easiness_before,
                    last.interval_before, last.due_before,
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
