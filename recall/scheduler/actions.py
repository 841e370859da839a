"""Everything that changes a highlight's schedule or marks, each in its own write transaction,
each written first to the review log in the vault (docs/review-log.md, "Durability").

Every action does, in order: open the write transaction; read the highlight and refuse (nothing
written); build its event and append it, fsync'd, through the ``LogWriter`` it is given (a log
that cannot take it refuses the action: ``LogNotWritten``, nothing saved); write the rows; commit.

``rate`` applies the collection's scheduler (SM-2, or FSRS: ``recall.scheduling.graded``) to the
first grade of a highlight on a study day and logs every grade; later grades that day are drills
(logged, schedule untouched). ``skip``, ``discard``, ``restore``
and ``set_favorite`` are marks: they never touch repetitions, EF or interval. Undoing one
(``undo_last`` for grades, ``undo_mark`` for marks: ``recall.scheduler.undo``) writes an ``undo``
event naming the event it takes back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from pathlib import Path

from recall.db import logevents, reviews, vaults
from recall.db.engine import Connection, Engine, Row, writing
from recall.frequency import Level
from recall.fsnames import from_stored
from recall.reviewlog.catchup import replay_keys
from recall.reviewlog.collection import balance_load, current_settings
from recall.reviewlog.events import Event, EventType, Snapshot, marked
from recall.reviewlog.files import LogWriteError
from recall.reviewlog.writer import LogWriter
from recall.scheduling import graded
from recall.vocabulary import ReviewKind

# How a refusal names the action whose event the log could not take ("skip not saved: …").
ACTION_NAMES = {
    EventType.GRADE: "grade", EventType.SKIP: "skip", EventType.DISCARD: "discard", EventType.RESTORE: "restore",
    EventType.FAVORITE: "favourite", EventType.UNFAVORITE: "unfavourite", EventType.UNDO: "undo",
    EventType.FREQUENCY: "frequency",
}


class ActionError(Exception):
    """An action refused; the message says why. Front-ends decide what it means to them
    (the CLI an exit code, the review app a notice)."""


class BadGrade(ActionError):
    """A grade that is not a whole number from 0 to 5."""


class HighlightNotFound(ActionError):
    """No highlight has that id."""


class HighlightUnavailable(ActionError):
    """The highlight is retired (gone from the vault) or discarded, or its source is suspended
    (frequency ``never``): it cannot be graded or skipped."""


class NotUndoable(ActionError):
    """The newest grade is not the one named, or was given on another study day."""


class LogNotWritten(ActionError):
    """The review log could not take the action's event (its folder read-only, full or not there,
    no vault to keep it in, this device's id unreadable): the action is refused, nothing is saved."""


@dataclass(frozen=True)
class Rated:
    """What one grade did: the highlight's state ``before`` and ``after`` it (equal for a drill)."""

    highlight_id: int
    grade: int
    kind: ReviewKind  # REVIEW (applied to the schedule) or DRILL (logged only)
    before: Snapshot
    after: Snapshot
    due: date | None
    event_id: uuid.UUID  # the review log's event (also on the row), for undoing exactly this grade
    level: Level = Level.NORMAL  # its source's frequency, which shaped the due day of a review


