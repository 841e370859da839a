"""Gathering every statistic from the database with a handful of aggregate queries.

The review log is aggregated by SQLite (``GROUP BY study_day``): Python only sees
one row per study day, never one per review, and the highlight totals are counted
in SQL too, so a library of 200,000 highlights with years of reviews stays fast.
All queries run in one read transaction, so the figures agree with each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from recall.db import queue, reviews
from recall.db import stats as tables
from recall.db.engine import Connection, Engine
from recall.db.queue import forecast
from recall.stats.export import daily_rows
from recall.stats.streaks import Day, SeriesDay, Streaks, combine, counted_days, series, streaks

if TYPE_CHECKING:
    from recall.context import Context

FORECAST_DAYS = 30
RECENT_DAYS = 30
TOP = 10
SNIPPET_CHARS = 100

@dataclass(frozen=True)
class CategoryTotal:
    category: str | None
    active: int
    total: int
    reviews: int


@dataclass(frozen=True)
class SourceTotal:
    id: int
    title: str
    author: str | None
    category: str | None
    active: int
    total: int
    reviews: int


@dataclass(frozen=True)
class Forgotten:
    id: int
    lapses: int
    last_lapse: date
    status: str
    title: str
    snippet: str


@dataclass
class StatsReport:
    """Everything ``recall stats`` shows, as seen from study day ``today``."""

    today: date
    timezone: str
    rollover_hour: int
    days: dict[date, Day] = field(default_factory=dict)  # only the days in the log, in order
    streaks: Streaks = field(default_factory=Streaks)
    due_now: int = 0  # active highlights due today or overdue
    forecast: list[tuple[date, int]] = field(default_factory=list)  # the FORECAST_DAYS days after today
    highlights: dict[str, int] = field(default_factory=dict)  # active, retired, discarded, never_reviewed, total
    categories: list[CategoryTotal] = field(default_factory=list)
    sources: list[SourceTotal] = field(default_factory=list)
    forgotten: list[Forgotten] = field(default_factory=list)

    @property
    def first_day(self) -> date | None:
        return min(self.days, default=None)

    @property
    def last_day(self) -> date:
        """Today, or a later day already in the log (right after a move west)."""
        return max([self.today, *self.days.keys()])

    def series(self) -> list[SeriesDay]:
        """One row per date from the first day in the log to ``last_day``; empty for an empty log."""
        first = self.first_day
        return series(self.days, first, self.last_day) if first else []

    def span(self, start: date, end: date) -> Day:
        """The figures of the study days from ``start`` to ``end``, both included."""
        return combine(figures for day, figures in self.days.items() if start <= day <= end)

    @property
    def today_figures(self) -> Day:
        return self.days.get(self.today) or Day()

    @property
    def recent_start(self) -> date:
        """First day of the last RECENT_DAYS study days (today included)."""
        return self.today - timedelta(days=RECENT_DAYS - 1)

    @property
    def recent(self) -> Day:
        return self.span(self.recent_start, self.today)

    @property
    def all_time(self) -> Day:
        return combine(self.days.values())

    def as_dict(self) -> dict[str, Any]:
        """The same numbers as JSON-ready data (the keys are documented in the README)."""
        all_time = self.all_time
        studied = self.streaks.study_days
        recent_days = sum(1 for day in counted_days(self.days) if self.recent_start <= day <= self.today)
        return {
            "study_day": self.today.isoformat(),
            "timezone": self.timezone,
            "rollover_hour": self.rollover_hour,
            "streaks": {
                "current": self.streaks.current,
                "current_start": _iso(self.streaks.current_start),
                "current_end": _iso(self.streaks.current_end),
                "longest": self.streaks.longest,
                "longest_start": _iso(self.streaks.longest_start),
                "longest_end": _iso(self.streaks.longest_end),
                "study_days": studied,
            },
            "today": span_dict(self.today_figures),
            "last_30_days": span_dict(self.recent) | {"study_days": recent_days},
            "all_time": span_dict(all_time) | {
                "study_days": studied,
                "first_day": _iso(self.first_day),
                "reviews_per_study_day": round(all_time.reviews / studied, 2) if studied else 0,
                "minutes_per_study_day": round(all_time.minutes / studied, 2) if studied else 0,
            },
            "forecast": {
                "due_now": self.due_now,
                "next_30_days": sum(n for _, n in self.forecast),
                "days": [{"date": d.isoformat(), "due": n} for d, n in self.forecast],
            },
            "highlights": dict(self.highlights),
            "categories": [asdict(c) for c in self.categories],
            "top_sources": [asdict(s) for s in self.sources],
            "most_forgotten": [asdict(f) | {"last_lapse": f.last_lapse.isoformat()} for f in self.forgotten],
            "days": daily_rows(self),
        }


def span_dict(figures: Day) -> dict[str, Any]:
    """The figures of a span of days, rounded as they are shown and exported."""
    return {
        "reviews": figures.reviews,
        "new": figures.new,
        "lapses": figures.lapses,
        "drills": figures.drills,
        "retention": rounded(figures.retention, 4),
        "average_grade": rounded(figures.average_grade, 2),
        "minutes": round(figures.minutes, 2),
    }


def rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def gather(context: Context, top: int = TOP) -> StatsReport:
    """Every statistic as of the context's current study day."""
    settings = context.settings
    return gather_at(context.engine, context.today(), settings.timezone, settings.rollover_hour, top)


