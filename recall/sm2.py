"""SuperMemo-2, exactly as docs/sm2.md reads it: pure functions, no clock, no I/O.

A shared core below every feature: the scheduler applies it to the database, the review log
(``recall.reviewlog.replay``) replays events through it, so both compute one schedule.

The easiness factor (EF) is a ``Decimal`` that is always a whole number of
hundredths, and ``ceil(interval * EF)`` is computed without any rounding: a
float EF drifts (1.3 + 0.1 + 0.1 == 1.5000000000000002) and ``ceil`` then
schedules a day late.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from recall.vocabulary import MAX_GRADE, MIN_GRADE, PASS_GRADE

HUNDREDTH: Final = Decimal("0.01")
MIN_EASINESS: Final = Decimal("1.30")
START_EASINESS: Final = Decimal("2.50")


def _check_easiness(value: object) -> Decimal:
    """``value`` as a Decimal with exactly two places, or an error saying why not."""
    if not isinstance(value, Decimal):
        raise TypeError(f"easiness must be a Decimal, got {type(value).__name__} {value!r}")
    if not value.is_finite() or value != value.quantize(HUNDREDTH, rounding=decimal.ROUND_DOWN):
        raise ValueError(f"easiness must be a whole number of hundredths, got {value}")
    if value < MIN_EASINESS:
        raise ValueError(f"easiness cannot be below {MIN_EASINESS}, got {value}")
    return value.quantize(HUNDREDTH)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class SM2State:
    """One highlight's SM-2 numbers; ``SM2State()`` is a highlight never reviewed."""

    repetitions: int = 0
    easiness: Decimal = START_EASINESS
    interval: int = 0

    def __post_init__(self) -> None:
        # Refuse states that review() can never produce, so a corrupt row fails loudly.
        if not _is_int(self.repetitions) or self.repetitions < 0:
            raise ValueError(f"repetitions must be a whole number >= 0, got {self.repetitions!r}")
        if not _is_int(self.interval) or self.interval < 0:
            raise ValueError(f"interval must be a whole number of days >= 0, got {self.interval!r}")
        if self.repetitions > 0 and self.interval < 1:
            raise ValueError(f"a state with {self.repetitions} repetitions needs an interval >= 1, got {self.interval}")
        object.__setattr__(self, "easiness", _check_easiness(self.easiness))


def check_grade(grade: object) -> int:
    """``grade`` if it is an int from 0 to 5; otherwise ``ValueError``."""
    if not _is_int(grade) or not MIN_GRADE <= grade <= MAX_GRADE:  # type: ignore[operator]
        raise ValueError(f"grade must be a whole number from {MIN_GRADE} to {MAX_GRADE}, got {grade!r}")
    return grade  # type: ignore[return-value]


def _ceil_product(interval: int, easiness: Decimal) -> int:
    """``ceil(interval * easiness)`` with no rounding anywhere, however large the interval."""
    digits = len(str(interval)) + len(easiness.as_tuple().digits) + 2
    context = decimal.Context(prec=digits, traps=[decimal.Inexact, decimal.InvalidOperation])
    product = context.multiply(Decimal(interval), easiness)
    return int(product.to_integral_value(rounding=decimal.ROUND_CEILING, context=context))


def review(state: SM2State, grade: int) -> SM2State:
    """The state after one review graded ``grade`` (0..5); lateness plays no part."""
    q = check_grade(grade)
    if q >= PASS_GRADE:
        if state.repetitions == 0:
            interval = 1
        elif state.repetitions == 1:
            interval = 6
        else:
            interval = _ceil_product(state.interval, state.easiness)  # EF held before this review
        repetitions = state.repetitions + 1
    else:
        repetitions, interval = 0, 1
    wrong = 5 - q
    change = Decimal("0.1") - wrong * (Decimal("0.08") + wrong * Decimal("0.02"))
    easiness = max(MIN_EASINESS, state.easiness + change).quantize(HUNDREDTH)
    return SM2State(repetitions=repetitions, easiness=easiness, interval=interval)


def easiness_to_hundredths(easiness: Decimal) -> int:
    """EF as the integer the database stores (2.50 -> 250); never rounds."""
    if not isinstance(easiness, Decimal):
        raise TypeError(f"easiness must be a Decimal, got {type(easiness).__name__} {easiness!r}")
    if not easiness.is_finite() or easiness != easiness.quantize(HUNDREDTH, rounding=decimal.ROUND_DOWN):
        raise ValueError(f"easiness must be a whole number of hundredths, got {easiness}")
    return int(easiness.scaleb(2))


def easiness_from_hundredths(hundredths: int) -> Decimal:
    """The stored integer back as EF (250 -> Decimal('2.50'))."""
    if not _is_int(hundredths):
        raise TypeError(f"easiness hundredths must be an int, got {type(hundredths).__name__} {hundredths!r}")
    return Decimal(hundredths).scaleb(-2)


def due_day(day: date, interval: int) -> date:
    """The study day a review on ``day`` falls due again, ``interval`` days later. SM-2 has no
    maximum interval, so after a long run of perfect grades the date saturates at the
    calendar's end; the stored interval stays exact."""
    try:
        return day + timedelta(days=interval)
    except OverflowError:
        return date.max
