"""What `recall compare` simulates from, as Core statements on the models' tables: the highlights
in the daily queue's reach that are scheduled, with their SM-2 state and their reviews.

*In reach*: in the library and past the queue's quality filter (``min_words``; None keeps every
highlight). Easiness is in hundredths, intervals in days, study days ``date``. Drills are not
reviews: only the first grade of a study day (kind 'review') is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import ColumnElement, Connection, Row, and_, select

from recall.db.conditions import in_library, worth_reviewing
from recall.db.models import HIGHLIGHTS, REVIEWS
from recall.vocabulary import ReviewKind

h, r = HIGHLIGHTS.c, REVIEWS.c


def _scheduled(min_words: int | None) -> ColumnElement[bool]:
    reach = [in_library(), h.due.is_not(None)]
    if min_words is not None:
        reach.append(worth_reviewing(min_words))
    return and_(*reach)


def scheduled_highlights(connection: Connection, min_words: int | None) -> list[Row]:
    """``(id, repetitions, easiness, interval, due, skipped_until)`` of every scheduled highlight in
    reach (``due`` set), by id."""
    statement = (
        select(h.id, h.repetitions, h.easiness, h.interval, h.due, h.skipped_until)
        .where(_scheduled(min_words)).order_by(h.id)
    )
    return list(connection.execute(statement))


def review_histories(connection: Connection, min_words: int | None) -> Iterator[tuple[int, list[tuple[date, int]]]]:
    """``(highlight id, [(study day, grade), …])`` of every scheduled highlight in reach that has
    reviews, by id, its reviews in the order they were given (study day, instant, row id); drills
    left out."""
    statement = (
        select(r.highlight_id, r.study_day, r.grade)
        .join(HIGHLIGHTS, h.id == r.highlight_id)
        .where(r.kind == ReviewKind.REVIEW, _scheduled(min_words))
        .order_by(r.highlight_id, r.study_day, r.reviewed_at, r.id)
    )
    current: int | None = None
    history: list[tuple[date, int]] = []
    for highlight_id, day, grade in connection.execute(statement):
        if highlight_id != current:
            if current is not None:
                yield current, history
            current, history = highlight_id, []
        history.append((day, grade))
    if current is not None:
        yield current, history
