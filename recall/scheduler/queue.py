"""The daily queue: what to review on a study day, in a deterministic order.

Due highlights first (most overdue first), then new ones up to the daily new
limit, the whole capped by the daily review limit, both counting what was already
done that day. On a break day (``recall break``) the queue is empty: nothing is due and no new
highlight is drawn. Ties are broken by a shuffle seeded from the day (``recall.db.queue``),
so the order is the same for a given database and day and different from one day to
the next. Retired, discarded and skipped-for-today highlights are never in it; fragments
and placeholders only when the filter has no quality filter (``--all``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from recall.db import queue, reviews
from recall.db.engine import Engine
from recall.db.queue import Forecast, ahead, count_ahead, forecast, unfinished_drills
from recall.reviewlog.collection import Break, break_on, breaks
from recall.vocabulary import QueueFilter

__all__ = [
    "DailyQueue", "Forecast", "QueueFilter", "ahead", "build_queue", "count_ahead", "daily_filter", "forecast",
    "unfinished_drills",
]


@dataclass
class DailyQueue:
    """Today's queue and the counts shown beside it."""

    day: date
    highlight_ids: list[int] = field(default_factory=list)
    due_count: int = 0  # due reviews in the queue
    new_count: int = 0  # new highlights in the queue
    due_total: int = 0  # all due today, before the caps
    new_available: int = 0  # never-reviewed highlights that could be introduced
    left_out_due: int = 0  # due today (or overdue) but left out by the quality filter
    left_out_new: int = 0  # never reviewed, left out by the quality filter
    reviewed_today: int = 0  # first grades given today (drills not counted)
    new_today: int = 0  # of which new highlights
    on_break: Break | None = None  # the break the day is in (the queue is then empty)


def daily_filter(min_words: int, everything: bool = False, **narrowed: Any) -> QueueFilter:
    """The filter of a day's queue: the ``min_words`` setting's quality filter (none when
    ``everything``, as ``--all`` asks) and the session's ``narrowed`` fields of ``QueueFilter``
    (source, tag, category, limit, favorite)."""
    return QueueFilter(**narrowed, min_words=None if everything else min_words)


def build_queue(
    engine: Engine,
    day: date,
    new_per_day: int,
    reviews_per_day: int,
    where: QueueFilter | None = None,
) -> DailyQueue:
    """The queue for study day ``day`` given the daily limits and an optional filter (with its size
    limit); empty on a break day (``on_break``)."""
    built = DailyQueue(day)
    with engine.connect() as connection:
        built.reviewed_today, built.new_today = reviews.reviewed_count(connection, day)
        built.on_break = break_on(breaks(connection), day)
        if built.on_break is not None:
            return built
        built.due_total = queue.count_due(connection, day, where)
        room_for_reviews = max(0, reviews_per_day - built.reviewed_today)
        due = queue.pick_due(connection, day, room_for_reviews, where)
        built.new_available, built.left_out_due, built.left_out_new = queue.count_new_and_left_out(
            connection, day, where
        )
        room_for_new = max(0, min(new_per_day - built.new_today, room_for_reviews - len(due)))
        new = queue.pick_new(connection, day, room_for_new, where)
    ids = [*due, *new]
    if where is not None and where.limit is not None:
        ids = ids[: max(0, where.limit)]
    built.highlight_ids = ids
    built.due_count = min(len(ids), len(due))
    built.new_count = len(ids) - built.due_count
    return built
