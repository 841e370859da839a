"""Time and study days.

Everything that needs "now" takes a ``Clock`` so tests (and ``RECALL_NOW``) can
freeze it. Instants are aware UTC pendulum ``DateTime``s; study days are plain
``datetime.date``s worked out from the local wall-clock time, so daylight-saving
changes need no special case (docs/sm2.md, "The study day").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol, runtime_checkable

import pendulum

RECALL_NOW_EXAMPLE = "2026-03-01T09:00:00+01:00"
FIRST_YEAR, LAST_YEAR = 1900, 9998  # the instants recall accepts as "now"


@runtime_checkable
class Clock(Protocol):
    """Where "now" comes from."""

    def now(self) -> pendulum.DateTime:
        """The current instant, timezone-aware, in UTC."""
        ...


def to_utc(instant: datetime) -> pendulum.DateTime:
    """An aware datetime as a UTC pendulum DateTime; a naive one is refused (it has no instant)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware instant, got naive {instant.isoformat()}")
    return pendulum.instance(instant).in_timezone("UTC")


class SystemClock:
    """The wall clock."""

    def now(self) -> pendulum.DateTime:
        return pendulum.now("UTC")

    def __repr__(self) -> str:
        return "SystemClock()"


class FixedClock:
    """A clock that stands still until ``advance`` moves it (tests, ``RECALL_NOW``)."""

    def __init__(self, instant: datetime) -> None:
        self._instant = to_utc(instant)

    def now(self) -> pendulum.DateTime:
        return self._instant

    def advance(self, **kwargs: float) -> pendulum.DateTime:
        """Move on by pendulum ``add`` units (``days=1, hours=2``), counted in UTC; returns the new now."""
        self._instant = self._instant.add(**kwargs)  # type: ignore[arg-type]
        return self._instant

    def __repr__(self) -> str:
        return f"FixedClock({self._instant.isoformat()})"


def parse_instant(text: str, name: str = "RECALL_NOW") -> pendulum.DateTime:
    """An ISO 8601 instant that carries its offset, as UTC; ``ValueError`` naming ``name`` otherwise."""
    hint = f"use an ISO 8601 time with an offset, e.g. {name}={RECALL_NOW_EXAMPLE}"
    try:
        parsed = pendulum.parse(text.strip(), tz=None)
    except (ValueError, TypeError, OverflowError) as error:  # pendulum's ParserError is a ValueError
        raise ValueError(f"{name}={text!r} is not a date and time: {hint}") from error
    if not isinstance(parsed, datetime):
        raise ValueError(f"{name}={text!r} is not a date and time: {hint}")
    try:
        offset = parsed.utcoffset()
    except ValueError as error:  # e.g. +24:00: datetime allows offsets strictly within a day
        raise ValueError(f"{name}={text!r} has an offset of a day or more: {hint}") from error
    if parsed.tzinfo is None or offset is None:
        raise ValueError(f"{name}={text!r} has no UTC offset, so it is not one instant: {hint}")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:  # study days, due dates and stats need room either side
        raise ValueError(f"{name}={text!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}: {hint}")
    return to_utc(parsed)


def clock_from_env(environ: Mapping[str, str] | None = None) -> Clock:
    """A FixedClock at ``$RECALL_NOW`` if it is set (and not empty), else the wall clock."""
    value = (os.environ if environ is None else environ).get("RECALL_NOW", "")
    if not value.strip():
        return SystemClock()
    return FixedClock(parse_instant(value, "RECALL_NOW"))


def zone(name: str) -> pendulum.Timezone:
    """The IANA time zone called ``name``; ``ValueError`` if there is none."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"time zone must be an IANA name such as 'Europe/Paris', got {name!r}")
    try:
        found = pendulum.timezone(name)
    except (ValueError, OSError) as error:  # InvalidTimezone is a ValueError; a folder name is an OSError
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as 'Europe/Paris'") from error
    if not isinstance(found, pendulum.Timezone):
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as 'Europe/Paris'")
    return found


def _check_rollover(rollover_hour: int) -> None:
    if isinstance(rollover_hour, bool) or not isinstance(rollover_hour, int) or not 0 <= rollover_hour <= 23:
        raise ValueError(f"rollover hour must be a whole number from 0 to 23, got {rollover_hour!r}")


def study_day(instant: datetime, tz: str, rollover_hour: int) -> date:
    """The study day ``instant`` counts for: its local date, or the day before if before the rollover hour."""
    _check_rollover(rollover_hour)
    local = to_utc(instant).astimezone(zone(tz))
    day = date(local.year, local.month, local.day)
    return day - timedelta(days=1) if local.hour < rollover_hour else day


def study_day_start(day: date, tz: str, rollover_hour: int) -> pendulum.DateTime:
    """The UTC instant at which study day ``day`` begins: the first moment the local clock reads
    ``rollover_hour:00`` or later on that date.

    When that wall time happens twice (a fall-back night) the day starts at its first occurrence.
    When it does not exist (a spring-forward gap) the day starts when the gap ends, e.g. with
    rollover 2 in Europe/Paris on 2026-03-29 it starts at 03:00 CEST. Either way
    ``study_day(study_day_start(d)) == d`` and the instant just before belongs to an earlier day.
    """
    _check_rollover(rollover_hour)
    tzinfo = zone(tz)
    wall = datetime.combine(day, time(rollover_hour))

    def wall_at(instant: datetime) -> datetime:
        return instant.astimezone(tzinfo).replace(tzinfo=None)

    # fold=0 and fold=1 read the wall time with the offsets before and after any transition.
    lo, hi = sorted(wall.replace(tzinfo=tzinfo, fold=fold).astimezone(UTC) for fold in (0, 1))
    if wall_at(lo) == wall:
        return to_utc(lo)
    if wall_at(hi) == wall:
        return to_utc(hi)
    # In a gap: wall_at(lo) < wall < wall_at(hi). Find the transition to the second.
    low, high = int(lo.timestamp()), int(hi.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if wall_at(datetime.fromtimestamp(middle, UTC)) >= wall:
            high = middle
        else:
            low = middle
    return to_utc(datetime.fromtimestamp(high, UTC))


def local_timezone_name() -> str:
    """The system's IANA time zone name, or ``"UTC"`` when it has none (e.g. a bare fixed offset)."""
    try:
        name = getattr(pendulum.local_timezone(), "name", None)
    except Exception:  # pendulum raises RuntimeError (and others) when it cannot tell
        return "UTC"
    if not isinstance(name, str) or not name:
        return "UTC"
    try:
        zone(name)
    except ValueError:
        return "UTC"
    return name