@dataclass(frozen=True)
class Marked:
    """What one mark did: its ``type`` (SKIP, DISCARD, RESTORE, FAVORITE or UNFAVORITE), the review
    log's ``event_id``, and the highlight's state ``before`` it, which undoing it puts back."""

    highlight_id: int
    type: EventType
    event_id: uuid.UUID
    before: Snapshot


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
    *, log: LogWriter,
) -> Rated:
    """Grade a highlight (0..5) at ``now`` (an aware instant), counting for study day ``day``;
    ``seconds`` is the time taken to answer.

    The first grade of the day applies the collection's scheduler (``recall.scheduling.graded``:
    SM-2 as docs/sm2.md reads it, or FSRS, at the frequency level of the highlight's source) and
    clears a skip; later ones are drills, logged only.
    The grade is appended to the review log through ``log`` and fsync'd before the database is
    written, in the same transaction, and the row names its event.
    Raises BadGrade, HighlightNotFound, HighlightUnavailable, and LogNotWritten (nothing saved).
    """
    grade = check_grade(grade)
    with writing(engine) as connection:
        row = _active_row(connection, highlight_id, "rate")
        was, level = snapshot(row), Level(row.frequency)
        if reviews.reviewed_on(connection, highlight_id, day):
            kind, became = ReviewKind.DRILL, was
        else:
            settings = current_settings(connection)
            load = partial(balance_load, connection) if settings.balance else None
            kind, became = ReviewKind.REVIEW, graded(was, grade, day, settings, row.key, level, load=load)
        event = log_event(
            connection, log, EventType.GRADE, row, now, day, became, grade=grade, kind=kind, seconds=seconds
        )
        if kind is ReviewKind.DRILL and reviews.reviewed_later_on(connection, highlight_id, day, now) \
                and reviews.all_in_log(connection, highlight_id):
            # The day's review came from a device whose clock was ahead: in the replay, the one truth
            # every device computes, this earlier grade is the review. Apply it as the replay does.
            replay_keys(connection, {row.key}, now)
            return _rated_as_replayed(connection, highlight_id, grade, row.due, event.id, level)
        if kind is ReviewKind.REVIEW:
            reviews.set_schedule(
                connection, highlight_id, became.repetitions, became.easiness, became.interval, became.due,
                clear_skip=True, memory=(became.stability, became.difficulty, became.reviewed),
            )
        reviews.log_review(
            connection, highlight_id, now, day, grade, kind, seconds,
            (was.repetitions, was.easiness, was.interval, was.due),
            (became.repetitions, became.easiness, became.interval, became.due),
            event_id=str(event.id), device=event.device,
        )
    return Rated(highlight_id, grade, kind, was, became, became.due, event.id, level)


def _rated_as_replayed(
    connection: Connection, highlight_id: int, grade: int, due_before: date | None, event_id: uuid.UUID, level: Level
) -> Rated:
    """What a grade did once the replay placed it (its ``reviews`` row as the replay wrote it; the
    state after it is the highlight's now: the replay made the other grade of its day a drill)."""
    found = reviews.grade_of_event(connection, str(event_id))
    assert found is not None  # the replay applies every grade of a highlight that is here
    after = snapshot(existing_row(connection, highlight_id))
    before = replace(after, repetitions=found.repetitions_before, easiness=found.easiness_before,
                     interval=found.interval_before, due=due_before)
    kind = ReviewKind(found.kind)
    return Rated(highlight_id, grade, kind, before, after, found.due_after if kind is ReviewKind.REVIEW else due_before,
                 event_id, level)


def skip(engine: Engine, highlight_id: int, now: datetime, day: date, *, log: LogWriter) -> Marked:
    """Leave a highlight out through study day ``day`` (it comes back the next one), at ``now``.
    Raises HighlightNotFound, HighlightUnavailable (retired or discarded), LogNotWritten."""
    return _mark(engine, highlight_id, EventType.SKIP, now, day, log)


def discard(engine: Engine, highlight_id: int, now: datetime, day: date, *, log: LogWriter) -> Marked:
    """Never show this highlight again (until restored); its schedule is kept.
    Raises HighlightNotFound, LogNotWritten."""
    return _mark(engine, highlight_id, EventType.DISCARD, now, day, log)


def restore(engine: Engine, highlight_id: int, now: datetime, day: date, *, log: LogWriter) -> Marked:
    """Bring a discarded highlight back into the queue, schedule as it was.
    Raises HighlightNotFound, LogNotWritten."""
    return _mark(engine, highlight_id, EventType.RESTORE, now, day, log)


def set_favorite(
    engine: Engine, highlight_id: int, now: datetime, day: date, *, favorite: bool, log: LogWriter
) -> Marked:
    """Mark a highlight as a favourite (``favorite``) or remove the mark.
    Raises HighlightNotFound, LogNotWritten."""
    return _mark(engine, highlight_id, EventType.FAVORITE if favorite else EventType.UNFAVORITE, now, day, log)


