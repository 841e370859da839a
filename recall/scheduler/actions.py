"""Everything that changes a highlight's schedule, each in its own write transaction.

``rate`` applies SM-2 to the first grade of a highlight on a study day and logs
every grade; later grades that day are drills (logged, schedule untouched).
``undo_last`` deletes the newest log row and puts back the state it recorded.
Skip, discard, restore and favourite never touch repetitions, EF or interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, Engine, text

from recall.db.engine import writing
from recall.db.timestamps import utc_text
from recall.scheduler.sm2 import SM2State, easiness_from_hundredths, easiness_to_hundredths, review

SQLITE_MIN_ID, SQLITE_MAX_ID = -(2**63), 2**63 - 1  # SQLite's integer range


class ActionError(Exception):
    """An action refused; the message says why. Front-ends decide what it means to them
    (the CLI an exit code, the review app a notice)."""


class BadGrade(ActionError):
    """A grade that is not a whole number from 0 to 5."""


class HighlightNotFound(ActionError):
    """No highlight has that id."""


class HighlightUnavailable(ActionError):
    """The highlight is retired (gone from the vault) or discarded: it cannot be graded or skipped."""


class NotUndoable(ActionError):
    """The newest grade is not the one named, or was given on another study day."""


@dataclass(frozen=True)
class Rated:
    """What one grade did."""

    highlight_id: int
    grade: int
    kind: str  # "review" (applied to the schedule) or "drill" (logged only)
    before: SM2State
    after: SM2State
    due: date | None
    review_id: int  # the log row written, for undoing exactly this grade


@dataclass(frozen=True)
class Undone:
    highlight_id: int
    grade: int
    kind: str
    study_day: date


def check_grade(value: int | str) -> int:
    """``value`` as a grade from 0 to 5: an int, or its one ASCII digit as typed (not ``0_4``,
    ``+4``, `` 4`` or another script's digit); ``ActionError`` (exit 2) otherwise."""
    grade: object = value
    if isinstance(value, str) and len(value) == 1 and value in "012345":
        grade = int(value)
    if not isinstance(grade, int) or isinstance(grade, bool) or not 0 <= grade <= 5:
        raise BadGrade(f"grade must be a whole number from 0 to 5, got {value!r}")
    return grade


def rate(
    engine: Engine, highlight_id: int, grade: int, now: datetime, day: date, seconds: float | None = None
) -> Rated:
    """Grade a highlight (0..5) at ``now``, counting for study day ``day``."""
    grade = check_grade(grade)
    with writing(engine) as connection:
        row = _active_row(connection, highlight_id, "rate")
        before = SM2State(row.repetitions, easiness_from_hundredths(row.easiness), row.interval)
        already = connection.execute(
            text("SELECT 1 FROM reviews WHERE highlight_id = :id AND study_day = :day AND kind = 'review'"),
            {"id": highlight_id, "day": day.isoformat()},
        ).first()
        if already:
            kind, after, due = "drill", before, row.due
        else:
            kind, after = "review", review(before, grade)
            due = due_day(day, after.interval).isoformat()
            connection.execute(
                text(
                    "UPDATE highlights SET repetitions = :r, easiness = :e, interval = :i, due = :due,"
                    " skipped_until = NULL WHERE id = :id"
                ),
                {"r": after.repetitions, "e": easiness_to_hundredths(after.easiness), "i": after.interval,
                 "due": due, "id": highlight_id},
            )
        review_id = connection.execute(
            text(
                "INSERT INTO reviews (highlight_id, reviewed_at, study_day, grade, kind, seconds,"
                " repetitions_before, easiness_before, interval_before, due_before,"
                " repetitions_after, easiness_after, interval_after, due_after) VALUES (:id, :at, :day, :grade,"
                " :kind, :seconds, :rb, :eb, :ib, :db, :ra, :ea, :ia, :da) RETURNING id"
            ),
            {"id": highlight_id, "at": utc_text(now), "day": day.isoformat(), "grade": grade, "kind": kind,
             "seconds": seconds, "rb": before.repetitions, "eb": easiness_to_hundredths(before.easiness),
             "ib": before.interval, "db": row.due, "ra": after.repetitions,
             "ea": easiness_to_hundredths(after.easiness), "ia": after.interval, "da": due},
        ).scalar_one()
    return Rated(highlight_id, grade, kind, before, after, date.fromisoformat(due) if due else None, review_id)


def due_day(day: date, interval: int) -> date:
    """The study day a review on ``day`` falls due again. SM-2 has no maximum interval, so
    after a long run of perfect grades the date saturates at the calendar's end; the stored
    interval stays exact."""
    try:
        return day + timedelta(days=interval)
    except OverflowError:
        return date.max


def undo_last(engine: Engine, expected: Rated | None = None, day: date | None = None) -> Undone | None:
    """Remove the newest grade from the log and restore the state it replaced exactly.

    With ``expected`` (what a ``rate`` returned), only if that grade is still the newest
    and the log row still holds that highlight and grade (review ids are never reused,
    so another process's grade can never be mistaken for it). With ``day``, only a
    grade given on that study day. Otherwise ActionError (code 5), and nothing changes;
    None when the log is empty.
    """
    with writing(engine) as connection:
        last = connection.execute(
            text(
                "SELECT id, highlight_id, grade, kind, study_day, repetitions_before, easiness_before,"
                " interval_before, due_before FROM reviews ORDER BY id DESC LIMIT 1"
            )
        ).first()
        if last is None:
            return None
        if expected is not None and (last.id, last.highlight_id, last.grade) != (
            expected.review_id, expected.highlight_id, expected.grade
        ):
            raise NotUndoable("another grade was logged after this one; undo it with `recall undo`")
        if day is not None and last.study_day != day.isoformat():
            raise NotUndoable(
                f"the last grade (highlight {last.highlight_id}, grade {last.grade}) was given on {last.study_day},"
                " not today; `recall undo --any-day` takes it back"
            )
        if last.kind == "review":
            connection.execute(
                text("UPDATE highlights SET repetitions = :r, easiness = :e, interval = :i, due = :due WHERE id = :id"),
                {"r": last.repetitions_before, "e": last.easiness_before, "i": last.interval_before,
                 "due": last.due_before, "id": last.highlight_id},
            )
        connection.execute(text("DELETE FROM reviews WHERE id = :id"), {"id": last.id})
    return Undone(last.highlight_id, last.grade, last.kind, date.fromisoformat(last.study_day))


def skip(engine: Engine, highlight_id: int, day: date) -> date | None:
    """Leave a highlight out until the next study day; returns the previous skip (for undo)."""
    with writing(engine) as connection:
        row = _active_row(connection, highlight_id, "skip")
        _set(connection, highlight_id, skipped_until=day.isoformat())
    return date.fromisoformat(row.skipped_until) if row.skipped_until else None


def unskip(engine: Engine, highlight_id: int, previous: date | None) -> None:
    """Undo a skip: put back the skip state it replaced."""
    with writing(engine) as connection:
        _set(connection, highlight_id, skipped_until=previous.isoformat() if previous else None)


def discard(engine: Engine, highlight_id: int) -> None:
    """Never show this highlight again (until restored); its schedule is kept."""
    with writing(engine) as connection:
        _existing_row(connection, highlight_id)
        _set(connection, highlight_id, discarded=True)


def restore(engine: Engine, highlight_id: int) -> None:
    """Bring a discarded highlight back into the queue, schedule as it was."""
    with writing(engine) as connection:
        _existing_row(connection, highlight_id)
        _set(connection, highlight_id, discarded=False)


def set_favorite(engine: Engine, highlight_id: int, favorite: bool) -> None:
    with writing(engine) as connection:
        _existing_row(connection, highlight_id)
        _set(connection, highlight_id, favorite=favorite)


def _existing_row(connection: Connection, highlight_id: int):
    if not SQLITE_MIN_ID <= highlight_id <= SQLITE_MAX_ID:  # no such row can exist
        raise HighlightNotFound(f"no highlight with id {highlight_id}")
    row = connection.execute(
        text(
            "SELECT repetitions, easiness, interval, due, skipped_until, retired, discarded"
            " FROM highlights WHERE id = :id"
        ),
        {"id": highlight_id},
    ).first()
    if row is None:
        raise HighlightNotFound(f"no highlight with id {highlight_id}")
    return row


def _active_row(connection: Connection, highlight_id: int, action: str):
    row = _existing_row(connection, highlight_id)
    if row.retired:
        raise HighlightUnavailable(f"cannot {action} highlight {highlight_id}: it is retired (no longer in the vault)")
    if row.discarded:
        raise HighlightUnavailable(
            f"cannot {action} highlight {highlight_id}: it is discarded (`recall restore {highlight_id}` brings it back)"
        )
    return row


def _set(connection: Connection, highlight_id: int, **values: object) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    connection.execute(text(f"UPDATE highlights SET {assignments} WHERE id = :id"), values | {"id": highlight_id})
