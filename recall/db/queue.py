"""The queue's questions to the database, as Core statements on the models' tables.

*Active* means in the queue's reach: not retired, not discarded, and not skipped for
the study day asked about. Study days are ``date``; counts are ints; ids are highlight ids.
Ties are broken by a shuffle seeded from the day (Knuth's multiplicative hash of id +
day), and new highlights are drawn from a starting point that moves with the day
(``pick_new``), so an order is the same for a given database and day and differs from day to day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    exists,
    func,
    literal_column,
    not_,
    or_,
    select,
)

from recall.db.conditions import active_on, scheduled, worth_reviewing
from recall.db.models import DRAW_MULTIPLIER, DRAW_SPAN, HIGHLIGHTS, REVIEWS, SOURCES
from recall.vocabulary import QueueFilter

h, r, s = HIGHLIGHTS.c, REVIEWS.c, SOURCES.c


def filter_clauses(where: QueueFilter | None) -> list[ColumnElement[bool]]:
    """The filter's source, tag, category, favourites and quality (``min_words``) as conditions on
    ``highlights`` (its limit is the caller's)."""
    found: list[ColumnElement[bool]] = []
    if where is None:
        return found
    found.extend(narrowing(where))
    if where.min_words is not None:
        found.append(worth_reviewing(where.min_words))
    return found


def narrowing(where: QueueFilter) -> list[ColumnElement[bool]]:
    """The filter's source (a title substring, or a source id typed as one), tag, category and
    favourites as conditions on ``highlights``: everything but its quality filter and limit."""
    found: list[ColumnElement[bool]] = []
    if where.source:
        pattern = "%" + _escape_like(where.source) + "%"
        titled = h.source_id.in_(select(s.id).where(s.title.like(pattern, escape="\\")))
        found.append(titled if where.source_id is None else or_(h.source_id == where.source_id, titled))
    if where.tag:
        each = func.json_each(h.tags).table_valued("value")
        found.append(exists(select(1).select_from(each).where(
            func.lower(each.c.value) == func.lower(where.tag.lstrip("#"))
        )))
    if where.category:
        found.append(h.source_id.in_(
            select(s.id).where(func.lower(s.category) == func.lower(where.category.lstrip("#")))
        ))
    if where.favorite:
        found.append(h.favorite)
    return found


def _shuffle(day: date) -> ColumnElement[Any]:
    return ((h.id + day.toordinal()) * 2654435761) % 4294967296


def _ids(condition: ColumnElement[bool], where: QueueFilter | None) -> Select[Any]:
    return select(h.id).where(condition, *filter_clauses(where))


def _count(condition: ColumnElement[bool], where: QueueFilter | None) -> Select[Any]:
    return select(func.count()).select_from(HIGHLIGHTS).where(condition, *filter_clauses(where))


def count_due(connection: Connection, day: date, where: QueueFilter | None = None, *, skipped_too: bool = False) -> int:
    """Active highlights due on ``day`` or overdue (``skipped_too``: also those skipped for it)."""
    reach = scheduled() if skipped_too else active_on(day)
    return int(connection.execute(_count(and_(reach, h.due <= day), where)).scalar_one())


def count_new_and_left_out(connection: Connection, day: date, where: QueueFilter | None = None) -> tuple[int, int, int]:
    """(new, left out due, left out new): the active highlights never reviewed that ``where`` lets
    in, and those its quality filter (``min_words``) leaves out of the queue for ``day`` though the
    rest of ``where`` lets them in, due on ``day`` or overdue, and never reviewed (both 0 when
    ``where`` has no quality filter). The never-reviewed are counted in one scan of an index, the
    due on the due index."""
    reach = [active_on(day), *(narrowing(where) if where is not None else [])]
    if where is None or where.min_words is None:
        every_new = connection.execute(select(func.count()).where(*reach, h.due.is_(None))).scalar_one()
        return int(every_new), 0, 0
    left_out = not_(worth_reviewing(where.min_words))
    every_new, left_out_new = connection.execute(
        select(func.count(), func.count().filter(left_out)).select_from(HIGHLIGHTS).where(*reach, h.due.is_(None))
    ).one()
    left_out_due = connection.execute(select(func.count()).where(*reach, h.due <= day, left_out)).scalar_one()
    return int(every_new) - int(left_out_new), int(left_out_due), int(left_out_new)


def pick_due(connection: Connection, day: date, room: int, where: QueueFilter | None = None) -> list[int]:
    """Up to ``room`` active highlights due on ``day`` or before, most overdue first."""
    statement = _ids(and_(active_on(day), h.due <= day), where).order_by(h.due, _shuffle(day)).limit(room)
    return list(connection.execute(statement).scalars())


def _draw() -> ColumnElement[Any]:
    """A highlight's place in the draw of new highlights (``models.DRAW_SQL``), as the index has it."""
    return (h.id * literal_column(str(DRAW_MULTIPLIER))) % literal_column(str(DRAW_SPAN))


def draw_start(day: date) -> int:
    """Where study day ``day`` starts drawing new highlights: a point of the 32-bit draw order."""
    return (day.toordinal() * DRAW_MULTIPLIER) % DRAW_SPAN


def pick_new(connection: Connection, day: date, room: int, where: QueueFilter | None = None) -> list[int]:
    """Up to ``room`` active highlights never reviewed, in the day's draw: by their place in the
    draw order from the day's starting point (``draw_start``), wrapping round, so each study day
    starts elsewhere in the library. Unnarrowed, the index ``highlights_draw`` reads about the rows
    taken; narrowed (a source, tag, category or favourites), the few rows let in are sorted, since
    walking the draw for them could read every new highlight."""
    new, draw, start = and_(active_on(day), h.due.is_(None)), _draw(), draw_start(day)
    if where is not None and narrowing(where):
        statement = _ids(new, where).order_by(draw < start, draw).limit(room)
        return list(connection.execute(statement).scalars())
    picked: list[int] = []
    for part in (draw >= start, draw < start):
        if len(picked) < room:
            statement = _ids(and_(new, part), where).order_by(draw).limit(room - len(picked))
            picked.extend(connection.execute(statement).scalars())
    return picked


def _ahead(day: date) -> ColumnElement[bool]:
    """Scheduled after ``day`` and not reviewed on it (a second grade would only be a drill)."""
    reviewed = exists().where(r.highlight_id == h.id, r.study_day == day)
    return and_(active_on(day), h.due > day, not_(reviewed))


def ahead(engine: Engine, day: date, where: QueueFilter | None = None, limit: int | None = None) -> list[int]:
    """Highlights scheduled after ``day``, soonest first: for reviewing ahead."""
    statement = _ids(_ahead(day), where).order_by(h.due, _shuffle(day)).limit(limit)
    with engine.connect() as connection:
        return list(connection.execute(statement).scalars())


def count_ahead(engine: Engine, day: date, where: QueueFilter | None = None) -> int:
    """How many highlights ``ahead`` would offer without a limit."""
    with engine.connect() as connection:
        return int(connection.execute(_count(_ahead(day), where)).scalar_one())


def unfinished_drills(engine: Engine, day: date, pass_grade: int, where: QueueFilter | None = None) -> list[int]:
    """Highlights whose latest grade on ``day`` is below ``pass_grade``, in the order they were
    graded: drills a session left unfinished."""
    latest = REVIEWS.alias("latest")
    newest_that_day = (
        select(func.max(latest.c.id)).where(latest.c.highlight_id == r.highlight_id, latest.c.study_day == day)
        .scalar_subquery()
    )
    statement = (
        select(r.highlight_id).join(HIGHLIGHTS, h.id == r.highlight_id)
        .where(r.study_day == day, r.grade < pass_grade, r.id == newest_that_day, active_on(day),
               *filter_clauses(where))
        .order_by(r.id)
    )
    with engine.connect() as connection:
        return list(connection.execute(statement).scalars())


def _due_by_day(connection: Connection, after: date, days: int, where: QueueFilter | None) -> dict[date, int]:
    """How many highlights in the library (and in ``where``; not of a suspended source) fall due on
    each study day of the ``days`` after ``after`` (days with none left out)."""
    statement = (
        select(h.due, func.count())
        .where(scheduled(), h.due > after, h.due <= after + timedelta(days=days), *filter_clauses(where))
        .group_by(h.due)
    )
    return {due: int(count) for due, count in connection.execute(statement)}


def _next_due_day(connection: Connection, after: date, where: QueueFilter | None) -> date | None:
    """The first study day after ``after`` on which a highlight in the library (and in ``where``; not
    of a suspended source) falls due."""
    statement = select(func.min(h.due)).where(scheduled(), h.due > after, *filter_clauses(where))
    found: date | None = connection.execute(statement).scalar_one()
    return found


@dataclass(frozen=True)
class Forecast:
    """What falls due after a study day: ``by_day`` has one (day, count) per day of the span,
    zeros included; ``next_due_day`` is the first day with anything due, however far."""

    by_day: list[tuple[date, int]]
    next_due_day: date | None

    @property
    def total(self) -> int:
        return sum(n for _, n in self.by_day)


def forecast(connection: Connection, after: date, days: int, where: QueueFilter | None = None) -> Forecast:
    """How many highlights in the library fall due on each of the ``days`` study days after ``after``;
    ``where`` narrows them (its quality filter included, its limit ignored)."""
    counts = _due_by_day(connection, after, days, where)
    following = _next_due_day(connection, after, where)
    span = [after + timedelta(days=offset) for offset in range(1, days + 1)]
    return Forecast([(day, counts.get(day, 0)) for day in span], following)


def due_load(connection: Connection, first: date, last: date) -> dict[date, int]:
    """How many highlights in the library fall due on each study day from ``first`` to ``last``
    (days with none left out): the load a balanced grade is placed by (``recall.scheduling``)."""
    return _due_by_day(connection, first - timedelta(days=1), (last - first).days + 1, None)


def queue_details(engine: Engine, ids: list[int]) -> dict[int, dict[str, Any]]:
    """``{id: {"id", "text", "location", "due" (date or None), "title", "author"}}`` for the given highlights."""
    if not ids:
        return {}
    statement = (
        select(h.id, h.text, h.location, h.due, s.title, s.author).join(SOURCES, s.id == h.source_id)
        .where(h.id.in_(ids))
    )
    with engine.connect() as connection:
        return {row.id: dict(row._mapping) for row in connection.execute(statement)}


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
