"""A generated three-year review log with gaps, DST changes in two zones and a move.

Imported by the stats tests as ``statslog``. The shape is chosen so every figure
can be worked out by hand (the tests state them as literals):

The user lives in Europe/Paris until the morning of 2024-11-01, then flies to
America/New_York and stays there. Each study day has one *session* at 07:30
local time, and some nights have an extra session before the 04:00 rollover,
which counts for the day before:

====  ======================  ====  ==========================================
run   study days              days  extra sessions (all count for the day before)
====  ======================  ====  ==========================================
R1    2023-03-01..2023-04-30    61  2023-03-26 03:30 CEST (Paris springs forward) -> 03-25
      2023-05-01                    one-day gap
R2    2023-05-02..2023-05-10     9
      2023-05-11                    drills only (one drill): does not count
R2b   2023-05-12..2023-05-20     9
R3    2023-10-28..2023-11-05     9  2023-10-29 02:30 CEST and 02:30 CET (Paris falls back) -> 10-28
R4    2024-03-25..2024-04-05    12  2024-03-31 03:30 CEST (Paris springs forward) -> 03-30
R5    2024-10-01..2025-01-31   123  2024-10-27 02:30 CEST and 02:30 CET -> 10-26;
                                    2024-11-01 22:00 EDT in New York, after the Paris
                                    morning session (02:00 UTC on 11-02) -> 11-01;
                                    2024-11-03 01:30 EDT and 01:30 EST (NY falls back) -> 11-02
R6    2025-03-01..2025-03-15    15  2025-03-09 03:30 EDT (NY springs forward) -> 03-08
R6b   2026-01-31..2026-02-01     2
R7    2026-02-20..2026-03-01    10  (sessions of pattern Q)
====  ======================  ====  ==========================================

Pattern P (every session except R7's), 5 log rows of 15 s each:
    new highlight graded 4 (highlight 4), scheduled 5 (h5), scheduled 3 (h7),
    scheduled 1 = a lapse (h1 in R5, h2 in R1, h3 elsewhere), a drill graded 4 on it.
Pattern Q (R7), 3 log rows of 20 s each:
    new graded 3 (h4), scheduled 5 (h5), scheduled 4 (h7).
The drills-only day's drill (15 s) is on h3.

Today, in the tests, is study day 2026-03-02 (FIXED_NOW, 04:30 in New York).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from recall.clock import study_day
from recall.db.engine import open_db, writing
from recall.db.timestamps import utc_text
from recall.stats.report import daily_figures
from recall.stats.streaks import Day

PARIS, NEW_YORK = "Europe/Paris", "America/New_York"
MOVE_DAY = date(2024, 11, 1)  # morning in Paris, evening in New York
ROLLOVER = 4
TODAY = date(2026, 3, 2)


@dataclass(frozen=True)
class Row:
    """One generated log row, with the instant and the zone it was written in."""

    instant: datetime  # UTC
    zone: str
    study_day: date  # as the review app computes it when writing
    highlight_id: int
    grade: int
    kind: str
    seconds: float
    first_sight: bool


def logged(day: date, grade: int = 4, kind: str = "review", seconds: float = 0.0, first_sight: bool = False) -> Row:
    """A row of highlight 1 at noon UTC of study day ``day``, for small hand-made logs."""
    return Row(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), "UTC", day, 1, grade, kind, seconds, first_sight)


RUNS = [  # (first day, last day, pattern, lapse highlight)
    (date(2023, 3, 1), date(2023, 4, 30), "P", 2),
    (date(2023, 5, 2), date(2023, 5, 10), "P", 3),
    (date(2023, 5, 12), date(2023, 5, 20), "P", 3),
    (date(2023, 10, 28), date(2023, 11, 5), "P", 3),
    (date(2024, 3, 25), date(2024, 4, 5), "P", 3),
    (date(2024, 10, 1), date(2025, 1, 31), "P", 1),
    (date(2025, 3, 1), date(2025, 3, 15), "P", 3),
    (date(2026, 1, 31), date(2026, 2, 1), "P", 3),
    (date(2026, 2, 20), date(2026, 3, 1), "Q", 3),
]
EXTRAS = [  # (local wall time, fold, zone, pattern, lapse highlight)
    (datetime(2023, 3, 26, 3, 30), 0, PARIS, "P", 2),
    (datetime(2023, 10, 29, 2, 30), 0, PARIS, "P", 3),
    (datetime(2023, 10, 29, 2, 30), 1, PARIS, "P", 3),
    (datetime(2024, 3, 31, 3, 30), 0, PARIS, "P", 3),
    (datetime(2024, 10, 27, 2, 30), 0, PARIS, "P", 1),
    (datetime(2024, 10, 27, 2, 30), 1, PARIS, "P", 1),
    (datetime(2024, 11, 1, 22, 0), 0, NEW_YORK, "P", 1),
    (datetime(2024, 11, 3, 1, 30), 0, NEW_YORK, "P", 1),
    (datetime(2024, 11, 3, 1, 30), 1, NEW_YORK, "P", 1),
    (datetime(2025, 3, 9, 3, 30), 0, NEW_YORK, "P", 3),
]
DRILLS_ONLY_DAY = date(2023, 5, 11)


def zone_on(day: date) -> str:
    return PARIS if day <= MOVE_DAY else NEW_YORK


def instant(local: datetime, zone: str, fold: int = 0) -> datetime:
    """The UTC instant of a local wall time (``fold=1``: the second of a repeated hour)."""
    return local.replace(tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)


def session(at: datetime, zone: str, pattern: str, lapse_id: int) -> list[Row]:
    day = study_day(at, zone, ROLLOVER)
    if pattern == "P":
        plan = [(4, 4, "review", True), (5, 5, "review", False), (7, 3, "review", False),
                (lapse_id, 1, "review", False), (lapse_id, 4, "drill", False)]
        seconds = 15.0
    else:
        plan = [(4, 3, "review", True), (5, 5, "review", False), (7, 4, "review", False)]
        seconds = 20.0
    return [
        Row(at + timedelta(seconds=20 * i), zone, day, hid, grade, kind, seconds, first)
        for i, (hid, grade, kind, first) in enumerate(plan)
    ]


def generate() -> list[Row]:
    """The whole log, in the order it was written."""
    rows: list[Row] = []
    for first, last, pattern, lapse_id in RUNS:
        day = first
        while day <= last:
            zone = zone_on(day)
            rows += session(instant(datetime(day.year, day.month, day.day, 7, 30), zone), zone, pattern, lapse_id)
            day += timedelta(days=1)
    for local, fold, zone, pattern, lapse_id in EXTRAS:
        rows += session(instant(local, zone, fold), zone, pattern, lapse_id)
    at = instant(datetime(2023, 5, 11, 7, 30), PARIS)
    rows.append(Row(at, PARIS, study_day(at, PARIS, ROLLOVER), 3, 4, "drill", 15.0, False))
    return sorted(rows, key=lambda row: row.instant)


# Highlights: (id, source id, text, retired, discarded, due)
SOURCES = [
    (1, "Thinking, Fast and Slow", "books"),
    (2, "On [bold]Bracketed[/bold] Titles", "articles"),
    (3, "Tweets from @someone", "tweets"),
]
HIGHLIGHTS = [
    (1, 1, "Nothing in life is as important as you think it is, while you are thinking about it.", 0, 0,
     "2026-03-02"),
    (2, 1, "A reliable way to make people believe in falsehoods is frequent repetition,\n"
           "because familiarity is not easily distinguished from truth. " * 2, 0, 0, "2026-02-25"),
    (3, 1, "We are prone to overestimate how much we understand about the world.", 0, 0, "2026-03-03"),
    (4, 2, "Square [brackets] must show literally.", 0, 0, "2026-03-03"),
    (5, 2, "An active highlight due in thirty days.", 0, 0, "2026-04-01"),
    (6, 2, "A discarded highlight.", 0, 1, "2026-03-05"),
    (7, 3, "An active highlight due in thirty-one days.", 0, 0, "2026-04-02"),
    (8, 3, "Never reviewed yet.", 0, 0, None),
    (9, 1, "A retired highlight.", 1, 0, "2026-03-04"),
]


def insert_library(engine: Engine) -> None:
    """Three sources and nine highlights (statuses and due days as in HIGHLIGHTS)."""
    stamp = "2023-01-01 00:00:00.000000"
    with writing(engine) as connection:
        for sid, title, category in SOURCES:
            connection.exec_driver_sql(
                "INSERT INTO sources (id, key, title, category, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)",
                (sid, f"source-{sid}", title, category, stamp, stamp),
            )
        for hid, sid, body, retired, discarded, due in HIGHLIGHTS:
            connection.exec_driver_sql(
                "INSERT INTO highlights (id, key, source_id, text, retired, discarded, first_seen, last_seen,"
                " repetitions, interval, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (hid, f"highlight-{hid}", sid, body, retired, discarded, stamp, stamp,
                 0 if due is None else 2, 0 if due is None else 6, due),
            )


def insert_rows(engine: Engine, rows: list[Row]) -> None:
    """The log rows as the review app would have written them (state columns filled plausibly)."""
    with writing(engine) as connection:
        connection.exec_driver_sql(
            "INSERT INTO reviews (highlight_id, reviewed_at, study_day, grade, kind, seconds, repetitions_before,"
            " easiness_before, interval_before, due_before, repetitions_after, easiness_after, interval_after,"
            " due_after) VALUES (?, ?, ?, ?, ?, ?, ?, 250, ?, ?, ?, 250, 1, ?)",
            [
                (row.highlight_id, utc_text(row.instant), row.study_day.isoformat(), row.grade, row.kind,
                 row.seconds, 0 if row.first_sight else 2, 0 if row.first_sight else 6,
                 None if row.first_sight else row.study_day.isoformat(), 1,
                 (row.study_day + timedelta(days=1)).isoformat())
                for row in rows
            ],
        )


def daily_figures_of(rows: list[Row]) -> dict[date, Day]:
    """The rows' daily figures as recall computes them: written into a fresh database and
    aggregated by SQLite (``recall.stats.report.daily_figures``)."""
    with tempfile.TemporaryDirectory() as folder:
        engine = open_db(Path(folder) / "log.db")
        insert_library(engine)
        if rows:
            insert_rows(engine, rows)
        with engine.connect() as connection:
            figures = daily_figures(connection)
        engine.dispose()
    return figures
