"""A highlight's schedule (on its row) and the review log, as statements on the table models.

Study days are ``date``; instants are aware datetimes, stored in UTC; EF in hundredths.
Every function runs in the caller's transaction (``engine.writing``), so an action's
reads and writes are one unit.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Row, delete, insert, select, update

from recall.db.models import Highlight, Review

HIGHLIGHTS = Highlight.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models
REVIEWS = Review.__table__  # type: ignore[attr-defined]


def highlight_schedule(connection: Connection, highlight_id: int) -> Row | None:
    """(repetitions, easiness in hundredths, interval in days, due, skipped_until, retired,
    discarded) of a highlight, or None when no highlight has that id."""
    h = HIGHLIGHTS.c
    return connection.execute(
        select(h.repetitions, h.easiness, h.interval, h.due, h.skipped_until, h.retired, h.discarded)
        .where(h.id == highlight_id)
    ).first()


def graded_on(connection: Connection, highlight_id: int, day: date) -> bool:
    """Has the highlight had a graded review (not a drill) on study day ``day``?"""
    r = REVIEWS.c
    found = connection.execute(
        select(r.id).where(r.highlight_id == highlight_id, r.study_day == day, r.kind == "review").limit(1)
    ).first()
    return found is not None


def set_schedule(
    connection: Connection, highlight_id: int, repetitions: int, easiness: int, interval: int, due: date | None
) -> None:
    """Put an SM-2 state (``easiness`` in hundredths, ``interval`` in days) and due day on the row."""
    connection.execute(
        update(HIGHLIGHTS).where(HIGHLIGHTS.c.id == highlight_id)
        .values(repetitions=repetitions, easiness=easiness, interval=interval, due=due)
    )


def set_flags(connection: Connection, highlight_id: int, **values: object) -> None:
    """Set row fields that are not the SM-2 state: ``skipped_until``, ``discarded``, ``favorite``."""
    connection.execute(update(HIGHLIGHTS).where(HIGHLIGHTS.c.id == highlight_id).values(**values))


def log_review(connection: Connection, review: Review) -> int:
    """Append ``review`` (its ``reviewed_at`` aware; SQLModel stores it in UTC) to the log;
    returns its id, never one used before (``AUTOINCREMENT``)."""
    values = review.model_dump(exclude={"id"})
    return int(connection.execute(insert(REVIEWS).values(**values).returning(REVIEWS.c.id)).scalar_one())


def newest_review(connection: Connection) -> Row | None:
    """The last row of the review log (id, highlight_id, grade, kind, study_day and the state
    before it), or None when the log is empty."""
    r = REVIEWS.c
    return connection.execute(
        select(r.id, r.highlight_id, r.grade, r.kind, r.study_day, r.repetitions_before, r.easiness_before,
               r.interval_before, r.due_before).order_by(r.id.desc()).limit(1)
    ).first()


def delete_review(connection: Connection, review_id: int) -> None:
    """Remove one row of the review log (an undo)."""
    connection.execute(delete(REVIEWS).where(REVIEWS.c.id == review_id))

