"""A highlight's schedule (on its row) and the review log, as Core statements on the models' tables.

Study days are ``date``; instants are aware datetimes, stored in UTC; the ease factor is in
hundredths; intervals are in days. Every function runs in the caller's transaction
(``recall.db.engine.writing``), so one action's reads and writes are one unit.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Connection, Row, delete, exists, func, insert, select, update

from recall.db.conditions import count_where
from recall.db.models import HIGHLIGHTS, LOG_EVENTS, REVIEWS, SOURCES
from recall.vocabulary import ReviewKind

SQLITE_MIN_ID, SQLITE_MAX_ID = -(2**63), 2**63 - 1  # SQLite's integer range


def highlight_state(connection: Connection, highlight_id: int) -> Row | None:
    """``(repetitions, easiness, interval, due, skipped_until, retired, discarded, favorite, key,
    stability, difficulty, last_review, source_id, frequency)`` of a highlight (easiness in
    hundredths, interval in days, the days as ``date``, ``key`` its identity key, which the review log
    names it by; the FSRS memory state or three None; its source and the source's frequency level),
    or None when no highlight has that id (also for ids outside SQLite's integer range)."""
    if not SQLITE_MIN_ID <= highlight_id <= SQLITE_MAX_ID:
        return None
    h = HIGHLIGHTS.c
    return connection.execute(
        select(h.repetitions, h.easiness, h.interval, h.due, h.skipped_until, h.retired, h.discarded, h.favorite, h.key,
               h.stability, h.difficulty, h.last_review, h.source_id, SOURCES.c.frequency)
        .join(SOURCES, SOURCES.c.id == h.source_id).where(h.id == highlight_id)
    ).first()


def reviewed_on(connection: Connection, highlight_id: int, day: date) -> bool:
    """Has the highlight had a review (not a drill) on study day ``day``?"""
    r = REVIEWS.c
    return bool(connection.execute(
        select(exists().where(r.highlight_id == highlight_id, r.study_day == day, r.kind == ReviewKind.REVIEW))
    ).scalar_one())


def reviewed_later_on(connection: Connection, highlight_id: int, day: date, instant: datetime) -> bool:
    """Has the highlight a review (not a drill) on study day ``day`` given after ``instant`` (an
    aware datetime): another device's, whose clock ran ahead of this one's?"""
    r = REVIEWS.c
    return bool(connection.execute(select(exists().where(
        r.highlight_id == highlight_id, r.study_day == day, r.kind == ReviewKind.REVIEW, r.reviewed_at > instant,
    ))).scalar_one())


def grade_of_event(connection: Connection, event_id: str) -> Row | None:
    """The ``reviews`` row of the grade event ``event_id`` (its kind and the SM-2 state before and
    after it, as ``log_review`` wrote or a replay rewrote it), or None when it has none."""
    r = REVIEWS.c
    return connection.execute(select(
        r.kind, r.repetitions_before, r.easiness_before, r.interval_before,
        r.repetitions_after, r.easiness_after, r.interval_after, r.due_after,
    ).where(r.event_id == event_id)).first()


def set_schedule(
    connection: Connection, highlight_id: int, repetitions: int, easiness: int, interval: int, due: date | None,
    *, clear_skip: bool = False, memory: tuple[float | None, float | None, date | None] | None = None,
) -> None:
    """Put an SM-2 state (``easiness`` in hundredths, ``interval`` in days) and its due day on the
    row, in one UPDATE; ``clear_skip`` also ends a skip (a review does, an undo does not);
    ``memory`` (stability in days, difficulty, last review's study day; three None: none) replaces
    the FSRS memory state (None: it stays)."""
    values: dict[str, object] = {"repetitions": repetitions, "easiness": easiness, "interval": interval, "due": due}
    if memory is not None:
        values.update(zip(("stability", "difficulty", "last_review"), memory, strict=True))
    if clear_skip:
        values["skipped_until"] = None
    connection.execute(update(HIGHLIGHTS).where(HIGHLIGHTS.c.id == highlight_id).values(**values))


def set_skip(connection: Connection, highlight_id: int, until: date | None) -> None:
    """Leave the highlight out of the queue through study day ``until`` (None: not skipped)."""
    connection.execute(update(HIGHLIGHTS).where(HIGHLIGHTS.c.id == highlight_id).values(skipped_until=until))


def set_flags(connection: Connection, highlight_id: int, *, discarded: bool | None = None,
              favorite: bool | None = None) -> None:
    """Set the user's marks on the row; only those given change."""
    values = {name: value for name, value in (("discarded", discarded), ("favorite", favorite)) if value is not None}
    connection.execute(update(HIGHLIGHTS).where(HIGHLIGHTS.c.id == highlight_id).values(**values))


def log_review(
    connection: Connection, highlight_id: int, reviewed_at: datetime, study_day: date, grade: int,
    kind: ReviewKind, seconds: float | None, before: tuple[int, int, int, date | None],
    after: tuple[int, int, int, date | None], *, event_id: str | None, device: str | None,
) -> int:
    """Append a grade to the reviews table; ``before``/``after`` are (repetitions, easiness in
    hundredths, interval in days, due day); ``event_id`` (a UUID as text) and ``device`` name the
    review log's event it was written with (None: none). Returns its id, never one used before
    (AUTOINCREMENT); ``IntegrityError`` for an event id already on a row."""
    repetitions_before, easiness_before, interval_before, due_before = before
    repetitions_after, easiness_after, interval_after, due_after = after
    statement = insert(REVIEWS).values(
        highlight_id=highlight_id, reviewed_at=reviewed_at.astimezone(UTC), study_day=study_day, grade=grade, kind=kind.value,
        seconds=seconds, repetitions_before=repetitions_before, easiness_before=easiness_before,
        interval_before=interval_before, due_before=due_before, repetitions_after=repetitions_after,
        easiness_after=easiness_after, interval_after=interval_after, due_after=due_after, event_id=event_id,
        device=device,
    ).returning(REVIEWS.c.id)
    return int(connection.execute(statement).scalar_one())


def newest_review(connection: Connection, device: str) -> Row | None:
    """The newest grade of ``device`` (a review log device id; rows with no device, older than the
    log and not yet written to it, count as this database's own): ``(id, highlight_id, grade, kind,
    study_day, repetitions_before, easiness_before, interval_before, due_before, event_id)``
    (``event_id`` the review log's event as text, None for a row older than the log): the highest id
    (rows are written in the order grades are given, ``replayed.write_grades`` too); None when it has
    none. Rows of other devices (a catch-up brought them) and of the migrated history (its own device
    id) are never returned."""
    r = REVIEWS.c
    return connection.execute(
        select(r.id, r.highlight_id, r.grade, r.kind, r.study_day, r.repetitions_before, r.easiness_before,
               r.interval_before, r.due_before, r.event_id)
        .where((r.device == device) | r.device.is_(None)).order_by(r.id.desc()).limit(1)
    ).first()


def all_in_log(connection: Connection, highlight_id: int) -> bool:
    """Does every ``reviews`` row of the highlight name an event that ``log_events`` holds (so a
    replay of its stored events gives all of them back)?"""
    r, e = REVIEWS.c, LOG_EVENTS.c
    outside = exists().where(
        r.highlight_id == highlight_id, r.event_id.is_(None) | ~exists().where(e.id == r.event_id)
    )
    return not connection.execute(select(outside)).scalar_one()


def delete_review(connection: Connection, review_id: int) -> None:
    """Remove one row of the review log (an undo)."""
    connection.execute(delete(REVIEWS).where(REVIEWS.c.id == review_id))


def reviewed_count(connection: Connection, day: date) -> tuple[int, int]:
    """(reviews, of which of new highlights) logged on study day ``day``; drills are not counted."""
    r = REVIEWS.c
    reviews, new = connection.execute(
        select(func.count(), count_where(r.due_before.is_(None)))
        .where(r.study_day == day, r.kind == ReviewKind.REVIEW)
    ).one()
    return int(reviews), int(new)


def review_days(connection: Connection) -> list[date]:
    """Every study day with at least one review (drills alone do not count), in order."""
    r = REVIEWS.c
    return list(connection.execute(
        select(r.study_day).where(r.kind == ReviewKind.REVIEW).distinct().order_by(r.study_day)
    ).scalars())
