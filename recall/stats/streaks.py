"""Pure streak and daily-series arithmetic: no database, no clock.

Everything is counted in **study days**, the ``study_day`` each review stored when
it was written (the user's time zone and rollover hour at that moment), so a
daylight-saving change or a move to another time zone neither breaks nor
double-counts a day. A study day *counts* for streaks when it has at least one
graded review of kind ``review``: drills (repeats within a day) never count, and
skips are not in the log at all.

Definitions (the README documents the same):

- *new*: a review of a highlight never seen before (``due_before`` is null);
- *scheduled*: any other review (``kind = 'review'`` and ``due_before`` not null);
- *lapse*: a scheduled review graded below 3; *retention*: the share of scheduled
  reviews graded 3 or more (``None`` when there were none);
- *time*: the seconds of every logged grade, drills included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass
class Day:
    """Aggregates of one study day (or of any span of them, see ``combine``)."""

    reviews: int = 0  # kind = 'review' (first grade of a highlight that day)
    new: int = 0  # of which first sights
    scheduled: int = 0  # of which not first sights
    recalled: int = 0  # scheduled reviews graded 3 or more
    grade_sum: int = 0  # sum of the grades of the reviews (drills excluded)
    drills: int = 0  # kind = 'drill'
    seconds: float = 0.0  # time answering, drills included

    @property
    def lapses(self) -> int:
        return self.scheduled - self.recalled

    @property
    def counts(self) -> bool:
        """Whether this day keeps a streak going."""
        return self.reviews > 0

    @property
    def retention(self) -> float | None:
        return self.recalled / self.scheduled if self.scheduled else None

    @property
    def average_grade(self) -> float | None:
        return self.grade_sum / self.reviews if self.reviews else None

    @property
    def minutes(self) -> float:
        return self.seconds / 60


def combine(days: Iterable[Day]) -> Day:
    """The sum of several days."""
    total = Day()
    for day in days:
        total.reviews += day.reviews
        total.new += day.new
        total.scheduled += day.scheduled
        total.recalled += day.recalled
        total.grade_sum += day.grade_sum
        total.drills += day.drills
        total.seconds += day.seconds
    return total


def counted_days(days: Mapping[date, Day]) -> list[date]:
    """The study days that count for streaks, in order."""
    return sorted(day for day, figures in days.items() if figures.counts)


@dataclass(frozen=True)
class Run:
    """Consecutive study days from ``start`` to ``end``, both included."""

    start: date
    end: date

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1


def runs(study_days: Iterable[date]) -> list[Run]:
    """The maximal runs of consecutive days, oldest first (duplicates are fine)."""
    found: list[Run] = []
    for day in sorted(set(study_days)):
        if found and day == found[-1].end + ONE_DAY:
            found[-1] = Run(found[-1].start, day)
        else:
            found.append(Run(day, day))
    return found


@dataclass(frozen=True)
class Streaks:
    """Current and longest streak, in study days; zeros and ``None`` dates when there is none."""

    current: int = 0
    current_start: date | None = None
    current_end: date | None = None
    longest: int = 0
    longest_start: date | None = None
    longest_end: date | None = None
    study_days: int = 0  # days that counted, all time


def streaks(study_days: Iterable[date], today: date) -> Streaks:
    """Streaks over the days that counted, seen from study day ``today``.

    The current streak is the run that ends today, or yesterday when nothing has
    been reviewed yet today (it is still alive until the day ends). A day with
    reviews *after* ``today`` (possible right after moving west, when the new
    zone's date is behind the old one) keeps the run it ends current too.
    The longest streak is the longest run; among equally long runs, the latest.
    """
    found = runs(study_days)
    if not found:
        return Streaks()
    longest = max(reversed(found), key=lambda run: run.length)  # max keeps the first: the latest
    last = found[-1]
    current = last if last.end >= today - ONE_DAY else None
    return Streaks(
        current=current.length if current else 0,
        current_start=current.start if current else None,
        current_end=current.end if current else None,
        longest=longest.length,
        longest_start=longest.start,
        longest_end=longest.end,
        study_days=sum(run.length for run in found),
    )


@dataclass(frozen=True)
class SeriesDay:
    """One row of the daily series."""

    date: date
    figures: Day
    streak: int  # length of the run of counted days ending on this date; 0 if it did not count


def series(days: Mapping[date, Day], start: date, end: date) -> list[SeriesDay]:
    """Every date from ``start`` to ``end`` (both included), zero days too, with its streak length.

    ``start`` should be the first day of the log, so that streaks are not cut short.
    """
    rows: list[SeriesDay] = []
    streak = 0
    day = start
    while day <= end:
        figures = days.get(day) or Day()
        streak = streak + 1 if figures.counts else 0
        rows.append(SeriesDay(day, figures, streak))
        day += ONE_DAY
    return rows
