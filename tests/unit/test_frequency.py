"""A source's frequency level (recall.frequency) and what it does to one grade (recall.scheduling):
SM-2's due day is day + ceil(interval × factor) with SM-2's own numbers untouched; FSRS schedules at
the retention whose interval is that multiple, computed from py-fsrs's own formula."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from fsrs import Scheduler
from hypothesis import given
from hypothesis import strategies as st

from recall import fsrs
from recall.frequency import LEVELS, Level, event_key, parse_level, sm2_days, stepped
from recall.reviewlog.events import Snapshot
from recall.scheduler_settings import SM2, SchedulerName, SchedulerSettings
from recall.scheduling import graded, level_retention

DAY = date(2026, 3, 2)
FSRS = SchedulerSettings(SchedulerName.FSRS)


def test_levels_step_from_more_to_never() -> None:
    assert [level.value for level in LEVELS] == ["more", "normal", "less", "rarely", "never"]
    assert stepped(Level.NORMAL, more=False) is Level.LESS and stepped(Level.RARELY, more=False) is Level.NEVER
    assert stepped(Level.NEVER, more=True) is Level.RARELY and stepped(Level.NORMAL, more=True) is Level.MORE
    assert stepped(Level.MORE, more=True) is None and stepped(Level.NEVER, more=False) is None
    assert parse_level(" Less ") is Level.LESS
    with pytest.raises(ValueError, match="more, normal, less, rarely, never"):
        parse_level("often")


def test_a_source_key_becomes_a_short_key_of_its_own() -> None:
    key = event_key("the slow apprentice\x1fmaren holt")
    assert key.startswith("source:") and len(key) == len("source:") + 24
    assert key == event_key("the slow apprentice\x1fmaren holt") != event_key("the slow apprentice\x1f")
    assert len(event_key("x" * 5000)) == len(key)  # any title fits an event's key


@pytest.mark.parametrize(("interval", "level", "days"), [
    (1, Level.MORE, 1), (6, Level.MORE, 3), (15, Level.MORE, 8), (15, Level.NORMAL, 15), (15, Level.LESS, 30),
    (15, Level.RARELY, 60), (15, Level.NEVER, 15), (1, Level.RARELY, 4),
])
def test_sm2_days_are_the_interval_times_the_factor_rounded_up(interval: int, level: Level, days: int) -> None:
    assert sm2_days(interval, level) == days


def test_under_sm2_only_the_due_day_moves_the_state_stays_sm2s_own() -> None:
    before = Snapshot(repetitions=2, easiness=250, interval=6, due=DAY)
    plain = graded(before, 4, DAY, SM2, "k")
    assert (plain.interval, plain.due) == (15, DAY + timedelta(days=15))
    for level, days in ((Level.MORE, 8), (Level.LESS, 30), (Level.RARELY, 60), (Level.NEVER, 15)):
        shaped = graded(before, 4, DAY, SM2, "k", level)
        assert shaped.due == DAY + timedelta(days=days)
        assert replace(shaped, due=plain.due) == plain  # repetitions, EF and interval exactly SM-2's


def test_level_retentions_at_the_default_weights() -> None:
    """The table the README gives: at 0.90 with FSRS-6's default weights."""
    table = {level: level_retention(FSRS, level) for level in LEVELS}
    assert table == {Level.MORE: 0.9403, Level.NORMAL: 0.9, Level.LESS: 0.8459, Level.RARELY: 0.7821,
                     Level.NEVER: 0.9}


@given(st.sampled_from([0.5, 2.0, 4.0]), st.floats(0.75, 0.95), st.floats(1, 1000))
def test_the_retention_makes_py_fsrs_schedule_the_factor_times_the_interval(
    factor: float, retention: float, stability: float
) -> None:
    """Checked against py-fsrs's own scheduler, for any stability: its interval at the retention
    found is the factor times its interval at the collection's, up to the rounding to whole days."""
    at = fsrs.retention_for_factor(factor, fsrs.FSRSParameters(desired_retention=retention))
    base = Scheduler(desired_retention=retention, enable_fuzzing=False)._next_interval(stability=stability)
    shaped = Scheduler(desired_retention=at, enable_fuzzing=False)._next_interval(stability=stability)
    assert abs(shaped - factor * base) <= 1 + factor / 2


def test_the_retention_follows_fitted_weights_and_stays_in_bounds() -> None:
    weights = list(fsrs.DEFAULT.weights)
    weights[20] = 0.5  # a steeper forgetting curve: another retention gives twice the interval
    fitted = replace(FSRS, weights=tuple(weights))
    assert level_retention(fitted, Level.LESS) != level_retention(FSRS, Level.LESS)
    assert level_retention(replace(FSRS, retention=0.97), Level.MORE) == 0.97  # clamped: more is normal
    assert level_retention(replace(FSRS, retention=0.72), Level.RARELY) == 0.70


def test_under_fsrs_the_grade_is_scheduled_at_the_levels_retention() -> None:
    state = graded(Snapshot(), 4, DAY, FSRS, "k")
    later = DAY + timedelta(days=30)
    for level in (Level.MORE, Level.LESS, Level.RARELY):
        parameters = fsrs.FSRSParameters(desired_retention=level_retention(FSRS, level))
        memory = fsrs.FSRSState(state.stability or 0, state.difficulty or 0, DAY, state.due or DAY)
        expected = fsrs.review(memory, later, 4, parameters)
        shaped = graded(state, 4, later, FSRS, "k", level)
        assert (shaped.due, shaped.stability, shaped.difficulty) == (expected.due, expected.stability,
                                                                      expected.difficulty)
    normal = (graded(state, 4, later, FSRS, "k").due - later).days
    less = (graded(state, 4, later, FSRS, "k", Level.LESS).due - later).days
    assert abs(less - 2 * normal) <= 2
