"""Everything that changes a highlight's schedule, each in its own write transaction.

``rate`` applies SM-2 to the first grade of a highlight on a study day and logs
every grade; later grades that day are drills (logged, schedule untouched). Given a
``LogWriter``, it first appends the grade to the review log in the vault (docs/review-log.md),
durably, inside its transaction: no log line, no grade.
``undo_last`` deletes the newest log row and puts back the state it recorded.
Skip, discard, restore and favorite never touch repetitions, EF or interval.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from recall.db import reviews, vaults
from recall.db.engine import Connection, Engine, Row, writing
from recall.fsnames import from_stored
from recall.reviewlog.events import Snapshot
from recall.reviewlog.files import LogWriteError
from recall.reviewlog.writer import LogWriter
from recall.sm2 import SM2State, due_day, easiness_from_hundredths, easiness_to_hundredths, review
from recall.vocabulary import ReviewKind


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


class LogNotWritten(ActionError):
    """The review log could not take the action's event (its folder read-only, full or not there,
    no vault to keep it in, this device's id unreadable): the action is refused, nothing is saved."""


@dataclass(frozen=True)
class Rated:
    """What one grade did."""

    highlight_id: int
    grade: int
    kind: ReviewKind  # REVIEW (applied to the schedule) or DRILL (logged only)
    before: SM2State
    after: SM2State
    due: date | None
    review_id: int  # the log row written, for undoing exactly this grade
    event_id: uuid.UUID | None = None  # the review log's event (None: rate was given no LogWriter)


@dataclass(frozen=True)
class Undone:
    """The grade an undo took back."""

    highlight_id: int
    grade: int
    kind: ReviewKind
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
    engine: Engine, highlight_id: int, grade: int, now: datetime, day: date, seconds: float | None = None,
    *, log: LogWriter | None = None,
) -> Rated:
    """Grade a highlight (0..5) at ``now`` (an aware instant), counting for study day ``day``.

    The first grade of the day applies SM-2 (docs/sm2.md) and clears a skip; later ones are
    drills, logged only. With ``log`` (the front-ends always give it; only library tests and
    fixtures leave it out, until every action is wired), the grade is appended to the review
    log and fsync'd before the database is written, in the same transaction. Raises BadGrade,
    HighlightNotFound, HighlightUnavailable, and LogNotWritten (nothing saved).
    """
    grade = check_grade(grade)
    with writing(engine) as connection:
        row = _active_row(connection, highlight_id, "rate")
        before = SM2State(row.repetitions, easiness_from_hundredths(row.easiness), row.interval)
        due: date | None
        if reviews.reviewed_on(connection, highlight_id, day):
            kind, after, due = ReviewKind.DRILL, before, row.due
        else:
            kind, after = ReviewKind.REVIEW, review(before, grade)
            due = due_day(day, after.interval)
        event = None
        if log is not None:
            was = _snapshot(row)
            became = was if kind is ReviewKind.DRILL else replace(
                was, repetitions=after.repetitions, easiness=easiness_to_hundredths(after.easiness),
                interval=after.interval, due=due, skipped_until=None,
            )
            try:
                event = log.grade(
                    _first_vault(connection), key=row.key, at=now, day=day, grade=grade, kind=kind, seconds=seconds,
                    before=was, after=became,
                )
            except LogWriteError as error:  # the transaction rolls back: nothing is saved
                raise LogNotWritten(f"grade not saved: {error}") from error
        if kind is ReviewKind.REVIEW:
            reviews.set_schedule(
                connection, highlight_id, after.repetitions, easiness_to_hundredths(after.easiness), after.interval, due,
                clear_skip=True,
            )
        review_id = reviews.log_review(
            connection, highlight_id, now, day, grade, kind, seconds,
            (before.repetitions, easiness_to_hundredths(before.easiness), before.interval, row.due),
            (after.repetitions, easiness_to_hundredths(after.easiness), after.interval, due),
            event_id=None if event is None else str(event.id), device=None if event is None else event.device,
        )
    return Rated(highlight_id, grade, kind, before, after, due, review_id, None if event is None else event.id)


