"""``recall export stats``: the daily series and the streak summary, with stable names.

CSV carries the daily rows only; JSON is ``{"summary": {...}, "days": [...]}``.
The column names and keys below are documented in the README: add, never rename.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from recall.export import write_rows
from recall.text import json_text

if TYPE_CHECKING:
    from recall.stats.report import StatsReport

FORMATS = ("csv", "json")

DAILY_COLUMNS = ["date", "reviews", "new", "lapses", "retention", "minutes", "streak"]
"""One row per study day from the first review in the log to today, zero days included."""

SUMMARY_KEYS = [
    "study_day", "current_streak", "current_streak_start", "current_streak_end",
    "longest_streak", "longest_streak_start", "longest_streak_end",
    "study_days", "first_day", "reviews", "new", "lapses", "retention", "minutes",
]


def daily_rows(report: StatsReport) -> list[dict[str, Any]]:
    """The daily series as rows keyed by ``DAILY_COLUMNS``."""
    return [
        {
            "date": row.date.isoformat(),
            "reviews": row.figures.reviews,
            "new": row.figures.new,
            "lapses": row.figures.lapses,
            "retention": None if row.figures.retention is None else round(row.figures.retention, 4),
            "minutes": round(row.figures.minutes, 2),
            "streak": row.streak,
        }
        for row in report.series()
    ]


def summary(report: StatsReport) -> dict[str, Any]:
    """The streak summary and all-time totals, keyed by ``SUMMARY_KEYS``."""
    s = report.streaks
    total = report.all_time
    iso = lambda day: day.isoformat() if day else None  # noqa: E731
    return {
        "study_day": report.today.isoformat(),
        "current_streak": s.current,
        "current_streak_start": iso(s.current_start),
        "current_streak_end": iso(s.current_end),
        "longest_streak": s.longest,
        "longest_streak_start": iso(s.longest_start),
        "longest_streak_end": iso(s.longest_end),
        "study_days": s.study_days,
        "first_day": iso(report.first_day),
        "reviews": total.reviews,
        "new": total.new,
        "lapses": total.lapses,
        "retention": None if total.retention is None else round(total.retention, 4),
        "minutes": round(total.minutes, 2),
    }


def write_stats(report: StatsReport, fmt: str, out: IO[str]) -> int:
    """Write the export in ``fmt`` (csv or json) to ``out``; returns the number of daily rows."""
    rows = daily_rows(report)
    if fmt == "csv":
        return write_rows(rows, DAILY_COLUMNS, "csv", out)
    if fmt == "json":
        out.write(json_text({"summary": summary(report), "days": rows}, indent=2) + "\n")
        return len(rows)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
