"""The replay of the review log written into the database, and the stored state read back to
compare (``recall.reviewlog.catchup``, ``recall.reviewlog.audit``, ``recall.reviewlog.history``).

A highlight's state is the tuple ``STATE`` (repetitions, easiness in hundredths, interval in days,
due and skipped_until as study days or None, discarded, favorite, and the FSRS memory state:
stability in days, difficulty and the last review's study day, or three None), the order of
``recall.reviewlog.events.Snapshot``'s fields. A grade row is a mapping of
the ``reviews`` columns (``GRADE_COLUMNS``): the event's id and device, instant (aware, stored in
UTC), study day, grade, kind, seconds, and the SM-2 state before and after. Every function runs
in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import Connection, Row, Table, Update, bindparam, delete, insert, or_, select, update

from recall.db.logevents import BATCH
from recall.db.models import HIGHLIGHTS, REVIEWS

STATE: Final = (
    "repetitions", "easiness", "interval", "due", "skipped_until", "discarded", "favorite", "stability", "difficulty",
    "last_review",
)
GRADE_COLUMNS: Final = (
    "event_id", "device", "reviewed_at", "study_day", "grade", "kind", "seconds", "repetitions_before",
    "easiness_before", "interval_before", "due_before", "repetitions_after", "easiness_after", "interval_after",
    "due_after",
)

State = tuple[int, int, int, date | None, date | None, bool, bool, float | None, float | None, date | None]


def highlight_ids(connection: Connection, keys: Iterable[str] | None) -> dict[str, int]:
    """The row id of each of ``keys`` (identity keys; None: every highlight) that a highlight here has: key → id."""
    h = HIGHLIGHTS.c
    if keys is None:
        return {key: row_id for key, row_id in connection.execute(select(h.key, h.id))}
    found: dict[str, int] = {}
    items = sorted(set(keys))
    for start in range(0, len(items), BATCH):
        batch = items[start:start + BATCH]
        found.update((key, row_id) for key, row_id in connection.execute(select(h.key, h.id).where(h.key.in_(batch))))
    return found


def write_states(connection: Connection, states: Mapping[int, State]) -> None:
    """Put each highlight's state (``STATE`` order) on its row: highlight id → state."""
    if not states:
        return
    rows = [{"row": highlight_id, **dict(zip(STATE, state, strict=True))} for highlight_id, state in states.items()]
    connection.execute(_update_changed(HIGHLIGHTS, STATE), rows)


def _update_changed(table: Table, names: Sequence[str]) -> Update:
    """An UPDATE of ``names`` (bound by those names) of the row ``row`` of ``table`` that leaves a
    row holding those values already alone: a rebuild rewrites 200,000 highlights, nearly all unchanged."""
    c = table.c
    return (update(table).where(c.id == bindparam("row"), or_(*(c[name].is_distinct_from(bindparam(name)) for name in names)))
            .values({name: bindparam(name) for name in names}))


def write_grades(connection: Connection, highlights: Iterable[int], grades: Sequence[Mapping[str, Any]]) -> None:
    """Make the ``reviews`` rows of the ``highlights`` (ids) exactly ``grades``: their applied grades
    in replay order, each a mapping of ``highlight_id`` and every ``GRADE_COLUMNS`` field. A row whose
    event is still applied keeps its id and takes the replay's values, the others are deleted, and
    the new ones are inserted in replay order, so row ids keep the order the grades were given in
    (``reviews.newest_review`` takes the highest) even in a database rebuilt from the log."""
    r = REVIEWS.c
    ids = sorted(set(highlights))
    names = ("highlight_id", *GRADE_COLUMNS)
    existing: dict[str | None, Row] = {}
    doomed: list[int] = []
    for start in range(0, len(ids), BATCH):
        for row in connection.execute(
            select(r.id, *(r[name] for name in names)).where(r.highlight_id.in_(ids[start:start + BATCH]))
        ):
            if row.event_id is None or row.event_id in existing:
                doomed.append(row.id)
            else:
                existing[row.event_id] = row
    wanted = {grade["event_id"] for grade in grades}
    doomed += [row.id for event_id, row in existing.items() if event_id not in wanted]
    for start in range(0, len(doomed), BATCH):
        connection.execute(delete(REVIEWS).where(r.id.in_(doomed[start:start + BATCH])))
    changed: list[dict[str, Any]] = []
    fresh: list[dict[str, Any]] = []
    for grade in grades:
        values = {**grade, "reviewed_at": grade["reviewed_at"].astimezone(UTC)}
        kept = existing.get(grade["event_id"])
        if kept is None:
            fresh.append(values)
        elif tuple(map(_comparable, kept[1:])) != tuple(_comparable(values[name]) for name in names):  # a rebuild: nearly all equal
            changed.append({**values, "row": kept.id})
    if changed:
        connection.execute(_update_changed(REVIEWS, names), changed)
    if fresh:
        connection.execute(insert(REVIEWS), fresh)


