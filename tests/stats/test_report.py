"""``recall.stats.report`` on real SQLite files: the generated log, the writing path, the edges.

Expected numbers are worked out by hand from ``statslog``'s table (see its docstring).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import statslog
from sqlalchemy import event
from statslog import NEW_YORK, TODAY
from support import FIXED_NOW

from recall.clock import FixedClock
from recall.config import Settings
from recall.context import Context
from recall.scheduler import actions
from recall.stats.export import daily_rows, summary
from recall.stats.report import gather, gather_at, snippet, streak_summary
from recall.stats.streaks import Streaks

D = date


@pytest.fixture
def logged(engine):
    statslog.insert_library(engine)
    statslog.insert_rows(engine, statslog.generate())
    return engine


def context_at(engine, instant: datetime, zone: str = NEW_YORK, rollover: int = 4) -> Context:
    return Context(engine, Settings(timezone=zone, rollover_hour=rollover), FixedClock(instant))


def test_every_figure_of_the_generated_log(logged) -> None:
    report = gather(context_at(logged, FIXED_NOW))  # 09:30 UTC = 04:30 EST: study day 2 March
    data = report.as_dict()
    assert (data["study_day"], data["timezone"], data["rollover_hour"]) == ("2026-03-02", NEW_YORK, 4)
    assert data["streaks"] == {
        "current": 10, "current_start": "2026-02-20", "current_end": "2026-03-01",
        "longest": 123, "longest_start": "2024-10-01", "longest_end": "2025-01-31",
        "study_days": 250,
    }
    assert data["today"] == {
        "reviews": 0, "new": 0, "lapses": 0, "drills": 0, "retention": None, "average_grade": None, "minutes": 0.0
    }
    # 1 Feb..2 Mar: one P session (4 reviews, 1 new, 1 lapse, 1 drill, 75 s) and ten Q sessions
    # (3 reviews, 1 new, grades 3+5+4, 60 s): 34 reviews, 22 of 23 scheduled recalled, grades 13+120.
    assert data["last_30_days"] == {
        "reviews": 34, "new": 11, "lapses": 1, "drills": 1, "retention": 0.9565, "average_grade": 3.91,
        "minutes": 11.25, "study_days": 11,
    }
    # 250 P sessions and 10 Q sessions, plus the lone drill: see test_streaks for the sums.
    assert data["all_time"] == {
        "reviews": 1030, "new": 260, "lapses": 250, "drills": 251, "retention": 0.6753, "average_grade": 3.27,
        "minutes": 322.75, "study_days": 250, "first_day": "2023-03-01",
        "reviews_per_study_day": 4.12, "minutes_per_study_day": 1.29,
    }
    # Active highlights due: h2 (25 Feb) and h1 (2 Mar) now; h3, h4 on 3 Mar, h5 on 1 Apr (day 30);
    # h7 (2 Apr) is day 31, h6 is discarded and h9 retired.
    forecast = data["forecast"]
    assert (forecast["due_now"], forecast["next_30_days"], len(forecast["days"])) == (2, 3, 30)
    assert forecast["days"][0] == {"date": "2026-03-03", "due": 2}
    assert forecast["days"][-1] == {"date": "2026-04-01", "due": 1}
    assert sum(day["due"] for day in forecast["days"][1:-1]) == 0
    assert data["highlights"] == {"active": 7, "retired": 1, "discarded": 1, "never_reviewed": 1, "total": 9}
    # Reviews by source: books get the 250 lapses (h1-h3), articles the 260 new + 260 grade-5 (h4, h5),
    # tweets the 250 grade-3 + 10 grade-4 (h7).
    assert data["categories"] == [
        {"category": "books", "active": 3, "total": 4, "reviews": 250},
        {"category": "articles", "active": 2, "total": 3, "reviews": 520},
        {"category": "tweets", "active": 2, "total": 2, "reviews": 260},
    ]
    assert [(s["id"], s["title"], s["active"], s["total"], s["reviews"]) for s in data["top_sources"]] == [
        (1, "Thinking, Fast and Slow", 3, 4, 250),
        (2, "On [bold]Bracketed[/bold] Titles", 2, 3, 520),
        (3, "Tweets from @someone", 2, 2, 260),
    ]
    # Lapses: h1 in R5 (123 days + 5 extras), h2 in R1 (61 + 1), h3 elsewhere (9+9+11+13+16+2).
    assert [(f["id"], f["lapses"], f["last_lapse"], f["status"]) for f in data["most_forgotten"]] == [
        (1, 128, "2025-01-31", "active"), (2, 62, "2023-04-30", "active"), (3, 60, "2026-02-01", "active"),
    ]
    assert data["most_forgotten"][0]["title"] == "Thinking, Fast and Slow"
    assert data["most_forgotten"][0]["snippet"].startswith("Nothing in life is as important")
    assert len(data["days"]) == 1098
    assert data["days"][-2:] == [
        {"date": "2026-03-01", "reviews": 3, "new": 1, "lapses": 0, "retention": 1.0, "minutes": 1.0, "streak": 10},
        {"date": "2026-03-02", "reviews": 0, "new": 0, "lapses": 0, "retention": None, "minutes": 0.0, "streak": 0},
    ]


def test_top_limits_sources_and_forgotten(logged) -> None:
    report = gather_at(logged, TODAY, NEW_YORK, top=2)
    assert [s.id for s in report.sources] == [1, 2]
    assert [f.id for f in report.forgotten] == [1, 2]


def test_export_rows_of_the_generated_log(logged) -> None:
    report = gather_at(logged, TODAY, NEW_YORK)
    rows = {row["date"]: row for row in daily_rows(report)}
    assert rows["2023-03-25"] == {"date": "2023-03-25", "reviews": 8, "new": 2, "lapses": 2, "retention": 0.6667,
                                  "minutes": 2.5, "streak": 25}
    assert rows["2023-05-11"] == {"date": "2023-05-11", "reviews": 0, "new": 0, "lapses": 0, "retention": None,
                                  "minutes": 0.25, "streak": 0}  # drills only
    assert rows["2024-11-01"]["reviews"] == 8 and rows["2024-11-01"]["streak"] == 32
    assert summary(report) == {
        "study_day": "2026-03-02", "current_streak": 10, "current_streak_start": "2026-02-20",
        "current_streak_end": "2026-03-01", "longest_streak": 123, "longest_streak_start": "2024-10-01",
        "longest_streak_end": "2025-01-31", "study_days": 250, "first_day": "2023-03-01",
        "reviews": 1030, "new": 260, "lapses": 250, "retention": 0.6753, "minutes": 322.75,
    }


def test_today_comes_from_the_context_clock_and_rollover(logged) -> None:
    # 08:30 UTC on 2 March is 03:30 in New York: still study day 1 March, with its 3 Q reviews.
    before_rollover = gather(context_at(logged, datetime(2026, 3, 2, 8, 30, tzinfo=UTC)))
    assert before_rollover.today == D(2026, 3, 1)
    assert before_rollover.today_figures.reviews == 3
    assert (before_rollover.streaks.current, before_rollover.streaks.current_end) == (10, D(2026, 3, 1))
    assert len(before_rollover.series()) == 1097
    # In Paris at the same instant it is 09:30: study day 2 March.
    assert gather(context_at(logged, datetime(2026, 3, 2, 8, 30, tzinfo=UTC), "Europe/Paris")).today == TODAY
    # A day later nothing happened on 2 March: the streak is over.
    assert gather(context_at(logged, datetime(2026, 3, 3, 12, 0, tzinfo=UTC))).streaks.current == 0


def make_highlights(engine, count: int) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO sources (id, key, title, category, first_seen, last_seen)"
            " VALUES (1, 's', 'A Book', 'books', '2026-01-01', '2026-01-01')"
        )
        connection.exec_driver_sql(
            "INSERT INTO highlights (id, key, source_id, text, first_seen, last_seen) VALUES (?, ?, 1, ?, ?, ?)",
            [(i, f"h{i}", f"highlight {i}", "2026-01-01", "2026-01-01") for i in range(1, count + 1)],
        )


def paris(*args: int) -> datetime:
    return statslog.instant(datetime(*args), "Europe/Paris")


def test_the_writing_path_counts_a_night_review_for_the_day_before(engine, log_writer) -> None:
    make_highlights(engine, 3)
    settings = Settings(timezone="Europe/Paris", rollover_hour=4)
    clock = FixedClock(paris(2026, 2, 28, 9, 0))
    context = Context(engine, settings, clock)
    actions.rate(engine, 1, 4, context.now(), context.today(), seconds=10, log=log_writer)  # 28 Feb, 09:00
    clock.advance(hours=16)  # 1 March, 01:00 in Paris: before the 04:00 rollover
    assert context.today() == D(2026, 2, 28)
    rated = actions.rate(engine, 2, 5, context.now(), context.today(), seconds=20, log=log_writer)
    drill = actions.rate(engine, 1, 5, context.now(), context.today(), seconds=5, log=log_writer)  # same study day: a drill
    assert (rated.kind, drill.kind) == ("review", "drill")
    clock.advance(hours=8)  # 1 March, 09:00: skipping is all that happens that day
    actions.skip(engine, 3, context.now(), context.today(), log=log_writer)
    with engine.connect() as connection:
        logged = connection.exec_driver_sql(
            "SELECT reviewed_at, study_day, kind FROM reviews ORDER BY id"
        ).all()
    assert logged == [
        ("2026-02-28 08:00:00.000000", "2026-02-28", "review"),
        ("2026-03-01 00:00:00.000000", "2026-02-28", "review"),
        ("2026-03-01 00:00:00.000000", "2026-02-28", "drill"),
    ]
    report = gather(context)
    assert report.today == D(2026, 3, 1)
    assert report.days[D(2026, 2, 28)].reviews == 2 and report.days[D(2026, 2, 28)].drills == 1
    assert D(2026, 3, 1) not in report.days  # the skip left nothing
    assert report.streaks == Streaks(1, D(2026, 2, 28), D(2026, 2, 28), 1, D(2026, 2, 28), D(2026, 2, 28), 1)
    assert streak_summary(engine, report.today) == report.streaks
    clock.advance(days=1)  # 2 March: 1 March passed with only a skip, the streak is broken
    assert gather(context).streaks.current == 0


def test_a_study_day_ahead_of_today_after_moving_west(engine) -> None:
    """Reviewed in Tokyo on study day 3 March, then flew to New York where it is still 2 March."""
    statslog.insert_library(engine)
    tokyo = datetime(2026, 3, 2, 23, 0, tzinfo=UTC)  # 08:00 on 3 March in Tokyo
    rows = statslog.session(datetime(2026, 3, 1, 13, 0, tzinfo=UTC), "Asia/Tokyo", "P", 3)  # 22:00 on 1 March
    rows += statslog.session(tokyo, "Asia/Tokyo", "P", 3)
    statslog.insert_rows(engine, rows)
    report = gather(context_at(engine, datetime(2026, 3, 3, 3, 0, tzinfo=UTC)))  # 22:00 on 2 March in NY
    assert report.today == TODAY
    assert [(row.date, row.figures.reviews, row.streak) for row in report.series()] == [
        (D(2026, 3, 1), 4, 1), (TODAY, 0, 0), (D(2026, 3, 3), 4, 1),
    ]
    assert (report.streaks.current, report.streaks.current_end) == (1, D(2026, 3, 3))


def test_an_empty_log_gives_zeros(engine) -> None:
    report = gather(context_at(engine, FIXED_NOW))
    data = report.as_dict()
    assert data["streaks"] == {"current": 0, "current_start": None, "current_end": None, "longest": 0,
                               "longest_start": None, "longest_end": None, "study_days": 0}
    assert data["all_time"]["reviews"] == 0 and data["all_time"]["retention"] is None
    assert data["all_time"]["reviews_per_study_day"] == 0 and data["all_time"]["first_day"] is None
    assert data["forecast"]["due_now"] == 0 and len(data["forecast"]["days"]) == 30
    assert data["highlights"] == {"active": 0, "retired": 0, "discarded": 0, "never_reviewed": 0, "total": 0}
    assert (data["categories"], data["top_sources"], data["most_forgotten"], data["days"]) == ([], [], [], [])
    assert summary(report)["current_streak"] == 0


def test_snippet_is_one_line_and_cut() -> None:
    assert snippet("a\n  b\tc") == "a b c"
    assert snippet("word " * 30, width=12) == "word word w…"
    assert len(snippet("x" * 500)) == 100


@pytest.mark.slow
def test_aggregates_200000_highlights_and_a_year_of_reviews_in_a_few_statements(engine) -> None:
    """Aggregated in SQL, not row by row in Python (its speed is measured in bench/, not here)."""
    count = 200_000
    make_highlights(engine, count)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE highlights SET due = date('2026-03-02', '+' || (id % 60) || ' days'),"
            " retired = (id % 97 = 0), discarded = (id % 89 = 0) WHERE id % 3 = 0"
        )
        # 365 days x 200 reviews (every 10th a first sight, every 7th lapsed) + a drill every 20th.
        connection.exec_driver_sql(
            """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 365 * 200 - 1)
            INSERT INTO reviews (highlight_id, reviewed_at, study_day, grade, kind, seconds, repetitions_before,
                easiness_before, interval_before, due_before, repetitions_after, easiness_after, interval_after)
            SELECT (i * 7919) % 200000 + 1, '2025-03-03 10:00:00.000000', date('2025-03-03', '+' || (i / 200) || ' days'),
                   CASE WHEN i % 7 = 0 THEN 1 ELSE 4 END, CASE WHEN i % 20 = 0 THEN 'drill' ELSE 'review' END,
                   12.5, 1, 250, 1, CASE WHEN i % 10 = 0 THEN NULL ELSE '2025-03-01' END, 2, 250, 6
            FROM n
            """
        )
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    report = gather_at(engine, D(2026, 3, 2), "Europe/Paris")
    assert report.streaks.current == 365 and report.all_time.reviews == 365 * 200 - 365 * 10
    assert report.highlights["total"] == count
    assert len(statements) <= 10, statements