def _mark(engine: Engine, highlight_id: int, type: EventType, now: datetime, day: date, log: LogWriter) -> Marked:
    """One mark of ``type``: logged, then its one field on the row (``MARK_FIELDS``)."""
    with writing(engine) as connection:
        skipping = type is EventType.SKIP  # a retired or discarded highlight is out of the queue already
        row = _active_row(connection, highlight_id, "skip") if skipping else existing_row(connection, highlight_id)
        was = snapshot(row)
        after = marked(was, type, day)
        event = log_event(connection, log, type, row, now, day, after)
        store_mark(connection, highlight_id, type, after)
    return Marked(highlight_id, type, event.id, was)


def store_mark(connection: Connection, highlight_id: int, type: EventType, state: Snapshot) -> None:
    """Write the one field a mark of ``type`` sets (``MARK_FIELDS``) as it is in ``state``."""
    if type is EventType.SKIP:
        reviews.set_skip(connection, highlight_id, state.skipped_until)
    elif type in (EventType.DISCARD, EventType.RESTORE):
        reviews.set_flags(connection, highlight_id, discarded=state.discarded)
    else:
        reviews.set_flags(connection, highlight_id, favorite=state.favorite)


def log_event(
    connection: Connection, log: LogWriter, type: EventType, row: Row, now: datetime, day: date, after: Snapshot,
    *, grade: int | None = None, kind: ReviewKind | None = None, seconds: float | None = None,
    undoes: uuid.UUID | None = None,
) -> Event:
    """Append the action's event on the highlight of ``row`` (``highlight_state``), from its state
    on the row to ``after``, through ``log``, inside the action's transaction, and store it in
    ``log_events`` in that transaction (so the next catch-up knows it and replays nothing for it);
    ``LogNotWritten`` when the log cannot take it (the transaction then rolls back: nothing is
    saved, and an event appended before a failure is new to the next catch-up, which applies it)."""
    try:
        event = log.write(
            first_vault(connection), type, key=row.key, at=now, day=day, before=snapshot(row), after=after,
            grade=grade, kind=kind, seconds=seconds, undoes=undoes,
        )
    except LogWriteError as error:
        raise LogNotWritten(f"{ACTION_NAMES[type]} not saved: {error}") from error
    logevents.keep_events(connection, [(str(event.id), event.key, event.type.value, event.to_json())], placed=True)
    return event


def snapshot(row: Row) -> Snapshot:
    """The highlight's state as the review log records it, from its row (``highlight_state``)."""
    return Snapshot(
        repetitions=row.repetitions, easiness=row.easiness, interval=row.interval, due=row.due,
        skipped_until=row.skipped_until, discarded=bool(row.discarded), favorite=bool(row.favorite),
        stability=row.stability, difficulty=row.difficulty, reviewed=row.last_review,
    )


def first_vault(connection: Connection) -> Path | None:
    """The vault imported first (a relative ``review_log`` is inside it), or None."""
    stored = vaults.first_vault_root(connection)
    return None if stored is None else Path(from_stored(stored))


def existing_row(connection: Connection, highlight_id: int) -> Row:
    """The highlight's ``reviews.highlight_state`` row; HighlightNotFound when there is none."""
    row = reviews.highlight_state(connection, highlight_id)
    if row is None:
        raise HighlightNotFound(f"no highlight with id {highlight_id}")
    return row


def _active_row(connection: Connection, highlight_id: int, action: str) -> Row:
    row = existing_row(connection, highlight_id)
    if row.retired:
        raise HighlightUnavailable(f"cannot {action} highlight {highlight_id}: it is retired (no longer in the vault)")
    if row.discarded:
        raise HighlightUnavailable(
            f"cannot {action} highlight {highlight_id}: it is discarded (`recall restore {highlight_id}` brings it back)"
        )
    if row.frequency == Level.NEVER:
        raise HighlightUnavailable(
            f"cannot {action} highlight {highlight_id}: its source is set to never "
            f"(`recall frequency {row.source_id} normal` brings it back)"
        )
    return row
