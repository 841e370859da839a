"""The statistics' aggregate queries, as Core statements on the models' tables.

The review log is aggregated by SQLite (``GROUP BY study_day``): Python only sees one
row per study day, never one per review, and the highlight totals are counted in SQL
too, so a library of 200,000 highlights with years of reviews stays fast. Study days
are ``date``; seconds are floats; the pass grade is SM-2's (``recall.vocabulary``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, and_, case, func, not_, select

from recall.db.conditions import count_where, in_library, status
from recall.db.models import HIGHLIGHTS, REVIEWS, SOURCES
from recall.vocabulary import PASS_GRADE, ReviewKind

h, r, s = HIGHLIGHTS.c, REVIEWS.c, SOURCES.c


@dataclass(frozen=True)
class DayFigures:
    """One study day of the review log: reviews (drills apart), of which of new highlights,
    of which scheduled, of which recalled (graded PASS_GRADE or more), the sum of their
    grades, drills, and the seconds of every grade (drills included)."""

    day: date
    reviews: int
    new: int
    scheduled: int
    recalled: int
    grade_sum: int
    drills: int
    seconds: float


def daily(connection: Connection) -> list[DayFigures]:
    """Per-study-day aggregates of the whole review log, in day order."""
    review = r.kind == ReviewKind.REVIEW
    scheduled = and_(review, r.due_before.is_not(None))
    statement = (
        select(
            r.study_day, count_where(review), count_where(and_(review, r.due_before.is_(None))), count_where(scheduled),
            count_where(and_(scheduled, r.grade >= PASS_GRADE)),
            func.coalesce(func.sum(case((review, r.grade))), 0), count_where(r.kind == ReviewKind.DRILL),
            func.coalesce(func.sum(r.seconds), 0.0),
        )
        .group_by(r.study_day).order_by(r.study_day)
    )
    return [
        DayFigures(day, int(n), int(new), int(sched), int(recalled), int(grades), int(drills), float(seconds))
        for day, n, new, sched, recalled, grades, drills, seconds in connection.execute(statement)
    ]


@dataclass(frozen=True)
class SourceCounts:
    """One source's highlights by status, and the reviews (drills apart) of all of them."""

    id: int
    title: str
    author: str | None
    category: str | None
    active: int
    retired: int
    discarded: int
    never_reviewed: int  # active and never reviewed
    total: int
    reviews: int


def source_counts(connection: Connection) -> list[SourceCounts]:
    """Every source with highlights, counted in one pass over each table."""
    per_highlight = (
        select(r.highlight_id, func.count().label("n")).where(r.kind == ReviewKind.REVIEW)
        .group_by(r.highlight_id).subquery()
    )
    reviews: dict[int, int] = {
        source_id: int(n) for source_id, n in connection.execute(
            select(h.source_id, func.sum(per_highlight.c.n))
            .join_from(per_highlight, HIGHLIGHTS, h.id == per_highlight.c.highlight_id).group_by(h.source_id)
        )
    }
    per_source = (
        select(
            h.source_id, count_where(in_library()).label("active"),
            count_where(and_(h.retired, not_(h.discarded))).label("retired"), count_where(h.discarded).label("discarded"),
            count_where(and_(in_library(), h.due.is_(None))).label("never"), func.count().label("total"),
        )
        .group_by(h.source_id).subquery()
    )
    p = per_source.c
    statement = select(
        s.id, s.title, s.author, s.category, p.active, p.retired, p.discarded, p.never, p.total
    ).join_from(per_source, SOURCES, s.id == p.source_id)
    return [
        SourceCounts(
            row.id, row.title, row.author, row.category, int(row.active), int(row.retired), int(row.discarded),
            int(row.never), int(row.total), reviews.get(row.id, 0),
        )
        for row in connection.execute(statement)
    ]


@dataclass(frozen=True)
class Lapses:
    """A highlight's lapses (scheduled reviews graded below PASS_GRADE) and where it stands."""

    id: int
    lapses: int
    last_lapse: date
    status: str
    title: str
    text: str


def most_lapsed(connection: Connection, top: int) -> list[Lapses]:
    """The ``top`` highlights with the most lapses; ties go to the latest lapse, then the lowest id."""
    lapse = and_(r.kind == ReviewKind.REVIEW, r.due_before.is_not(None), r.grade < PASS_GRADE)
    lapses, last = func.count().label("lapses"), func.max(r.study_day).label("last_lapse")
    worst = (
        select(r.highlight_id, lapses, last).where(lapse)
        .group_by(r.highlight_id + 0)  # "+ 0": a scan of the log beats its index here
        .order_by(lapses.desc(), last.desc(), r.highlight_id).limit(top).subquery()
    )
    w = worst.c
    statement = (
        select(w.highlight_id, w.lapses, w.last_lapse, status(), s.title, h.text)
        .join_from(worst, HIGHLIGHTS, h.id == w.highlight_id).join(SOURCES, s.id == h.source_id)
        .order_by(w.lapses.desc(), w.last_lapse.desc(), w.highlight_id)
    )
    return [Lapses(hid, int(n), day, state, title, text) for hid, n, day, state, title, text in connection.execute(statement)]
