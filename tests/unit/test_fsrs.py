"""FSRS by study days (recall.fsrs) against py-fsrs's own Scheduler driven directly.

The reference below builds its own py-fsrs scheduler (no steps, no fuzz) and carries one
``Card`` through a whole history, reviewed at each study day's midnight UTC; recall's side
rebuilds its card from an ``FSRSState`` at every review. After every review the stability,
difficulty and due day must be equal (floats compared exactly, not approximately).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS
from hypothesis import given
from hypothesis import strategies as st

from recall import fsrs as core
from recall.fsrs import FSRSParameters, FSRSState, memory_state, next_interval, retrievability, review
from recall.vocabulary import PRESETS

START = date(2026, 3, 2)
# recall's grade → the rating the reference gives py-fsrs, written out here rather than taken from recall.fsrs
AS_RATING = {0: Rating.Again, 1: Rating.Again, 2: Rating.Again, 3: Rating.Hard, 4: Rating.Good, 5: Rating.Easy}

Step = tuple[int, int]  # (days after the reference card's due day, negative for early; grade 0-5)
Row = tuple[float, float, date]  # stability, difficulty, due day after one review


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def reference(steps: list[Step], retention: float = 0.9) -> tuple[list[tuple[date, int]], list[Row]]:
    """Drive py-fsrs directly: the study days the steps land on, and the card after each review.

    A step's day is the card's due day plus its offset, never on or before the last review."""
    scheduler = Scheduler(desired_retention=retention, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = Card(card_id=1, due=midnight(START))
    days: list[tuple[date, int]] = []
    rows: list[Row] = []
    for offset, grade in steps:
        day = card.due.date() + timedelta(days=offset)
        if card.last_review is not None:
            day = max(day, card.last_review.date() + timedelta(days=1))
        card, _ = scheduler.review_card(card, AS_RATING[grade], review_datetime=midnight(day))
        assert card.stability is not None and card.difficulty is not None
        days.append((day, grade))
        rows.append((card.stability, card.difficulty, card.due.date()))
    return days, rows


def recall_rows(days: list[tuple[date, int]], parameters: FSRSParameters = core.DEFAULT) -> list[Row]:
    """recall.fsrs over the same study days: the state after each review, one review at a time."""
    state: FSRSState | None = None
    rows = []
    for day, grade in days:
        state = review(state, day, grade, parameters)
        rows.append((state.stability, state.difficulty, state.due))
    return rows


ON_TIME_GOOD = [(0, 4)] * 8
CASES = {
    "on time, Good": ON_TIME_GOOD,
    "on time, Easy then Hard": [(0, 5), (0, 5), (0, 3), (0, 3), (0, 5)],
    "late reviews": [(0, 4), (10, 4), (45, 4), (200, 3), (3, 5), (1000, 4)],
    "early reviews": [(0, 4), (0, 4), (-3, 4), (-5, 5), (-1, 3), (0, 4)],
    "lapses": [(0, 4), (0, 4), (0, 4), (0, 1), (0, 4), (0, 0), (0, 2), (0, 4), (0, 4)],
    "lapse after a long time away": [(0, 5), (0, 5), (0, 5), (400, 2), (0, 3), (0, 4)],
    "first review Again, then again": [(0, 0), (0, 2), (0, 1), (0, 4)],
    "every grade": [(0, g) for g in (5, 4, 3, 2, 1, 0, 3, 4, 5)],
}


@pytest.mark.parametrize("steps", CASES.values(), ids=CASES.keys())
def test_every_review_matches_py_fsrs_driven_directly(steps: list[Step]) -> None:
    days, expected = reference(steps)
    assert recall_rows(days) == expected
    assert memory_state(days) == FSRSState(*expected[-1][:2], reviewed=days[-1][0], due=expected[-1][2])


@pytest.mark.parametrize("retention", [0.7, 0.8, 0.97])
def test_desired_retention_matches_py_fsrs_and_shortens_intervals_as_it_rises(retention: float) -> None:
    days, expected = reference(CASES["late reviews"], retention)
    assert recall_rows(days, FSRSParameters(desired_retention=retention)) == expected
    default_days, _ = reference(ON_TIME_GOOD)
    lower = memory_state(default_days[:3], FSRSParameters(desired_retention=retention - 0.01))
    higher = memory_state(default_days[:3], FSRSParameters(desired_retention=retention))
    assert lower is not None and higher is not None
    assert lower.interval >= higher.interval


def test_the_first_review_follows_fsrs6_initial_formulas() -> None:
    # S0(G) = w[G-1]; D0(G) = w4 - e^(w5 (G-1)) + 1, clamped to 1..10 (FSRS-6). The model's formula, so
    # approximately: py-fsrs computes e^x as math.e ** x, which can differ from math.exp(x) in the last bit.
    w = DEFAULT_PARAMETERS
    for grade, g in ((1, 1), (3, 2), (4, 3), (5, 4)):
        state = review(None, START, grade)
        assert state.stability == w[g - 1]
        assert state.difficulty == pytest.approx(min(max(w[4] - math.exp(w[5] * (g - 1)) + 1, 1.0), 10.0), rel=1e-12)
        assert state.reviewed == START
        assert state.interval == max(1, round(w[g - 1]))  # at 90% retention the interval is the stability


def test_grades_map_to_again_hard_good_easy_and_the_four_keys_are_named_for_them() -> None:
    assert [core.rating(g) for g in range(6)] == [AS_RATING[g] for g in range(6)]
    assert [core.rating(button.grade).name for button in PRESETS["four"]] == [b.caption for b in PRESETS["four"]]
    for bad in (-1, 6, 4.0, True, "4"):
        with pytest.raises(ValueError, match="grade must be"):
            core.rating(bad)  # type: ignore[arg-type]


def test_study_days_not_clock_hours_decide_the_elapsed_time() -> None:
    # 23:00 on one study day, 05:00 the next: py-fsrs given those instants sees under a day (its
    # same-day formula); recall counts one study day, as py-fsrs does given the days' midnights.
    first, second = date(2026, 5, 4), date(2026, 5, 5)
    scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card, _ = scheduler.review_card(Card(card_id=1, due=midnight(first)), Rating.Good, midnight(first) + timedelta(hours=23))
    by_clock, _ = scheduler.review_card(card, Rating.Good, midnight(second) + timedelta(hours=5))
    days, (_, expected) = reference([(0, 4), (-100, 4)])
    assert days == [(START, 4), (START + timedelta(days=1), 4)]
    state = memory_state(days)
    assert state is not None and (state.stability, state.difficulty, state.due) == expected
    assert by_clock.stability != state.stability


def test_reviews_must_move_forward_one_study_day_at_a_time() -> None:
    state = review(None, START, 4)
    for day in (START, START - timedelta(days=1)):
        with pytest.raises(ValueError, match="one review per study day"):
            review(state, day, 4)
    with pytest.raises(ValueError, match="calendar's end"):
        review(None, date.max - timedelta(days=1), 4)
    assert memory_state([]) is None


def test_next_interval_is_what_a_review_schedules() -> None:
    days, rows = reference(CASES["lapses"])
    for (day, _), (stability, _, due) in zip(days, rows, strict=True):
        assert next_interval(stability) == (due - day).days
    assert next_interval(0.001) == 1
    assert next_interval(10**9) == 36_500  # py-fsrs's maximum interval
    for bad in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="stability"):
            next_interval(bad)


def test_retrievability_is_one_on_the_review_day_then_falls_to_the_retention_at_the_stability() -> None:
    state = FSRSState(stability=10.0, difficulty=5.0, reviewed=START, due=START + timedelta(days=10))
    values = [retrievability(state, START + timedelta(days=d)) for d in range(-2, 40)]
    assert values[:3] == [1.0, 1.0, 1.0]
    assert all(a > b for a, b in zip(values[2:], values[3:], strict=False))
    assert retrievability(state, START + timedelta(days=10)) == pytest.approx(0.9, abs=1e-12)  # S is the 90% interval
    scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = Card(1, State.Review, None, 10.0, 5.0, due=midnight(state.due), last_review=midnight(START))
    assert retrievability(state, START + timedelta(days=23)) == scheduler.get_card_retrievability(
        card, midnight(START + timedelta(days=23))
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"stability": 0.0}, "stability"),
        ({"stability": math.nan}, "stability"),
        ({"difficulty": 0.5}, "difficulty"),
        ({"difficulty": 10.5}, "difficulty"),
        ({"due": START}, "must come after"),
    ],
)
def test_states_review_never_makes_are_refused(fields: dict[str, object], message: str) -> None:
    good = {"stability": 3.0, "difficulty": 5.0, "reviewed": START, "due": START + timedelta(days=3)}
    with pytest.raises(ValueError, match=message):
        FSRSState(**(good | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize("retention", [0, 1, 1.2, -0.5, True, "0.9"])
def test_parameters_refuse_a_retention_outside_zero_to_one(retention: object) -> None:
    with pytest.raises(ValueError, match="desired retention"):
        FSRSParameters(desired_retention=retention)  # type: ignore[arg-type]


def test_weights_out_of_py_fsrs_bounds_are_refused_by_py_fsrs() -> None:
    with pytest.raises(ValueError, match="Expected 21 parameters"):
        review(None, START, 4, FSRSParameters(weights=DEFAULT_PARAMETERS[:20]))
    with pytest.raises(ValueError, match="out of bounds"):
        review(None, START, 4, FSRSParameters(weights=(500.0, *DEFAULT_PARAMETERS[1:])))


histories = st.lists(
    st.tuples(st.integers(min_value=-30, max_value=400), st.integers(min_value=0, max_value=5)), min_size=1, max_size=30
)


@given(histories, st.floats(min_value=0.7, max_value=0.97))
def test_any_history_matches_py_fsrs_after_every_review(steps: list[Step], retention: float) -> None:
    days, expected = reference(steps, retention)
    parameters = FSRSParameters(desired_retention=retention)
    rows = recall_rows(days, parameters)
    assert rows == expected
    for (day, _), (stability, difficulty, due) in zip(days, rows, strict=True):
        assert 1 <= difficulty <= 10
        assert next_interval(stability, parameters) == (due - day).days >= 1