def gather_at(engine: Engine, today: date, timezone: str = "UTC", rollover_hour: int = 4, top: int = TOP) -> StatsReport:
    """Every statistic as seen from study day ``today`` (the zone and hour are only reported)."""
    report = StatsReport(today, timezone, rollover_hour)
    with engine.connect() as connection:  # one read transaction: the figures agree with each other
        report.days = daily_figures(connection)
        report.streaks = streaks(counted_days(report.days), today)
        report.due_now = queue.count_due(connection, today, skipped_too=True)
        report.forecast = forecast(connection, today, FORECAST_DAYS).by_day
        report.highlights, report.categories, report.sources = _library(connection, top)
        report.forgotten = [
            Forgotten(row.id, row.lapses, row.last_lapse, row.status, row.title, snippet(row.text))
            for row in tables.most_lapsed(connection, top)
        ]
    return report


def daily_figures(connection: Connection) -> dict[date, Day]:
    """Per-study-day aggregates of the whole log, computed by SQLite."""
    return {
        row.day: Day(row.reviews, row.new, row.scheduled, row.recalled, row.grade_sum, row.drills, row.seconds)
        for row in tables.daily(connection)
    }


def streak_summary(engine: Engine, today: date) -> Streaks:
    """Just the streaks (one small query), e.g. for an end-of-session summary."""
    with engine.connect() as connection:
        return streaks(reviews.review_days(connection), today)


def _library(connection: Connection, top: int) -> tuple[dict[str, int], list[CategoryTotal], list[SourceTotal]]:
    """Totals by status, by category and for the ``top`` biggest sources."""
    status = dict.fromkeys(("active", "retired", "discarded", "never_reviewed", "total"), 0)
    categories: dict[str | None, list[int]] = {}
    sources: list[SourceTotal] = []
    for row in tables.source_counts(connection):
        status["active"] += row.active
        status["retired"] += row.retired
        status["discarded"] += row.discarded
        status["never_reviewed"] += row.never_reviewed
        status["total"] += row.total
        counts = categories.setdefault(row.category, [0, 0, 0])
        counts[0] += row.active
        counts[1] += row.total
        counts[2] += row.reviews
        sources.append(SourceTotal(row.id, row.title, row.author, row.category, row.active, row.total, row.reviews))
    by_category = sorted(
        (CategoryTotal(category, *counts) for category, counts in categories.items()),
        key=lambda c: (-c.active, -c.total, c.category is None, c.category or ""),
    )
    sources.sort(key=lambda s: (-s.active, -s.total, s.title, s.id))
    return status, by_category, sources[:top]


def snippet(body: str, width: int = SNIPPET_CHARS) -> str:
    """The text on one line, cut at ``width`` characters with an ellipsis."""
    flat = " ".join(body.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
