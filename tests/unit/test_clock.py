"""Study days from local wall-clock time, DST nights, and RECALL_NOW."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recall import clock
from recall.clock import (
    Clock,
    FixedClock,
    SystemClock,
    clock_from_env,
    local_timezone_name,
    study_day,
    study_day_start,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_before_the_rollover_counts_for_the_day_before() -> None:
    # 2026-03-10 01:30 in Paris (UTC+1) is 00:30 UTC.
    assert study_day(utc(2026, 3, 10, 0, 30), "Europe/Paris", 4) == date(2026, 3, 9)


def test_the_rollover_hour_itself_is_the_new_day() -> None:
    assert study_day(utc(2026, 3, 10, 3, 0), "Europe/Paris", 4) == date(2026, 3, 10)  # 04:00:00 local
    assert study_day(utc(2026, 3, 10, 2, 59, 59, 999999), "Europe/Paris", 4) == date(2026, 3, 9)


def test_rollover_zero_is_plain_midnight() -> None:
    assert study_day(utc(2026, 3, 9, 23, 0), "Europe/Paris", 0) == date(2026, 3, 10)  # 00:00 local
    assert study_day(utc(2026, 3, 9, 22, 59), "Europe/Paris", 0) == date(2026, 3, 9)


def test_returns_a_plain_date() -> None:
    assert type(study_day(utc(2026, 3, 10, 12), "UTC", 4)) is date


@pytest.mark.parametrize(
    ("instant", "rollover", "day"),
    [
        # Europe/Paris, spring forward 2026-03-29: 02:00 CET -> 03:00 CEST at 01:00 UTC.
        (utc(2026, 3, 29, 0, 30), 4, date(2026, 3, 28)),  # 01:30 CET
        (utc(2026, 3, 29, 1, 0), 4, date(2026, 3, 28)),  # 03:00 CEST
        (utc(2026, 3, 29, 1, 59), 4, date(2026, 3, 28)),  # 03:59 CEST
        (utc(2026, 3, 29, 2, 0), 4, date(2026, 3, 29)),  # 04:00 CEST
        (utc(2026, 3, 29, 0, 59, 59), 2, date(2026, 3, 28)),  # 01:59:59 CET, rollover 2 is in the gap
        (utc(2026, 3, 29, 1, 0), 2, date(2026, 3, 29)),  # 03:00 CEST: first moment past 02:00
        # Europe/Paris, fall back 2026-10-25: 03:00 CEST -> 02:00 CET at 01:00 UTC.
        (utc(2026, 10, 25, 0, 30), 4, date(2026, 10, 24)),  # 02:30 CEST
        (utc(2026, 10, 25, 1, 30), 4, date(2026, 10, 24)),  # 02:30 CET (again)
        (utc(2026, 10, 25, 2, 59), 4, date(2026, 10, 24)),  # 03:59 CET
        (utc(2026, 10, 25, 3, 0), 4, date(2026, 10, 25)),  # 04:00 CET
        (utc(2026, 10, 25, 0, 0), 2, date(2026, 10, 25)),  # 02:00 CEST, first time
        (utc(2026, 10, 25, 1, 30), 2, date(2026, 10, 25)),  # 02:30 CET, second time: same day
    ],
)
def test_paris_dst_nights(instant: datetime, rollover: int, day: date) -> None:
    assert study_day(instant, "Europe/Paris", rollover) == day


@pytest.mark.parametrize(
    ("instant", "rollover", "day"),
    [
        # America/New_York, spring forward 2026-03-08: 02:00 EST -> 03:00 EDT at 07:00 UTC.
        (utc(2026, 3, 8, 6, 30), 4, date(2026, 3, 7)),  # 01:30 EST
        (utc(2026, 3, 8, 7, 30), 4, date(2026, 3, 7)),  # 03:30 EDT
        (utc(2026, 3, 8, 8, 0), 4, date(2026, 3, 8)),  # 04:00 EDT
        (utc(2026, 3, 8, 7, 0), 2, date(2026, 3, 8)),  # 03:00 EDT, rollover 2 is in the gap
        # America/New_York, fall back 2026-11-01: 02:00 EDT -> 01:00 EST at 06:00 UTC.
        (utc(2026, 11, 1, 5, 30), 4, date(2026, 10, 31)),  # 01:30 EDT
        (utc(2026, 11, 1, 6, 30), 4, date(2026, 10, 31)),  # 01:30 EST
        (utc(2026, 11, 1, 8, 59), 4, date(2026, 10, 31)),  # 03:59 EST
        (utc(2026, 11, 1, 9, 0), 4, date(2026, 11, 1)),  # 04:00 EST
        (utc(2026, 11, 1, 5, 0), 1, date(2026, 11, 1)),  # 01:00 EDT, first time
        (utc(2026, 11, 1, 6, 30), 1, date(2026, 11, 1)),  # 01:30 EST: still the new day
    ],
)
def test_new_york_dst_nights(instant: datetime, rollover: int, day: date) -> None:
    assert study_day(instant, "America/New_York", rollover) == day


def test_study_day_start_on_dst_nights() -> None:
    # Normal winter day in Paris starts at 03:00 UTC, summer at 02:00 UTC.
    assert study_day_start(date(2026, 3, 28), "Europe/Paris", 4) == utc(2026, 3, 28, 3)
    assert study_day_start(date(2026, 3, 29), "Europe/Paris", 4) == utc(2026, 3, 29, 2)
    # Rollover in the gap: the day starts when the gap ends (03:00 CEST).
    assert study_day_start(date(2026, 3, 29), "Europe/Paris", 2) == utc(2026, 3, 29, 1)
    # Rollover in the repeated hour: the first occurrence (02:00 CEST).
    assert study_day_start(date(2026, 10, 25), "Europe/Paris", 2) == utc(2026, 10, 25, 0)
    assert study_day_start(date(2026, 3, 8), "America/New_York", 2) == utc(2026, 3, 8, 7)
    assert study_day_start(date(2026, 11, 1), "America/New_York", 1) == utc(2026, 11, 1, 5)
    # A 23-hour study day in New York.
    length = study_day_start(date(2026, 3, 8), "America/New_York", 4) - study_day_start(
        date(2026, 3, 7), "America/New_York", 4
    )
    assert length == timedelta(hours=23)


def test_study_day_start_in_a_gap_that_starts_mid_hour() -> None:
    # Pacific/Chatham jumps 02:45 -> 03:45 on 2026-09-27; 03:00 does not exist, and the
    # first moment at or after it is 03:45 (not 04:00, which shifting by the gap would give).
    start = study_day_start(date(2026, 9, 27), "Pacific/Chatham", 3)
    local = start.in_timezone("Pacific/Chatham")
    assert (local.hour, local.minute) == (3, 45)
    assert study_day(start, "Pacific/Chatham", 3) == date(2026, 9, 27)
    assert study_day(start - timedelta(seconds=1), "Pacific/Chatham", 3) == date(2026, 9, 26)


def test_study_day_start_is_utc_pendulum() -> None:
    start = study_day_start(date(2026, 6, 1), "Asia/Tokyo", 4)
    assert isinstance(start, pendulum.DateTime)
    assert start.utcoffset() == timedelta(0)
    assert start == utc(2026, 5, 31, 19)


def test_one_instant_in_two_zones() -> None:
    # A user who flies from Paris to New York: the same instant is a different local day.
    instant = utc(2026, 6, 15, 2, 30)  # 04:30 CEST, 22:30 EDT the evening before
    assert study_day(instant, "Europe/Paris", 4) == date(2026, 6, 15)
    assert study_day(instant, "America/New_York", 4) == date(2026, 6, 14)
    # Same instant expressed with another offset gives the same answers.
    shifted = instant.astimezone(timezone(timedelta(hours=9)))
    assert study_day(shifted, "Europe/Paris", 4) == date(2026, 6, 15)
    assert study_day(shifted, "America/New_York", 4) == date(2026, 6, 14)


ZONES = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "UTC"]
instants = st.datetimes(min_value=datetime(1980, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC))


@given(instants, st.sampled_from(ZONES), st.integers(min_value=0, max_value=23))
def test_study_day_is_local_wall_clock_minus_the_rollover(instant: datetime, tz: str, rollover: int) -> None:
    wall = instant.astimezone(pendulum.timezone(tz)).replace(tzinfo=None)
    assert study_day(instant, tz, rollover) == (wall - timedelta(hours=rollover)).date()


@settings(max_examples=300)
@given(
    st.dates(min_value=date(1980, 1, 2), max_value=date(2037, 12, 31)),
    st.sampled_from(ZONES),
    st.integers(min_value=0, max_value=23),
)
def test_study_day_start_round_trips(day: date, tz: str, rollover: int) -> None:
    start = study_day_start(day, tz, rollover)
    assert study_day(start, tz, rollover) == day
    assert study_day(start - timedelta(microseconds=1), tz, rollover) == day - timedelta(days=1)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        study_day(datetime(2026, 3, 1, 9), "UTC", 4)
    with pytest.raises(ValueError, match="unknown time zone"):
        study_day(utc(2026, 3, 1, 9), "Mars/Olympus", 4)
    with pytest.raises(ValueError, match="0 to 23"):
        study_day(utc(2026, 3, 1, 9), "UTC", 24)
    with pytest.raises(ValueError, match="0 to 23"):
        study_day_start(date(2026, 3, 1), "UTC", -1)


def test_fixed_clock_is_utc_and_advances() -> None:
    fixed = FixedClock(pendulum.datetime(2026, 3, 1, 9, tz="Europe/Paris"))
    assert isinstance(fixed, Clock)
    assert fixed.now() == utc(2026, 3, 1, 8)
    assert fixed.now().utcoffset() == timedelta(0)
    assert fixed.now() == fixed.now()
    assert fixed.advance(days=1, hours=2) == utc(2026, 3, 2, 10)
    assert fixed.now() == utc(2026, 3, 2, 10)
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 3, 1, 9))


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert isinstance(SystemClock(), Clock)
    assert isinstance(now, pendulum.DateTime)
    assert now.utcoffset() == timedelta(0)


def test_recall_now_with_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECALL_NOW", "2026-03-01T09:00:00+01:00")
    made = clock_from_env()
    assert isinstance(made, FixedClock)
    assert made.now() == utc(2026, 3, 1, 8)
    assert made.now().utcoffset() == timedelta(0)
    monkeypatch.setenv("RECALL_NOW", "2026-03-01T09:00:00Z")
    assert clock_from_env().now() == utc(2026, 3, 1, 9)


def test_recall_now_unset_or_empty_is_the_wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECALL_NOW", raising=False)
    assert isinstance(clock_from_env(), SystemClock)
    monkeypatch.setenv("RECALL_NOW", "")
    assert isinstance(clock_from_env(), SystemClock)


@pytest.mark.parametrize("value", ["2026-03-01T09:00:00", "2026-03-01", "garbage", "P1D", "09:00+01:00"])
def test_recall_now_needs_an_instant_with_an_offset(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("RECALL_NOW", value)
    with pytest.raises(ValueError, match="RECALL_NOW") as caught:
        clock_from_env()
    assert "2026-03-01T09:00:00+01:00" in str(caught.value)  # shows an example


def test_local_timezone_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pendulum, "local_timezone", lambda: pendulum.timezone("Asia/Tokyo"))
    assert local_timezone_name() == "Asia/Tokyo"
    monkeypatch.setattr(pendulum, "local_timezone", lambda: pendulum.FixedTimezone(3600))
    assert local_timezone_name() == "UTC"

    def broken() -> None:
        raise RuntimeError("no zone")

    monkeypatch.setattr(pendulum, "local_timezone", broken)
    assert local_timezone_name() == "UTC"
    assert clock.zone(local_timezone_name()).name == "UTC"
