"""What ``recall compare``'s simulation (``recall.simulation``) reports of one scheduler: its
day-by-day ``Outcome``, and the figures of its first days (``Horizon``). Pure, JSON-ready.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Horizon:
    """One scheduler's figures over the first ``days`` study days: ``reviews`` (first grades of a
    day, new highlights included), their average ``per_day``, the busiest day (``peak`` reviews on
    ``peak_day``, None when there were none), the ``new`` highlights introduced, the ``lapses``
    (reviews forgotten, first reviews apart), the ``recall_rate`` (the share of reviews of
    highlights with a memory state that were recalled; None: no such review), the ``retention``
    (the mean retrievability, the day after, of every highlight reviewed at least once; None: no
    such highlight), the ``backlog`` left due but unreviewed by the daily limit at its end, and
    how many days ended with reviews held back that way (``held_days``, at most ``most_held``)."""

    days: int
    reviews: int
    per_day: float
    peak: int
    peak_day: date | None
    new: int
    lapses: int
    recall_rate: float | None
    retention: float | None
    backlog: int
    held_days: int
    most_held: int

    def as_dict(self) -> dict[str, object]:
        return {
            "days": self.days, "reviews": self.reviews, "per_day": round(self.per_day, 2), "peak": self.peak,
            "peak_day": self.peak_day.isoformat() if self.peak_day else None, "new": self.new, "lapses": self.lapses,
            "recall_rate": None if self.recall_rate is None else round(self.recall_rate, 4),
            "retention": None if self.retention is None else round(self.retention, 4), "backlog": self.backlog,
            "held_days": self.held_days, "most_held": self.most_held,
        }


@dataclass(frozen=True)
class Outcome:
    """One scheduler's simulation from ``start``: per study day (index 0 is ``start``) the
    ``reviews`` done, of which ``new`` highlights, the ``lapses``, the reviews ``asked`` of
    highlights with a memory state and of those the ``recalled``, and the ``backlog`` left at the
    day's end; ``due_at_start``, the highlights due on ``start`` or overdue before its reviews
    (under FSRS, those a switch would bring due at once included); ``retention`` maps each
    checkpoint (a number of days) to the mean retrievability the day after it of every highlight
    reviewed at least once (None: none was)."""

    scheduler: str
    start: date
    due_at_start: int
    reviews: tuple[int, ...]
    new: tuple[int, ...]
    lapses: tuple[int, ...]
    asked: tuple[int, ...]
    recalled: tuple[int, ...]
    backlog: tuple[int, ...]
    retention: Mapping[int, float | None]

    @property
    def days(self) -> int:
        return len(self.reviews)

    def horizon(self, days: int) -> Horizon:
        """The figures of the first ``days`` days (at most ``self.days``); its ``retention`` is
        None unless ``days`` was a checkpoint."""
        if not 0 < days <= self.days:
            raise ValueError(f"a horizon is 1 to {self.days} days, got {days}")
        reviews = self.reviews[:days]
        peak = max(reviews)
        asked = sum(self.asked[:days])
        return Horizon(
            days=days, reviews=sum(reviews), per_day=sum(reviews) / days, peak=peak,
            peak_day=self.start + timedelta(days=reviews.index(peak)) if peak else None,
            new=sum(self.new[:days]), lapses=sum(self.lapses[:days]),
            recall_rate=sum(self.recalled[:days]) / asked if asked else None,
            retention=self.retention.get(days), backlog=self.backlog[days - 1],
            held_days=sum(1 for waiting in self.backlog[:days] if waiting), most_held=max(self.backlog[:days]),
        )

    def series(self) -> list[dict[str, object]]:
        """One JSON-ready row per day: day, reviews, new, lapses, backlog."""
        return [
            {"day": (self.start + timedelta(days=offset)).isoformat(), "reviews": self.reviews[offset],
             "new": self.new[offset], "lapses": self.lapses[offset], "backlog": self.backlog[offset]}
            for offset in range(self.days)
        ]
