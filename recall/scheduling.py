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

``recall.fsrs`` (and py-fsrs) is imported only when FSRS schedules, so SM-2 never loads it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
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


def graded(
    before: Snapshot, grade: int, day: date, settings: SchedulerSettings, key: str, level: Level = Level.NORMAL
) -> Snapshot:
    """The state after the first grade (0-5) of study day ``day`` of the highlight ``key`` in state
    ``before``, its source at frequency ``level``: SM-2's numbers always move; the due day is SM-2's
    (day + interval, times the level's factor: ``frequency.sm2_days``) or, under FSRS, FSRS's at the
    level's retention (with its memory state updated, and the interval spread by ``fuzz`` when it is
    on); a skip is cleared; the marks stay. ``ValueError`` for a grade outside 0-5, or under FSRS for
    a day not after the last review's (the replay makes any later grade of a day a drill)."""
    sm2 = review(SM2State(before.repetitions, easiness_from_hundredths(before.easiness), before.interval), grade)
    after = replace(
        before, repetitions=sm2.repetitions, easiness=easiness_to_hundredths(sm2.easiness), interval=sm2.interval,
        skipped_until=None,
    )
    if not settings.fsrs:
        due = due_day(day, sm2_days(sm2.interval, level))
        return replace(after, due=due, stability=None, difficulty=None, reviewed=None)
    from recall import fsrs

    model = parameters(settings, level)
    state = fsrs.review(_fsrs_state(before), day, grade, model)
    longest = fsrs.scheduler(model).maximum_interval
    due = fuzzed(state.reviewed, state.interval, key, longest) if settings.fuzz else state.due
    return replace(after, due=due, stability=state.stability, difficulty=state.difficulty, reviewed=day)


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


def fuzzed(reviewed: date, interval: int, key: str, longest: int) -> date:
    """The due day ``interval`` days after the review on ``reviewed`` of the highlight ``key``,
    spread within py-fsrs's fuzz range (at most ``longest`` days) (``fsrs.scheduler.FUZZ_RANGES``, as its
    ``Scheduler._get_fuzzed_interval`` computes it; none below 2.5 days) by a random draw seeded
    with the key and the review's day, so every device replays the same day (py-fsrs's own
    fuzz draws from the process's random state)."""
    if interval < 2.5:
        return reviewed + timedelta(days=interval)
    from fsrs.scheduler import FUZZ_RANGES

    delta = 1.0 + sum(r["factor"] * max(min(float(interval), r["end"]) - r["start"], 0.0) for r in FUZZ_RANGES)
    high = min(round(interval + delta), longest)
    low = min(max(2, round(interval - delta)), high)
    draw = random.Random(f"{key}\x00{reviewed.isoformat()}").randint(low, high)
    return reviewed + timedelta(days=draw)


def _fsrs_state(state: Snapshot) -> FSRSState | None:
    """The snapshot's memory state as ``recall.fsrs`` takes it (None: it has none)."""
    if state.stability is None or state.difficulty is None or state.reviewed is None:
        return None
    from recall.fsrs import FSRSState

    due = state.due if state.due is not None and state.due > state.reviewed else state.reviewed + timedelta(days=1)
    return FSRSState(state.stability, state.difficulty, state.reviewed, due)
