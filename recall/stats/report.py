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

from sqlalchemy import Connection, Engine, text

from recall.stats.export import daily_rows
from recall.stats.streaks import Day, SeriesDay, Streaks, combine, counted_days, series, streaks

if TYPE_CHECKING:
    from recall.context import Context

FORECAST_DAYS = 30
RECENT_DAYS = 30
TOP = 10
SNIPPET_CHARS = 100

DAILY_SQL = """
    SELECT study_day,
           sum(kind = 'review'),
           sum(kind = 'review' AND due_before IS NULL),
           sum(kind = 'review' AND due_before IS NOT NULL),
           sum(kind = 'review' AND due_before IS NOT NULL AND grade >= 3),
           coalesce(sum(CASE WHEN kind = 'review' THEN grade END), 0),
           sum(kind = 'drill'),
           coalesce(sum(seconds), 0)
    FROM reviews GROUP BY study_day ORDER BY study_day
"""
STATUS_SQL = "CASE WHEN h.discarded THEN 'discarded' WHEN h.retired THEN 'retired' ELSE 'active' END"
"""A highlight's status, as in ``recall export highlights`` (discarded wins over retired)."""
ACTIVE_SQL = "(NOT h.retired AND NOT h.discarded)"
LAPSE_SQL = "r.kind = 'review' AND r.due_before IS NOT NULL AND r.grade < 3"


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
    with engine.connect() as connection:
        report.days = daily_figures(connection)
        report.streaks = streaks(counted_days(report.days), today)
        report.due_now, report.forecast = _forecast(connection, today)
        report.highlights, report.categories, report.sources = _library(connection, top)
        report.forgotten = _forgotten(connection, top)
    return report


def daily_figures(connection: Connection) -> dict[date, Day]:
    """Per-study-day aggregates of the whole log, computed by SQLite."""
    days: dict[date, Day] = {}
    for day, reviews, new, scheduled, recalled, grades, drills, seconds in connection.exec_driver_sql(DAILY_SQL):
        days[date.fromisoformat(day)] = Day(reviews, new, scheduled, recalled, grades, drills, float(seconds))
    return days


def streak_summary(engine: Engine, today: date) -> Streaks:
    """Just the streaks (one small query), e.g. for an end-of-session summary."""
    with engine.connect() as connection:
        days = [
            date.fromisoformat(row[0])
            for row in connection.exec_driver_sql(
                "SELECT DISTINCT study_day FROM reviews WHERE kind = 'review' ORDER BY study_day"
            )
        ]
    return streaks(days, today)


def _forecast(connection: Connection, today: date) -> tuple[int, list[tuple[date, int]]]:
    params = {"today": today.isoformat(), "span": f"+{FORECAST_DAYS} days"}
    due_now = connection.execute(
        text(f"SELECT count(*) FROM highlights h WHERE {ACTIVE_SQL} AND h.due <= :today"), params
    ).scalar_one()
    counts = {
        date.fromisoformat(day): n
        for day, n in connection.execute(
            text(
                f"SELECT h.due, count(*) FROM highlights h WHERE {ACTIVE_SQL}"
                " AND h.due > :today AND h.due <= date(:today, :span) GROUP BY h.due"
            ),
            params,
        )
    }
    days = [today + timedelta(days=offset) for offset in range(1, FORECAST_DAYS + 1)]
    return due_now, [(day, counts.get(day, 0)) for day in days]


def _library(connection: Connection, top: int) -> tuple[dict[str, int], list[CategoryTotal], list[SourceTotal]]:
    """Totals by status, by category and for the ``top`` biggest sources, from one pass per table."""
    reviews: dict[int, int] = dict(
        connection.exec_driver_sql(
            "SELECT h.source_id, sum(r.n) FROM (SELECT highlight_id, count(*) AS n FROM reviews"
            " WHERE kind = 'review' GROUP BY highlight_id) AS r JOIN highlights h ON h.id = r.highlight_id"
            " GROUP BY h.source_id"
        ).all()
    )
    rows = connection.exec_driver_sql(
        "SELECT s.id, s.title, s.author, s.category, per.active, per.retired, per.discarded, per.never, per.total"
        f" FROM (SELECT h.source_id, sum({ACTIVE_SQL}) AS active, sum(h.retired AND NOT h.discarded) AS retired,"
        f"       sum(h.discarded) AS discarded, sum({ACTIVE_SQL} AND h.due IS NULL) AS never, count(*) AS total"
        "       FROM highlights h GROUP BY h.source_id) AS per"
        " JOIN sources s ON s.id = per.source_id"
    ).all()
    status = dict.fromkeys(("active", "retired", "discarded", "never_reviewed", "total"), 0)
    categories: dict[str | None, list[int]] = {}
    sources: list[SourceTotal] = []
    for sid, title, author, category, active, retired, discarded, never, total in rows:
        status["active"] += active
        status["retired"] += retired
        status["discarded"] += discarded
        status["never_reviewed"] += never
        status["total"] += total
        counts = categories.setdefault(category, [0, 0, 0])
        counts[0] += active
        counts[1] += total
        counts[2] += reviews.get(sid, 0)
        sources.append(SourceTotal(sid, title, author, category, active, total, reviews.get(sid, 0)))
    by_category = sorted(
        (CategoryTotal(category, *counts) for category, counts in categories.items()),
        key=lambda c: (-c.active, -c.total, c.category is None, c.category or ""),
    )
    sources.sort(key=lambda s: (-s.active, -s.total, s.title, s.id))
    return status, by_category, sources[:top]


def _forgotten(connection: Connection, top: int) -> list[Forgotten]:
    rows = connection.execute(
        text(
            f"SELECT lapsed.highlight_id, lapsed.lapses, lapsed.last_lapse, {STATUS_SQL}, s.title, h.text"
            " FROM (SELECT r.highlight_id, count(*) AS lapses, max(r.study_day) AS last_lapse"
            f"       FROM reviews r WHERE {LAPSE_SQL} GROUP BY +r.highlight_id"  # a scan beats the index here
            "       ORDER BY lapses DESC, last_lapse DESC, r.highlight_id LIMIT :top) AS lapsed"
            " JOIN highlights h ON h.id = lapsed.highlight_id JOIN sources s ON s.id = h.source_id"
            " ORDER BY lapsed.lapses DESC, lapsed.last_lapse DESC, lapsed.highlight_id"
        ),
        {"top": top},
    )
    return [
        Forgotten(hid, lapses, date.fromisoformat(last), status, title, snippet(body))
        for hid, lapses, last, status, title, body in rows
    ]


def snippet(body: str, width: int = SNIPPET_CHARS) -> str:
    """The text on one line, cut at ``width`` characters with an ellipsis."""
    flat = " ".join(body.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
