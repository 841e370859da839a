"""One grade on one highlight's state, by the collection's scheduler: pure, no I/O, no clock.

The one step every part of recall schedules with: the replay of the review log
(``recall.reviewlog.replay``), a grade given now (``recall.scheduler.actions``) and what each
grade key promises (``recall.scheduler.preview``), so none of them can disagree.

- **SM-2** (docs/sm2.md, ``recall.sm2``) updates its numbers on every review, whichever
  scheduler is in use, so switching back to it resumes from its own replayed state.
- **FSRS** (``recall.fsrs``: FSRS-6 through py-fsrs, by study days) sets the due day while it
  is the scheduler, from the memory state it keeps in the snapshot (stability, difficulty, the
  last review's day). Turning it on computes that state from each highlight's review history
  (``with_memory``), as py-fsrs would have had it all along; due days are left as they are.
- **Frequency** (``recall.frequency``): the level of the highlight's source in effect at the grade.
  Under SM-2 it multiplies the days to the due day (SM-2's own interval stays exact in the state);
  under FSRS the grade is scheduled at the level's retention (``level_retention``).

Where the due day lands (``placed``): the interval's own day, unless FSRS's ``fuzz`` spreads
it (a draw seeded by the highlight and the day) or ``balance`` puts it on the lightest day of a
small range. The day a balanced grade lands on depends on the other highlights (the load the
writing device sees), so the device that grades records it in its event, and the replay keeps
that recorded day whenever it lies in the range the replay computes (``recorded``): every
device replays the same day.

``recall.fsrs`` (and py-fsrs) is imported only when FSRS schedules, so SM-2 never loads it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from recall.frequency import FACTORS, Level, sm2_days
from recall.reviewlog.events import Snapshot
from recall.scheduler_settings import MAX_RETENTION, MIN_RETENTION, SchedulerSettings
from recall.sm2 import SM2State, due_day, easiness_from_hundredths, easiness_to_hundredths, review

if TYPE_CHECKING:
    from recall.fsrs import FSRSParameters, FSRSState

# One review: the study day it counted for and its grade (0-5).
Review = tuple[date, int]
# The load a balanced grade is placed by: (first, last study day) → highlights due on each day.
Load = Callable[[date, date], Mapping[date, int]]
BALANCE_SHARE = 0.05  # SM-2's balance range: ±5 % of the interval, in whole days


def graded(
    before: Snapshot, grade: int, day: date, settings: SchedulerSettings, key: str, level: Level = Level.NORMAL, *,
    recorded: date | None = None, load: Load | None = None,
) -> Snapshot:
    """The state after the first grade (0-5) of study day ``day`` of the highlight ``key`` in state
    ``before``, its source at frequency ``level``: SM-2's numbers always move; the due day is SM-2's
    (day + interval, times the level's factor: ``frequency.sm2_days``) or, under FSRS, FSRS's at the
    level's retention (with its memory state updated), placed by ``placed`` (fuzz, balance:
    ``recorded`` is the due day the grade's event holds, for a replay; ``load`` the due counts a
    device grading now sees); a skip is cleared; the marks stay. ``ValueError`` for a grade outside
    0-5, or under FSRS for a day not after the last review's (the replay makes any later grade of a
    day a drill)."""
    sm2 = review(SM2State(before.repetitions, easiness_from_hundredths(before.easiness), before.interval), grade)
    after = replace(
        before, repetitions=sm2.repetitions, easiness=easiness_to_hundredths(sm2.easiness), interval=sm2.interval,
        skipped_until=None,
    )
    if not settings.fsrs:
        days = sm2_days(sm2.interval, level)
        try:
            due = placed(day, days, key, settings, recorded=recorded, load=load)
        except OverflowError:  # SM-2 has no maximum interval: the calendar's end (``due_day``)
            due = due_day(day, days)
        return replace(after, due=due, stability=None, difficulty=None, reviewed=None)
    from recall import fsrs

    model = parameters(settings, level)
    state = fsrs.review(_fsrs_state(before), day, grade, model)
    longest = fsrs.scheduler(model).maximum_interval
    due = placed(day, state.interval, key, settings, recorded=recorded, load=load, longest=longest)
    return replace(after, due=due, stability=state.stability, difficulty=state.difficulty, reviewed=day)


def placed(
    day: date, interval: int, key: str, settings: SchedulerSettings, *, recorded: date | None = None,
    load: Load | None = None, longest: int | None = None,
) -> date:
    """The due day of a review on study day ``day`` whose scheduler asks for ``interval`` days:

    - with ``balance``: ``recorded`` when it lies in the range (``spread``: a replay keeps the day
      the grading device chose), else the day of the range with the fewest highlights due by
      ``load`` (ties: the one nearest the interval's own day, then the earlier), when given;
    - otherwise, or with neither of those, under FSRS with ``fuzz``: a day of the range drawn
      from a generator seeded with ``key`` and ``day`` (``fuzzed``);
    - otherwise the interval's own day, ``day + interval``.

    ``longest`` caps FSRS's range (its maximum interval); SM-2 has none."""
    first, last = spread(interval, settings, longest)
    if settings.balance and first < last:
        if recorded is not None and day + timedelta(days=first) <= recorded <= day + timedelta(days=last):
            return recorded
        if load is not None:
            return lightest(day, interval, first, last, load)
    if settings.fsrs and settings.fuzz and first < last:
        return fuzzed(day, interval, key, longest or interval)
    return day + timedelta(days=interval)


def spread(interval: int, settings: SchedulerSettings, longest: int | None = None) -> tuple[int, int]:
    """The range of intervals (days, inclusive) a due day may be placed in: FSRS's fuzz range when
    it fuzzes or balances (``fuzz_range``), ±5 % of the interval (whole days) for SM-2 when it
    balances; the interval alone otherwise."""
    if settings.fsrs and (settings.fuzz or settings.balance):
        return fuzz_range(interval, longest or interval)
    if not settings.fsrs and settings.balance:
        margin = int(interval * BALANCE_SHARE)
        return interval - margin, interval + margin
    return interval, interval


def lightest(day: date, interval: int, first: int, last: int, load: Load) -> date:
    """The day of intervals ``first``-``last`` after ``day`` with the fewest due by ``load``; ties go
    to the one nearest ``interval``, then to the earlier."""
    counts = load(day + timedelta(days=first), day + timedelta(days=last))
    offset = min(range(first, last + 1),
                 key=lambda d: (counts.get(day + timedelta(days=d), 0), abs(d - interval), d))
    return day + timedelta(days=offset)


def with_memory(state: Snapshot, reviews: Sequence[Review], settings: SchedulerSettings) -> Snapshot:
    """``state`` with the memory state FSRS (``settings``' weights) computes from ``reviews``, the
    highlight's review history in order (one per study day, drills left out), or with none
    when it has no review or SM-2 schedules; its due day is kept (a switch never reschedules)."""
    if not settings.fsrs or not reviews:
        return replace(state, stability=None, difficulty=None, reviewed=None)
    from recall import fsrs

    memory = fsrs.memory_state(reviews, parameters(settings))
    assert memory is not None  # there is a review
    return replace(state, stability=memory.stability, difficulty=memory.difficulty, reviewed=memory.reviewed)


def parameters(settings: SchedulerSettings, level: Level = Level.NORMAL) -> FSRSParameters:
    """The ``recall.fsrs`` parameters of ``settings`` (its weights, or FSRS-6's defaults) for a
    source at frequency ``level`` (its retention: ``level_retention``)."""
    from recall.fsrs import DEFAULT, FSRSParameters

    weights = DEFAULT.weights if settings.weights is None else settings.weights
    return FSRSParameters(weights, level_retention(settings, level))


def level_retention(settings: SchedulerSettings, level: Level) -> float:
    """The desired retention FSRS schedules a source at ``level`` with: the collection's for
    ``normal`` (and ``never``); otherwise the retention whose intervals are the level's factor times
    those at the collection's (``fsrs.retention_for_factor``: py-fsrs's forgetting curve, with the
    weights in use), rounded to 4 places and kept within 0.70-0.97, where the factor is then
    smaller than asked (at 0.97, ``more`` is ``normal``)."""
    return min(MAX_RETENTION, max(MIN_RETENTION, wanted_retention(settings, level)))


def wanted_retention(settings: SchedulerSettings, level: Level) -> float:
    """The retention ``level`` asks for (``level_retention`` before it is kept within 0.70-0.97)."""
    factor = FACTORS[level]
    if factor == 1:
        return settings.retention
    from recall.fsrs import DEFAULT, FSRSParameters, retention_for_factor

    weights = DEFAULT.weights if settings.weights is None else settings.weights
    return round(retention_for_factor(float(factor), FSRSParameters(weights, settings.retention)), 4)


def retrievability(state: Snapshot, day: date, settings: SchedulerSettings) -> float | None:
    """The probability (0-1) that the highlight in ``state`` is recalled on study day ``day``,
    by its FSRS memory state; None without one (SM-2 schedules, or never reviewed)."""
    memory = _fsrs_state(state)
    if memory is None:
        return None
    from recall import fsrs

    return fsrs.retrievability(memory, day, parameters(settings))


def fuzz_range(interval: int, longest: int) -> tuple[int, int]:
    """py-fsrs's fuzz range of ``interval`` days (inclusive, at most ``longest``), as its
    ``Scheduler._get_fuzzed_interval`` computes it from ``fsrs.scheduler.FUZZ_RANGES``; none
    below 2.5 days (``(interval, interval)``)."""
    if interval < 2.5:
        return interval, interval
    from fsrs.scheduler import FUZZ_RANGES

    delta = 1.0 + sum(r["factor"] * max(min(float(interval), r["end"]) - r["start"], 0.0) for r in FUZZ_RANGES)
    high = min(round(interval + delta), longest)
    return min(max(2, round(interval - delta)), high), high


def fuzzed(reviewed: date, interval: int, key: str, longest: int) -> date:
    """The due day ``interval`` days after the review on ``reviewed`` of the highlight ``key``,
    drawn within py-fsrs's fuzz range (``fuzz_range``) by a generator seeded with the key and the
    review's day, so every device replays the same day (py-fsrs's own fuzz draws from the
    process's random state)."""
    low, high = fuzz_range(interval, longest)
    draw = random.Random(f"{key}\x00{reviewed.isoformat()}").randint(low, high)
    return reviewed + timedelta(days=draw)


def _fsrs_state(state: Snapshot) -> FSRSState | None:
    """The snapshot's memory state as ``recall.fsrs`` takes it (None: it has none)."""
    if state.stability is None or state.difficulty is None or state.reviewed is None:
        return None
    from recall.fsrs import FSRSState

    due = state.due if state.due is not None and state.due > state.reviewed else state.reviewed + timedelta(days=1)
    return FSRSState(state.stability, state.difficulty, state.reviewed, due)