def _comparable(value: Any) -> Any:
    """A value of a row, or to be written to one, as they compare (an instant: aware UTC)."""
    return instant(value) if isinstance(value, datetime) else value


def stored_states(connection: Connection, keys: Iterable[str] | None = None) -> dict[str, State]:
    """Every highlight's stored state (or only those of ``keys`` that a highlight here has): key →
    state (``STATE`` order)."""
    h = HIGHLIGHTS.c
    statement = select(h.key, *(h[name] for name in STATE))
    rows = connection.execute(statement if keys is None else statement.where(h.key.in_(list(keys))))
    return {key: (*values[:5], bool(values[5]), bool(values[6]), *values[7:]) for key, *values in rows}


def stored_grades(connection: Connection) -> list[Row]:
    """Every ``reviews`` row: its highlight's ``key`` and the ``GRADE_COLUMNS``, oldest row first."""
    r = REVIEWS.c
    return list(connection.execute(
        select(HIGHLIGHTS.c.key, *(r[name] for name in GRADE_COLUMNS))
        .join(HIGHLIGHTS, HIGHLIGHTS.c.id == r.highlight_id).order_by(r.id)
    ))


def grades_without_events(connection: Connection) -> list[Row]:
    """The ``reviews`` rows older than the review log (no ``event_id``): ``id``, the highlight's
    ``key`` and the ``GRADE_COLUMNS``, in the order they were written."""
    r = REVIEWS.c
    return list(connection.execute(
        select(r.id, HIGHLIGHTS.c.key, *(r[name] for name in GRADE_COLUMNS))
        .join(HIGHLIGHTS, HIGHLIGHTS.c.id == r.highlight_id).where(r.event_id.is_(None)).order_by(r.id)
    ))


def marked_highlights(connection: Connection) -> list[Row]:
    """Highlights with a mark (discarded, favourite, or skipped): ``key``, ``discarded``,
    ``favorite``, ``skipped_until``, ``first_seen`` and ``last_reviewed`` (the instant of its
    newest grade, None without one), by key."""
    h, r = HIGHLIGHTS.c, REVIEWS.c
    newest = select(r.reviewed_at).where(r.highlight_id == h.id).order_by(r.reviewed_at.desc()).limit(1)
    return list(connection.execute(
        select(h.key, h.discarded, h.favorite, h.skipped_until, h.first_seen, newest.scalar_subquery().label("last"))
        .where(h.discarded.is_(True) | h.favorite.is_(True) | h.skipped_until.is_not(None)).order_by(h.key)
    ))


def name_events(connection: Connection, rows: Sequence[tuple[int, str, str]]) -> None:
    """Give ``reviews`` rows their event: ``(row id, event id, device)``."""
    if rows:
        connection.execute(
            update(REVIEWS).where(REVIEWS.c.id == bindparam("row")).values(event_id=bindparam("event"),
                                                                          device=bindparam("by")),
            [{"row": row_id, "event": event_id, "by": device} for row_id, event_id, device in rows],
        )


def instant(value: datetime) -> datetime:
    """A stored instant (naive UTC, as SQLite gives it back) as an aware UTC datetime."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
