"""The load tools' questions to the database (``recall postpone``, ``advance``, ``break``): the
reviewed highlights they may move, with the study day of each one's last review, and their new
due days. Every function runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, bindparam, exists, func, not_, select, update

from recall.db.conditions import active_on, in_library
from recall.db.models import HIGHLIGHTS, REVIEWS
from recall.db.queue import filter_clauses
from recall.vocabulary import QueueFilter, ReviewKind

h, r = HIGHLIGHTS.c, REVIEWS.c


def _last_review() -> Any:
    """The study day of the highlight's last review (drills left out), or None."""
    return (
        select(func.max(r.study_day)).where(r.highlight_id == h.id, r.kind == ReviewKind.REVIEW.value)
        .scalar_subquery()
    )


def _rows(connection: Connection, condition: ColumnElement[bool], where: QueueFilter | None) -> list[Row[Any]]:
    """``(id, key, repetitions, easiness, interval, due, skipped_until, discarded, favorite, stability,
    difficulty, last_review, last_day)`` of the highlights meeting ``condition`` and ``where``'s
    quality filter and narrowing, by id; ``last_day`` is the study day of the last review."""
    statement = (
        select(h.id, h.key, h.repetitions, h.easiness, h.interval, h.due, h.skipped_until, h.discarded, h.favorite,
               h.stability, h.difficulty, h.last_review, _last_review().label("last_day"))
        .where(condition, h.due.is_not(None), *filter_clauses(where))
        .order_by(h.id)
    )
    return list(connection.execute(statement))


def due_by(connection: Connection, day: date, where: QueueFilter | None) -> list[Row[Any]]:
    """Highlights active on ``day`` (not skipped for it) and due on it or before: what ``postpone`` may move."""
    return _rows(connection, and_(active_on(day), h.due <= day), where)


def not_due_yet(connection: Connection, day: date, where: QueueFilter | None) -> list[Row[Any]]:
    """Highlights active on ``day``, due after it and not reviewed on it: what ``advance`` may move."""
    reviewed = exists().where(r.highlight_id == h.id, r.study_day == day)
    return _rows(connection, and_(active_on(day), h.due > day, not_(reviewed)), where)


def due_between(connection: Connection, first: date | None, last: date, where: QueueFilter | None) -> list[Row[Any]]:
    """Highlights in the library due from ``first`` (None: any day before) to ``last``: what a break moves."""
    since = h.due >= first if first is not None else h.due.is_not(None)
    return _rows(connection, and_(in_library(), since, h.due <= last), where)


def set_due(connection: Connection, days: Mapping[int, date]) -> None:
    """Give each highlight of ``days`` (row id → study day) that due day; nothing else changes."""
    if days:
        statement = update(HIGHLIGHTS).where(h.id == bindparam("row")).values(due=bindparam("day"))
        connection.execute(statement, [{"row": row, "day": day} for row, day in days.items()])
