"""SM-2 as docs/sm2.md reads it: tables worked out by hand, an integer reference, properties."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recall.sm2 import (
    SM2State,
    easiness_from_hundredths,
    easiness_to_hundredths,
    review,
)
from recall.vocabulary import DRILL_PASS_GRADE, GRADE_CAPTIONS, GRADE_DESCRIPTIONS, PRESETS, GradeButton

D = Decimal


def run(grades: list[int], start: SM2State | None = None) -> list[tuple[int, int, Decimal]]:
    """(interval, repetitions, EF) after each grade."""
    state = SM2State() if start is None else start
    rows = []
    for grade in grades:
        state = review(state, grade)
        rows.append((state.interval, state.repetitions, state.easiness))
    return rows


def test_a_new_highlight_is_zero_repetitions_ef_250_interval_0() -> None:
    assert SM2State() == SM2State(0, D("2.50"), 0)
    assert str(SM2State().easiness) == "2.50"


def test_all_fives_by_hand() -> None:
    # EF moves +0.10 after every review, the first one included; ceil(I * EF before this review).
    expected = [
        (1, 1, D("2.60")),
        (6, 2, D("2.70")),
        (17, 3, D("2.80")),  # ceil(6 * 2.70 = 16.2)
        (48, 4, D("2.90")),  # ceil(17 * 2.80 = 47.6)
        (140, 5, D("3.00")),  # ceil(48 * 2.90 = 139.2)
        (420, 6, D("3.10")),  # 140 * 3.00 exactly
    ]
    assert run([5] * 6) == expected


def test_all_fours_keep_ef_and_whole_products_are_not_rounded_up() -> None:
    expected = [
        (1, 1, D("2.50")),
        (6, 2, D("2.50")),
        (15, 3, D("2.50")),  # 6 * 2.5 = 15 exactly
        (38, 4, D("2.50")),  # ceil(37.5)
        (95, 5, D("2.50")),  # 38 * 2.5 = 95 exactly
        (238, 6, D("2.50")),  # ceil(237.5)
    ]
    assert run([4] * 6) == expected


def test_all_threes_slide_ef_down_to_the_floor() -> None:
    expected = [
        (1, 1, D("2.36")),
        (6, 2, D("2.22")),
        (14, 3, D("2.08")),  # ceil(6 * 2.22 = 13.32)
        (30, 4, D("1.94")),  # ceil(14 * 2.08 = 29.12)
        (59, 5, D("1.80")),  # ceil(30 * 1.94 = 58.2)
        (107, 6, D("1.66")),  # ceil(59 * 1.80 = 106.2)
        (178, 7, D("1.52")),  # ceil(107 * 1.66 = 177.62)
        (271, 8, D("1.38")),  # ceil(178 * 1.52 = 270.56)
        (374, 9, D("1.30")),  # ceil(271 * 1.38 = 373.98); 1.38 - 0.14 = 1.24 -> floor
        (487, 10, D("1.30")),  # ceil(374 * 1.30 = 486.2)
    ]
    assert run([3] * 10) == expected


def test_failures_reset_repetitions_and_drive_ef_to_the_floor() -> None:
    expected = [
        (1, 1, D("2.60")),
        (6, 2, D("2.70")),
        (1, 0, D("2.38")),  # q=2: -0.32
        (1, 0, D("1.84")),  # q=1: -0.54
        (1, 0, D("1.30")),  # q=0: 1.84 - 0.80 = 1.04 -> floor
        (1, 0, D("1.30")),  # stays on the floor
        (1, 1, D("1.30")),  # q=4: recalled again, starts over at 1 day
        (6, 2, D("1.30")),
        (8, 3, D("1.30")),  # ceil(6 * 1.30 = 7.8)
        (11, 4, D("1.30")),  # ceil(8 * 1.30 = 10.4); q=3 would give 1.16 -> floor
    ]
    assert run([5, 5, 2, 1, 0, 0, 4, 4, 4, 3]) == expected


@pytest.mark.parametrize(
    ("grade", "change"), [(5, "0.10"), (4, "0.00"), (3, "-0.14"), (2, "-0.32"), (1, "-0.54"), (0, "-0.80")]
)
def test_ef_change_per_grade(grade: int, change: str) -> None:
    start = SM2State(3, D("2.50"), 10)
    assert review(start, grade).easiness == D("2.50") + D(change)


def test_ef_times_interval_whole_number_is_exact() -> None:
    # 0, 0 put EF on the 1.30 floor; 5, 5 bring it to 1.50 with interval 6.
    # In floats 1.3 + 0.1 + 0.1 == 1.5000000000000002 and ceil(6 * EF) would be 10.
    assert math.ceil(6 * (1.3 + 0.1 + 0.1)) == 10  # the trap this test guards against
    rows = run([0, 0, 5, 5, 5, 5])
    assert rows[3] == (6, 2, D("1.50"))
    assert rows[4] == (9, 3, D("1.60"))  # 6 * 1.50 = 9 exactly, not 10
    assert rows[5] == (15, 4, D("1.70"))  # ceil(9 * 1.60 = 14.4)
    assert review(SM2State(2, D("1.50"), 6), 4).interval == 9


@pytest.mark.parametrize(
    ("interval", "easiness", "expected"), [(45, "2.20", 99), (50, "2.18", 109), (180, "1.35", 243), (75, "1.36", 102)]
)
def test_whole_products_where_float_multiplication_overshoots(interval: int, easiness: str, expected: int) -> None:
    # e.g. 45 * 2.2 == 99.00000000000001 in floats, so ceil would say 100.
    assert interval * D(easiness) == expected
    assert review(SM2State(2, D(easiness), interval), 4).interval == expected


def test_the_ef_before_the_review_sets_the_interval() -> None:
    # q=3 lowers EF to 2.36, but the interval uses 2.50: 10 * 2.50 = 25 (not ceil(23.6) = 24).
    after = review(SM2State(2, D("2.50"), 10), 3)
    assert after == SM2State(3, D("2.36"), 25)


def test_a_failure_after_a_long_run_restarts_at_one_day() -> None:
    after = review(SM2State(7, D("2.80"), 400), 2)
    assert after == SM2State(0, D("2.48"), 1)


def reference(grades: list[int]) -> list[tuple[int, int, int]]:
    """docs/sm2.md in integer hundredths, written independently of recall.sm2."""
    reps, ef, interval = 0, 250, 0
    change = {5: 10, 4: 0, 3: -14, 2: -32, 1: -54, 0: -80}
    out = []
    for q in grades:
        if q >= 3:
            interval = 1 if reps == 0 else 6 if reps == 1 else (interval * ef + 99) // 100
            reps += 1
        else:
            reps, interval = 0, 1
        ef = max(130, ef + change[q])
        out.append((interval, reps, ef))
    return out


def as_hundredths(rows: list[tuple[int, int, Decimal]]) -> list[tuple[int, int, int]]:
    return [(interval, reps, int(ef * 100)) for interval, reps, ef in rows]


def test_thirty_fives_match_the_integer_reference() -> None:
    got = as_hundredths(run([5] * 30))
    want = reference([5] * 30)
    assert got == want
    assert want[:3] == [(1, 1, 260), (6, 2, 270), (17, 3, 280)]
    assert got[-1][2] == 250 + 30 * 10
    assert got[-1][0] > 2**53  # past the integers a float holds exactly: exactness matters


def test_huge_intervals_stay_exact_beyond_default_decimal_precision() -> None:
    # After 60 fives the interval has more than 28 digits, Decimal's default precision.
    got = as_hundredths(run([5] * 60))
    assert len(str(got[-1][0])) > 28
    assert got == reference([5] * 60)


@pytest.mark.parametrize("grade", [-1, 6, 10, 3.0, 4.5, "3", None, True, D(3)])
def test_invalid_grades_raise(grade: object) -> None:
    with pytest.raises(ValueError, match="grade must be a whole number from 0 to 5"):
        review(SM2State(), grade)  # type: ignore[arg-type]


def test_invalid_states_are_refused() -> None:
    with pytest.raises(TypeError):
        SM2State(easiness=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="hundredths"):
        SM2State(easiness=D("2.505"))
    with pytest.raises(ValueError, match="below"):
        SM2State(easiness=D("1.20"))
    with pytest.raises(ValueError, match="interval"):
        SM2State(repetitions=2, interval=0)
    with pytest.raises(ValueError, match="repetitions"):
        SM2State(repetitions=-1)


def test_easiness_is_normalised_to_two_places() -> None:
    assert str(SM2State(easiness=D("2.5")).easiness) == "2.50"


def test_review_returns_a_new_state_and_leaves_the_old_one() -> None:
    before = SM2State(2, D("2.50"), 6)
    after = review(before, 5)
    assert before == SM2State(2, D("2.50"), 6)
    assert after is not before
    with pytest.raises(AttributeError):
        before.interval = 3  # type: ignore[misc]


def test_hundredths_helpers() -> None:
    assert easiness_to_hundredths(D("2.50")) == 250
    assert easiness_to_hundredths(D("1.3")) == 130
    assert easiness_from_hundredths(250) == D("2.50")
    assert str(easiness_from_hundredths(130)) == "1.30"
    with pytest.raises(ValueError):
        easiness_to_hundredths(D("2.505"))
    with pytest.raises(TypeError):
        easiness_to_hundredths(2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        easiness_from_hundredths(2.5)  # type: ignore[arg-type]


def test_captions_and_presets() -> None:
    assert list(GRADE_CAPTIONS) == [0, 1, 2, 3, 4, 5]
    assert GRADE_CAPTIONS[0] == "Blackout" and GRADE_CAPTIONS[5] == "Perfect"
    assert GRADE_DESCRIPTIONS[0] == "complete blackout"
    assert "hesitation" in GRADE_DESCRIPTIONS[4]
    assert [(b.key, b.grade) for b in PRESETS["sm2"]] == [(str(q), q) for q in range(6)]
    assert [b.caption for b in PRESETS["sm2"]] == [GRADE_CAPTIONS[q] for q in range(6)]
    assert list(PRESETS["four"]) == [
        GradeButton("1", 2, "Again"),
        GradeButton("2", 3, "Hard"),
        GradeButton("3", 4, "Good"),
        GradeButton("4", 5, "Easy"),
    ]
    assert set(PRESETS) == {"sm2", "four"}
    assert DRILL_PASS_GRADE == 4


grades = st.lists(st.integers(min_value=0, max_value=5), max_size=60)


@given(grades)
def test_ef_stays_on_hundredths_at_or_above_the_floor(sequence: list[int]) -> None:
    state = SM2State()
    for grade in sequence:
        state = review(state, grade)
        assert state.easiness >= D("1.30")
        assert state.easiness.as_tuple().exponent == -2
        assert state.interval >= 1


@given(grades)
def test_any_sequence_matches_the_integer_reference(sequence: list[int]) -> None:
    assert as_hundredths(run(sequence)) == reference(sequence)


@given(grades)
def test_same_grades_same_states(sequence: list[int]) -> None:
    assert run(sequence) == run(list(sequence))


@given(st.integers(min_value=130, max_value=10**6))
def test_hundredths_round_trip(hundredths: int) -> None:
    easiness = easiness_from_hundredths(hundredths)
    assert easiness_to_hundredths(easiness) == hundredths
    assert easiness_from_hundredths(easiness_to_hundredths(easiness)) == easiness
    assert SM2State(easiness=easiness).easiness == easiness
