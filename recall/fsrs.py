"""FSRS-6 by study days, through py-fsrs: pure functions, no clock, no I/O (issue 14).

recall does not write FSRS by hand: every number here comes from the ``fsrs`` package
(py-fsrs 6.3, the FSRS-6 model with its 21 default parameters until the user fits their
own), driven so that it schedules in whole study days, as SM-2 does (``recall.sm2``):

- **No intraday steps.** The scheduler has no learning and no relearning steps, so a
  highlight's first rating puts it straight into py-fsrs's Review state and every rating,
  Again included, schedules whole days (Again on a review keeps it in Review with the
  post-lapse stability, due at least one day later).
- **Study days, not instants.** Each study day is handed to py-fsrs as that day's midnight
  UTC (``instant``), so the time between two reviews is exactly the number of study days
  between them, whatever the clock said: a review at 23:00 and the next at 05:00 on the
  following study day are one day apart (py-fsrs, given those instants, would see under a
  day and apply its same-day short-term formula).
- **One review per study day**, days strictly increasing: the replay counts any later
  grade of the day as a drill (``recall.reviewlog.replay``), which FSRS never sees.
- **No fuzz**, so the same history gives the same due day on every device.

Grades are recall's 0-5 (the four keys give 2, 3, 4, 5): 0-2 Again, 3 Hard, 4 Good,
5 Easy (``rating``). Stability is in days (the interval at which retrievability falls
to 90%), difficulty runs from 1 to 10, retrievability from 0 to 1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Final

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS, MAX_DIFFICULTY, MIN_DIFFICULTY

from recall.sm2 import check_grade

_RATINGS: Final = (Rating.Again, Rating.Again, Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)


@dataclass(frozen=True, slots=True)
class FSRSParameters:
    """What shapes the schedule: the model's 21 ``weights`` (py-fsrs's FSRS-6 defaults until
    ``recall optimize`` fits the user's own) and the ``desired_retention`` (the probability of
    recall, 0 to 1 exclusive, at which a highlight falls due). Out-of-bounds weights raise
    ``ValueError`` (py-fsrs's own check) when first used."""

    weights: tuple[float, ...] = DEFAULT_PARAMETERS
    desired_retention: float = 0.9

    def __post_init__(self) -> None:
        retention = self.desired_retention
        if isinstance(retention, bool) or not isinstance(retention, float | int) or not 0 < retention < 1:
            raise ValueError(f"desired retention must be a number between 0 and 1 (exclusive), got {retention!r}")
        object.__setattr__(self, "weights", tuple(self.weights))


DEFAULT: Final = FSRSParameters()


@dataclass(frozen=True, slots=True)
class FSRSState:
    """One reviewed highlight's FSRS state: ``stability`` (days), ``difficulty`` (1-10), the
    study day it was last ``reviewed`` and the study day it is ``due``. A highlight never
    reviewed has no state (None)."""

    stability: float
    difficulty: float
    reviewed: date
    due: date

    def __post_init__(self) -> None:
        # Refuse states review() never produces, so a corrupt row fails loudly.
        if not math.isfinite(self.stability) or self.stability <= 0:
            raise ValueError(f"stability must be a positive number of days, got {self.stability!r}")
        if not MIN_DIFFICULTY <= self.difficulty <= MAX_DIFFICULTY:
            raise ValueError(f"difficulty must be from {MIN_DIFFICULTY:g} to {MAX_DIFFICULTY:g}, got {self.difficulty!r}")
        if self.due <= self.reviewed:
            raise ValueError(f"due day {self.due} must come after the review day {self.reviewed}")

    @property
    def interval(self) -> int:
        """Days from the last review to the due day."""
        return (self.due - self.reviewed).days


def rating(grade: int) -> Rating:
    """py-fsrs's rating for recall's grade 0-5: 0-2 Again, 3 Hard, 4 Good, 5 Easy.
    ``ValueError`` for anything else (``recall.sm2.check_grade``)."""
    return _RATINGS[check_grade(grade)]


def instant(day: date) -> datetime:
    """The instant py-fsrs is given for study day ``day``: its midnight, UTC."""
    return datetime.combine(day, time(), tzinfo=UTC)


@lru_cache(maxsize=32)
def scheduler(parameters: FSRSParameters = DEFAULT) -> Scheduler:
    """The py-fsrs scheduler recall drives: ``parameters``, no learning or relearning steps,
    no fuzz, py-fsrs's maximum interval (36,500 days)."""
    return Scheduler(
        parameters=parameters.weights,
        desired_retention=parameters.desired_retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )


def _card(state: FSRSState | None) -> Card:
    """``state`` as a py-fsrs card. Every field is given: ``Card()`` would read the clock
    (and sleep a millisecond) for the id and due date it was not given."""
    if state is None:
        return Card(card_id=0, state=State.Learning, step=0, due=instant(date.min))
    return Card(
        card_id=0,
        state=State.Review,
        step=None,
        stability=state.stability,
        difficulty=state.difficulty,
        due=instant(state.due),
        last_review=instant(state.reviewed),
    )


def review(state: FSRSState | None, day: date, grade: int, parameters: FSRSParameters = DEFAULT) -> FSRSState:
    """The state after a review graded ``grade`` (0-5) on study day ``day`` of a highlight in
    ``state`` (None: never reviewed). ``day`` must come after the last review: ``ValueError``
    otherwise, as for a day so near the calendar's end that the due day would fall past it."""
    if state is not None and day <= state.reviewed:
        raise ValueError(f"a review on {day} cannot follow one on {state.reviewed}: one review per study day, in order")
    try:
        card, _ = scheduler(parameters).review_card(_card(state), rating(grade), review_datetime=instant(day))
    except OverflowError:
        raise ValueError(f"a review on {day} would fall due past the calendar's end") from None
    assert card.stability is not None and card.difficulty is not None  # a reviewed card has both
    return FSRSState(card.stability, card.difficulty, day, card.due.date())


def memory_state(reviews: Iterable[tuple[date, int]], parameters: FSRSParameters = DEFAULT) -> FSRSState | None:
    """The state after ``reviews``, (study day, grade 0-5) pairs in order of strictly
    increasing days, from a highlight never reviewed; None when there are none."""
    state = None
    for day, grade in reviews:
        state = review(state, day, grade, parameters)
    return state


def next_interval(stability: float, parameters: FSRSParameters = DEFAULT) -> int:
    """Whole days until a highlight of ``stability`` days falls to the desired retention
    (at least 1, at most the maximum interval): the interval ``review`` schedules after it
    computes the new stability. py-fsrs has no public name for it (``_next_interval``,
    pinned by the tests to what ``review_card`` schedules)."""
    if not math.isfinite(stability) or stability <= 0:
        raise ValueError(f"stability must be a positive number of days, got {stability!r}")
    return scheduler(parameters)._next_interval(stability=stability)


def retention_for_factor(factor: float, parameters: FSRSParameters = DEFAULT) -> float:
    """The desired retention at which every interval is ``factor`` times the interval at
    ``parameters``' desired retention (before the rounding to whole days), from py-fsrs's own
    forgetting curve. py-fsrs schedules ``S / FACTOR × (R^(1/DECAY) − 1)`` days
    (``Scheduler._next_interval``), proportional to ``R^(1/DECAY) − 1`` whatever the stability ``S``,
    so the retention wanted is the curve's retrievability ``(1 + FACTOR × t / S)^DECAY``
    (``get_card_retrievability``) at ``t = factor ×`` that interval:
    ``(1 + factor × (R^(1/DECAY) − 1))^DECAY``. DECAY is the weights' last (FSRS-6 fits it), so the
    answer depends on the weights, not only on ``factor``. ``ValueError`` for a factor that is not positive."""
    if not math.isfinite(factor) or factor <= 0:
        raise ValueError(f"an interval factor must be a positive number, got {factor!r}")
    decay = scheduler(parameters)._DECAY
    return float((1 + factor * (parameters.desired_retention ** (1 / decay) - 1)) ** decay)


def retrievability(state: FSRSState, day: date, parameters: FSRSParameters = DEFAULT) -> float:
    """The probability (0-1) of recalling a highlight in ``state`` on study day ``day``: 1 on
    the day of its last review (and before it), falling with every day after; at
    ``next_interval`` days it is the desired retention, up to the rounding to whole days."""
    return scheduler(parameters).get_card_retrievability(_card(state), current_datetime=instant(day))
