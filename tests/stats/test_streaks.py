"""Streaks and daily figures from pure records: the generated three-year log, then the edges.

Every expected number is worked out by hand from the table in ``statslog``'s
docstring; the arithmetic is written next to it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import statslog
from statslog import NEW_YORK, PARIS, TODAY, daily_figures_of, logged

from recall.clock import study_day
from recall.stats.streaks import (
    Day,
    Run,
    SeriesDay,
    Streaks,
    combine,
    counted_days,
    runs,
    series,
    streaks,
)

D = date


@pytest.fixture(scope="module")
def log() -> list[statslog.Row]:
    return statslog.generate()


@pytest.fixture(scope="module")
def days(log) -> dict[date, Day]:
    return daily_figures_of(log)


def rows_at(log, instant: datetime) -> list[statslog.Row]:
    """The rows of the session that started at ``instant`` (its rows are 20 s apart)."""
    found = [row for row in log if 0 <= (row.instant - instant).total_seconds() < 100]
    assert found, f"no session at {instant}"
    return found


def test_the_log_is_written_with_the_study_day_of_its_own_zone(log) -> None:
    # 250 sessions of pattern P (5 rows), 10 of pattern Q (3 rows), one lone drill.
    assert len(log) == 250 * 5 + 10 * 3 + 1 == 1281
    # Paris springs forward (02:00 -> 03:00): 03:30 CEST is 01:30 UTC and still counts for the 25th.
    assert {r.study_day for r in rows_at(log, datetime(2023, 3, 26, 1, 30, tzinfo=UTC))} == {D(2023, 3, 25)}
    # Paris falls back (03:00 CEST -> 02:00 CET): 02:30 happens twice, at 00:30 and 01:30 UTC.
    assert {r.study_day for r in rows_at(log, datetime(2023, 10, 29, 0, 30, tzinfo=UTC))} == {D(2023, 10, 28)}
    assert {r.study_day for r in rows_at(log, datetime(2023, 10, 29, 1, 30, tzinfo=UTC))} == {D(2023, 10, 28)}
    assert {r.study_day for r in rows_at(log, datetime(2024, 10, 27, 0, 30, tzinfo=UTC))} == {D(2024, 10, 26)}
    assert {r.study_day for r in rows_at(log, datetime(2024, 10, 27, 1, 30, tzinfo=UTC))} == {D(2024, 10, 26)}
    # Paris springs forward in 2024: 03:30 CEST = 01:30 UTC on the 31st counts for the 30th.
    assert {r.study_day for r in rows_at(log, datetime(2024, 3, 31, 1, 30, tzinfo=UTC))} == {D(2024, 3, 30)}
    # The move: 22:00 EDT on 1 Nov in New York is 02:00 UTC on 2 Nov, and counts for 1 Nov.
    evening = rows_at(log, datetime(2024, 11, 2, 2, 0, tzinfo=UTC))
    assert {(r.zone, r.study_day) for r in evening} == {(NEW_YORK, D(2024, 11, 1))}
    # New York falls back: 01:30 EDT (05:30 UTC) and 01:30 EST (06:30 UTC) both count for 2 Nov.
    assert {r.study_day for r in rows_at(log, datetime(2024, 11, 3, 5, 30, tzinfo=UTC))} == {D(2024, 11, 2)}
    assert {r.study_day for r in rows_at(log, datetime(2024, 11, 3, 6, 30, tzinfo=UTC))} == {D(2024, 11, 2)}
    # New York springs forward: 03:30 EDT = 07:30 UTC on the 9th counts for the 8th.
    assert {r.study_day for r in rows_at(log, datetime(2025, 3, 9, 7, 30, tzinfo=UTC))} == {D(2025, 3, 8)}
    # Recomputing a Paris-era day in today's zone would be wrong (07:30 CEST is 01:30 EDT):
    # that is why stats read the stored study day and never recompute it.
    paris_morning = rows_at(log, datetime(2024, 10, 15, 5, 30, tzinfo=UTC))[0]
    assert paris_morning.zone == PARIS and paris_morning.study_day == D(2024, 10, 15)
    assert study_day(paris_morning.instant, NEW_YORK, 4) == D(2024, 10, 14)


def test_streaks_of_the_generated_log(days) -> None:
    # Runs: 61, 9, 9, 9, 12, 123, 15, 2, 10 days; 250 in all. The last ends yesterday (1 Mar).
    assert [run.length for run in runs(counted_days(days))] == [61, 9, 9, 9, 12, 123, 15, 2, 10]
    assert streaks(counted_days(days), TODAY) == Streaks(
        current=10, current_start=D(2026, 2, 20), current_end=D(2026, 3, 1),
        longest=123, longest_start=D(2024, 10, 1), longest_end=D(2025, 1, 31),
        study_days=250,
    )
    # Seen from 3 March the current streak is over (2 March had nothing); the longest stays.
    later = streaks(counted_days(days), D(2026, 3, 3))
    assert (later.current, later.current_start, later.longest) == (0, None, 123)
    # Seen from 1 Feb 2025, R5 (which ended on 31 Jan) is both current and longest.
    back_then = streaks([d for d in counted_days(days) if d <= D(2025, 2, 1)], D(2025, 2, 1))
    assert (back_then.current, back_then.current_end, back_then.study_days) == (123, D(2025, 1, 31), 61 + 9 * 3 + 12 + 123)


def test_daily_figures_of_the_generated_log(days) -> None:
    # The drills-only day is in the log but does not count.
    assert days[D(2023, 5, 11)] == Day(drills=1, seconds=15.0)
    assert not days[D(2023, 5, 11)].counts
    assert D(2023, 5, 1) not in days  # the one-day gap
    # Two P sessions on 25 Mar 2023: 8 reviews, 2 new, 6 scheduled of which 4 recalled, 2 lapses.
    twice = days[D(2023, 3, 25)]
    assert (twice.reviews, twice.new, twice.scheduled, twice.recalled, twice.lapses) == (8, 2, 6, 4, 2)
    assert (twice.drills, twice.seconds, twice.grade_sum) == (2, 150.0, 26)
    # Three sessions on 28 Oct 2023 (morning, and 02:30 twice the next night), and on 2 Nov 2024 (01:30 twice).
    assert days[D(2023, 10, 28)].reviews == 12
    assert days[D(2024, 11, 2)].reviews == 12
    # The move day: the Paris morning and the New York evening, one study day.
    assert (days[D(2024, 11, 1)].reviews, days[D(2024, 11, 1)].seconds) == (8, 150.0)
    # A Q day: new 3, scheduled 5 and 4: nothing lapsed, retention 1.
    q = days[D(2026, 3, 1)]
    assert (q.reviews, q.new, q.lapses, q.retention, q.minutes, q.average_grade) == (3, 1, 0, 1.0, 1.0, 4.0)


def test_totals_of_the_generated_log(days) -> None:
    total = combine(days.values())
    assert total.reviews == 250 * 4 + 10 * 3 == 1030
    assert total.new == 250 + 10 == 260
    assert total.scheduled == 250 * 3 + 10 * 2 == 770
    assert total.recalled == 250 * 2 + 10 * 2 == 520
    assert total.lapses == 250
    assert total.drills == 250 + 1 == 251
    assert total.grade_sum == 250 * (4 + 5 + 3 + 1) + 10 * (3 + 5 + 4) == 3370
    assert round(total.retention, 4) == 0.6753  # 520 / 770
    assert round(total.average_grade, 2) == 3.27  # 3370 / 1030
    assert total.seconds == 250 * 75 + 10 * 60 + 15 == 19365
    assert total.minutes == 322.75
    # The last 30 study days, 1 Feb..2 Mar 2026: one P session (1 Feb) and ten Q sessions.
    recent = combine(figures for day, figures in days.items() if D(2026, 2, 1) <= day <= TODAY)
    assert (recent.reviews, recent.new, recent.lapses, recent.drills) == (4 + 30, 1 + 10, 1, 1)
    assert round(recent.retention, 4) == 0.9565  # (2 + 20) / (3 + 20)
    assert recent.minutes == 11.25  # (75 + 10 * 60) / 60


def test_daily_series_of_the_generated_log(days) -> None:
    rows = series(days, D(2023, 3, 1), TODAY)
    # 1 Mar 2023 -> 1 Mar 2026 is 366 + 365 + 365 = 1096 days; both ends included, and 2 Mar: 1098 rows.
    assert len(rows) == 1098
    assert (rows[0].date, rows[-1].date) == (D(2023, 3, 1), TODAY)
    by_day = {row.date: row for row in rows}
    expected_streaks = {
        D(2023, 3, 1): 1, D(2023, 3, 25): 25, D(2023, 4, 30): 61, D(2023, 5, 1): 0, D(2023, 5, 2): 1,
        D(2023, 5, 10): 9, D(2023, 5, 11): 0, D(2023, 5, 12): 1, D(2023, 10, 28): 1, D(2024, 3, 31): 7,
        D(2024, 11, 1): 32, D(2024, 11, 2): 33, D(2025, 1, 31): 123, D(2025, 2, 1): 0, D(2026, 2, 1): 2,
        D(2026, 3, 1): 10, D(2026, 3, 2): 0,
    }
    assert {day: by_day[day].streak for day in expected_streaks} == expected_streaks
    assert by_day[D(2023, 5, 1)].figures == Day()  # zero day filled in
    assert sum(row.figures.reviews for row in rows) == 1030
    assert sum(1 for row in rows if row.streak) == 250
    assert max(row.streak for row in rows) == 123


# -- the edges, on small logs ---------------------------------------------------------------


def reviewed(*days: date) -> list[statslog.Row]:
    return [logged(day) for day in days]


def test_empty_log_gives_zeros() -> None:
    assert daily_figures_of([]) == {}
    assert streaks([], TODAY) == Streaks(0, None, None, 0, None, None, 0)
    assert series({}, TODAY, TODAY) == [SeriesDay(TODAY, Day(), 0)]
    assert combine([]).retention is None and combine([]).average_grade is None


def test_a_one_day_gap_breaks_the_streak() -> None:
    days = daily_figures_of(reviewed(D(2026, 2, 26), D(2026, 2, 27), D(2026, 3, 1), D(2026, 3, 2)))
    result = streaks(counted_days(days), TODAY)
    assert (result.current, result.current_start) == (2, D(2026, 3, 1))
    assert (result.longest, result.longest_start, result.longest_end) == (2, D(2026, 3, 1), TODAY)  # latest of a tie
    assert [row.streak for row in series(days, D(2026, 2, 26), TODAY)] == [1, 2, 0, 1, 2]


def test_a_day_with_only_drills_does_not_count() -> None:
    entries = reviewed(D(2026, 2, 27), D(2026, 3, 1)) + [logged(D(2026, 2, 28), 5, "drill", 12.0)]
    days = daily_figures_of(entries)
    assert days[D(2026, 2, 28)] == Day(drills=1, seconds=12.0)
    assert streaks(counted_days(days), TODAY).current == 1
    assert streaks(counted_days(days), TODAY).longest == 1


def test_skips_leave_no_trace_so_a_skip_only_day_does_not_count(engine, vault, log_writer) -> None:
    """A real skip on 28 Feb, between grades on 27 Feb and 1 Mar: the log has nothing for that
    day, so the daily series counts nothing there and the streak restarts on 1 Mar."""
    import json

    from support import run_import
    from typer.testing import CliRunner

    from recall.cli import app
    from recall.scheduler import actions

    run_import(engine, vault)
    for day, act in ((D(2026, 2, 27), "rate"), (D(2026, 2, 28), "skip"), (D(2026, 3, 1), "rate")):
        at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        if act == "rate":
            actions.rate(engine, 1, 4, at, day, log=log_writer)
        else:
            actions.skip(engine, 2, at, day, log=log_writer)
    database = engine.url.database
    exported = CliRunner().invoke(app, ["export", "stats", "-f", "json", "--timezone", "UTC", "--db", database])
    summary, days = json.loads(exported.stdout)["summary"], json.loads(exported.stdout)["days"]
    assert [(d["date"], d["reviews"], d["streak"]) for d in days] == [
        ("2026-02-27", 1, 1), ("2026-02-28", 0, 0), ("2026-03-01", 1, 1), ("2026-03-02", 0, 0),
    ]
    assert (summary["current_streak"], summary["longest_streak"], summary["study_days"]) == (1, 1, 2)


def test_the_current_streak_lives_until_today_ends() -> None:
    days = counted_days(daily_figures_of(reviewed(D(2026, 2, 27), D(2026, 2, 28), D(2026, 3, 1))))
    assert streaks(days, TODAY).current == 3  # nothing yet today: still alive
    assert streaks(days + [TODAY], TODAY).current == 4
    assert streaks(days, D(2026, 3, 3)).current == 0  # 2 March passed without a review
    assert streaks(days, D(2026, 3, 3)).longest == 3


def test_a_day_ahead_of_today_after_moving_west_keeps_the_streak() -> None:
    # Reviewed on study day 3 March in Tokyo, then flew to New York where it is still 2 March.
    days = [D(2026, 3, 1), D(2026, 3, 3)]
    assert streaks(days, TODAY) == Streaks(1, D(2026, 3, 3), D(2026, 3, 3), 1, D(2026, 3, 3), D(2026, 3, 3), 2)
    assert streaks(days + [TODAY], TODAY).current == 3


def test_runs_merge_duplicates_and_sort() -> None:
    assert runs([D(2026, 3, 2), D(2026, 3, 1), D(2026, 3, 1), D(2026, 2, 27)]) == [
        Run(D(2026, 2, 27), D(2026, 2, 27)), Run(D(2026, 3, 1), D(2026, 3, 2)),
    ]


def test_new_and_scheduled_grades() -> None:
    figures = daily_figures_of(
        [
            logged(TODAY, 1, first_sight=True),  # a new highlight failed: not a lapse
            logged(TODAY, 2),  # lapse
            logged(TODAY, 3),  # recalled
            logged(TODAY, 0, "drill"),  # drills are not reviews
        ]
    )[TODAY]
    assert (figures.reviews, figures.new, figures.lapses, figures.retention, figures.drills) == (3, 1, 1, 0.5, 1)
    assert figures.average_grade == 2.0  # (1 + 2 + 3) / 3