def undo_last(engine: Engine, expected: Rated | None = None, day: date | None = None) -> Undone | None:
    """Remove the newest grade from the log and restore the state it replaced exactly.

    With ``expected`` (what a ``rate`` returned), only if that grade is still the newest
    and the log row still holds that highlight and grade (review ids are never reused,
    so another process's grade can never be mistaken for it). With ``day``, only a
    grade given on that study day. Otherwise ActionError (code 5), and nothing changes;
    None when the log is empty.
    """
    with writing(engine) as connection:
        last = reviews.newest_review(connection)
        if last is None:
            return None
        if expected is not None and (last.id, last.highlight_id, last.grade) != (
            expected.review_id, expected.highlight_id, expected.grade
        ):
            raise NotUndoable("another grade was logged after this one; undo it with `recall undo`")
        if day is not None and last.study_day != day:
            raise NotUndoable(
                f"the last grade (highlight {last.highlight_id}, grade {last.grade}) was given on {last.study_day},"
                " not today; `recall undo --any-day` takes it back"
            )
        if last.kind == ReviewKind.REVIEW:
            reviews.set_schedule(
                connection, last.highlight_id, last.repetitions_before, last.easiness_before, last.interval_before,
                last.due_before,
            )
        reviews.delete_review(connection, last.id)
    return Undone(last.highlight_id, last.grade, ReviewKind(last.kind), last.study_day)


def skip(engine: Engine, highlight_id: int, day: date) -> date | None:
    """Leave a highlight out until the next study day; returns the previous skip (for undo)."""
    with writing(engine) as connection:
        row = _active_row(connection, highlight_id, "skip")
        reviews.set_skip(connection, highlight_id, day)
    return row.skipped_until


def unskip(engine: Engine, highlight_id: int, previous: date | None) -> None:
    """Undo a skip: put back the skip state it replaced."""
    with writing(engine) as connection:
        reviews.set_skip(connection, highlight_id, previous)


def discard(engine: Engine, highlight_id: int) -> None:
    """Never show this highlight again (until restored); its schedule is kept."""
    with writing(engine) as connection:
        _existing_row(connection, highlight_id)
        reviews.set_flags(connection, highlight_id, discarded=True)


def restore(engine: Engine, highlight_id: int) -> None:
    """Bring a discarded highlight back into the queue, schedule as it was."""
    with writing(engine) as connection:
        _existing_row(connection, highlight_id)
        reviews.set_flags(connection, highlight_id, discarded=False)


def set_favorite(engine: Engine, highlight_id: int, favorite: bool) -> None:
    with writing(engine) as connection:
        _existing_row(connection, highlight_id)
        reviews.set_flags(connection, highlight_id, favorite=favorite)


def _snapshot(row: Row) -> Snapshot:
    """The highlight's state as the review log records it, from its row (``highlight_state``)."""
    return Snapshot(
        repetitions=row.repetitions, easiness=row.easiness, interval=row.interval, due=row.due,
        skipped_until=row.skipped_until, discarded=bool(row.discarded), favorite=bool(row.favorite),
    )


def _first_vault(connection: Connection) -> Path | None:
    """The vault imported first (a relative ``review_log`` is inside it), or None."""
    stored = vaults.first_vault_root(connection)
    return None if stored is None else Path(from_stored(stored))


def _existing_row(connection: Connection, highlight_id: int) -> Row:
    row = reviews.highlight_state(connection, highlight_id)
    if row is None:
        raise HighlightNotFound(f"no highlight with id {highlight_id}")
    return row


def _active_row(connection: Connection, highlight_id: int, action: str) -> Row:
    row = _existing_row(connection, highlight_id)
    if row.retired:
        raise HighlightUnavailable(f"cannot {action} highlight {highlight_id}: it is retired (no longer in the vault)")
    if row.discarded:
        raise HighlightUnavailable(
            f"cannot {action} highlight {highlight_id}: it is discarded (`recall restore {highlight_id}` brings it back)"
        )
    return row
