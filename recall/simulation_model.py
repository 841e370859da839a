"""The user that ``recall compare``'s simulation (``recall.simulation``) models: how they grade
(``GradeSpread``, their own grades, drawn from by ``GradeDraw``) and how they remember (FSRS's
model, ``Memory``), with SM-2's step; the steps memoised on what they depend on, day counts and
grades, never dates: the many highlights that follow the same path share them. Pure functions,
no storage, no clock.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Final

from recall import fsrs, sm2
from recall.fsrs import FSRSParameters, FSRSState
from recall.sm2 import SM2State
from recall.vocabulary import MAX_GRADE, MIN_GRADE

GOOD: Final = 4
"""The grade of a pass or a first review when the user has none to draw from."""
AGAIN: Final = 2
"""The grade of a failure when the user has none to draw from: the four-key preset's Again."""
GRADES: Final = tuple(range(MIN_GRADE, MAX_GRADE + 1))
_EPOCH: Final = date(2000, 1, 1)  # where the memoised FSRS steps are computed: they depend on day counts only


@dataclass(frozen=True)
class GradeSpread:
    """How the user grades: how many of their first reviews (``first``) and of their later ones
    (``later``) had each grade 0-5 (index = grade). Drills are not reviews."""

    first: tuple[int, ...] = (0,) * len(GRADES)
    later: tuple[int, ...] = (0,) * len(GRADES)

    def __post_init__(self) -> None:
        for name in ("first", "later"):
            counts = getattr(self, name)
            if len(counts) != len(GRADES) or any(not isinstance(n, int) or n < 0 for n in counts):
                raise ValueError(f"{name} must be {len(GRADES)} counts >= 0 (grades 0-5), got {counts!r}")
            object.__setattr__(self, name, tuple(counts))

    @classmethod
    def of_histories(cls, histories: Iterable[Sequence[tuple[date, int]]]) -> GradeSpread:
        """The spread of ``histories``: each a highlight's (study day, grade) reviews, in order."""
        first, later = [0] * len(GRADES), [0] * len(GRADES)
        for history in histories:
            for number, (_, grade) in enumerate(history):
                (later if number else first)[grade] += 1
        return cls(tuple(first), tuple(later))

    def as_dict(self) -> dict[str, list[int]]:
        return {"first": list(self.first), "later": list(self.later)}


class Memory:
    """The memory model's steps, through ``recall.fsrs``, memoised on what they depend on: a
    review's outcome on (stability, difficulty, days since the last review, grade), a
    retrievability on (stability, days since the last review). Day counts, never dates."""

    def __init__(self, parameters: FSRSParameters) -> None:
        self.parameters = parameters
        self._steps: dict[tuple[float, float, int, int], tuple[float, float, int]] = {}
        self._firsts: dict[int, tuple[float, float, int]] = {}
        self._recall: dict[tuple[float, int], float] = {}

    def first(self, grade: int) -> tuple[float, float, int]:
        """(stability, difficulty, interval in days) after a first review graded ``grade``."""
        found = self._firsts.get(grade)
        if found is None:
            state = fsrs.review(None, _EPOCH, grade, self.parameters)
            found = self._firsts[grade] = (state.stability, state.difficulty, state.interval)
        return found

    def step(self, stability: float, difficulty: float, elapsed: int, grade: int) -> tuple[float, float, int]:
        """(stability, difficulty, interval in days) after a review graded ``grade`` ``elapsed``
        days (>= 1) after the last."""
        key = (stability, difficulty, elapsed, grade)
        found = self._steps.get(key)
        if found is None:
            before = FSRSState(stability, difficulty, _EPOCH, _EPOCH + timedelta(days=1))
            state = fsrs.review(before, _EPOCH + timedelta(days=elapsed), grade, self.parameters)
            found = self._steps[key] = (state.stability, state.difficulty, state.interval)
        return found

    def retrievability(self, stability: float, difficulty: float, elapsed: int) -> float:
        """The probability of recall ``elapsed`` days after the last review."""
        key = (stability, elapsed)
        found = self._recall.get(key)
        if found is None:
            state = FSRSState(stability, difficulty, _EPOCH, _EPOCH + timedelta(days=1))
            found = self._recall[key] = fsrs.retrievability(state, _EPOCH + timedelta(days=elapsed), self.parameters)
        return found


@lru_cache(maxsize=65536)
def sm2_step(state: SM2State, grade: int) -> SM2State:
    """``recall.sm2.review`` of ``state`` graded ``grade``, memoised on both (an SM-2 state is frozen)."""
    return sm2.review(state, grade)


class GradeDraw:
    """Grades drawn from counts (``GRADES[i]`` weighing ``counts[i]``), or ``fallback`` when all are 0."""

    def __init__(self, counts: Sequence[int], allowed: range, fallback: int) -> None:
        self.grades = [g for g in allowed if counts[g] > 0] or [fallback]
        weights = [counts[g] for g in self.grades] if any(counts[g] for g in allowed) else [1]
        self.cumulative = [sum(weights[: i + 1]) for i in range(len(weights))]
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> int:
        if len(self.grades) == 1:
            return self.grades[0]
        return self.grades[bisect.bisect_right(self.cumulative, rng.random() * self.total)]
