"""Fitting FSRS to a history (recall.fitting) on histories simulated from known FSRS behaviour.

The simulated reader forgets as py-fsrs says a reader with ``TRUE`` weights does (initial
stabilities 1, 3, 6 and 15 days, a steeper forgetting curve than the defaults): each highlight
comes back on or a little after its due day, is recalled with the retrievability the true
weights give, and graded 3-5 when recalled, 0-2 when not. A fit should then predict those
reviews better than the default weights, about as well as the true ones.
"""

from __future__ import annotations

import random
import re
import struct
from datetime import date, timedelta

import fsrs_rs_python
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from recall.fitting import MIN_REVIEWS, NotEnoughReviews, fit, single, training_items
from recall.fsrs import FSRSParameters, memory_state, retrievability, review

TRUE = (1.0, 3.0, 6.0, 15.0, *DEFAULT_PARAMETERS[4:8], 2.2, *DEFAULT_PARAMETERS[9:20], 0.3)
START = date(2025, 1, 1)


def simulate(highlights: int, days: int = 365, seed: int = 0) -> list[list[tuple[date, int]]]:
    """``highlights`` histories of a reader with the ``TRUE`` weights, first reviews spread over
    the first half of ``days`` study days from START."""
    rng = random.Random(seed)
    parameters = FSRSParameters(TRUE)
    end = START + timedelta(days=days)
    histories = []
    for _ in range(highlights):
        day = START + timedelta(days=rng.randrange(days // 2))
        grade = rng.choices([2, 3, 4, 5], [10, 10, 60, 20])[0]
        state = review(None, day, grade, parameters)
        history = [(day, grade)]
        while (day := state.due + timedelta(days=rng.choice([0, 0, 1, 3, 7]))) < end:
            recalled = rng.random() < retrievability(state, day, parameters)
            grade = rng.choices([3, 4, 5], [15, 65, 20])[0] if recalled else rng.choice([0, 1, 2])
            state = review(state, day, grade, parameters)
            history.append((day, grade))
        histories.append(history)
    return histories


@pytest.fixture(scope="module")
def year() -> list[list[tuple[date, int]]]:
    return simulate(300)


def test_the_fit_predicts_the_reviews_better_than_the_defaults(year) -> None:
    result = fit(year)
    assert result.reviews == sum(map(len, year)) and result.highlights == 300
    assert MIN_REVIEWS <= result.used <= result.reviews - result.highlights  # no first review is predicted
    assert result.after.log_loss < result.before.log_loss - 0.003
    assert result.after.rmse < result.before.rmse
    assert result.improved
    # about as good as the weights the reviews were drawn from (scored the same way)
    assert abs(result.after.log_loss - fit(year, current=TRUE).before.log_loss) < 0.01
    # the Good first review's stability moves from the default 2.3 days toward the true 6
    assert DEFAULT_PARAMETERS[2] < result.weights[2]


def test_the_fitted_weights_are_fsrs_6_weights_py_fsrs_takes(year) -> None:
    weights = fit(year).weights
    assert len(weights) == len(DEFAULT_PARAMETERS) == 21
    assert weights != DEFAULT_PARAMETERS
    assert all(isinstance(weight, float) for weight in weights)
    state = memory_state(year[0], FSRSParameters(weights))  # py-fsrs checks every bound
    assert state is not None and state.reviewed == year[0][-1][0]


def test_the_same_history_gives_the_same_weights(year) -> None:
    first, again = fit(year), fit(simulate(300))
    assert first.weights == again.weights
    assert first.before.log_loss == again.before.log_loss and first.after.log_loss == again.after.log_loss
    # fsrs-rs sums the RMSE's bins in hash-map order: the last digits may differ
    assert first.after.rmse == pytest.approx(again.after.rmse, rel=1e-5)


def test_the_scores_before_are_the_current_weights(year) -> None:
    default, true = fit(year), fit(year, current=TRUE)
    assert true.weights == default.weights  # training starts from the defaults whatever the current weights
    assert true.before.log_loss != default.before.log_loss and true.after.log_loss == default.after.log_loss


def test_too_few_reviews_say_how_many_there_are_and_how_many_are_needed() -> None:
    histories = simulate(12, days=60)
    with pytest.raises(NotEnoughReviews) as raised:
        fit(histories)
    short = raised.value
    assert (short.reviews, short.highlights, short.needed) == (sum(map(len, histories)), 12, MIN_REVIEWS)
    assert short.used < MIN_REVIEWS
    assert str(short) == f"not enough reviews to fit FSRS yet: {short.used} usable reviews, 64 needed"


def test_no_review_at_all_is_not_enough() -> None:
    with pytest.raises(NotEnoughReviews) as raised:
        fit([])
    assert (raised.value.reviews, raised.value.highlights, raised.value.used) == (0, 0, 0)


def test_second_reviews_alone_are_not_enough() -> None:
    """fsrs-rs fits only the first four weights when no review follows a second one."""
    rng = random.Random(3)
    histories = []
    for _ in range(400):
        first = START + timedelta(days=rng.randrange(20))
        histories.append([(first, rng.choice([3, 4, 5])), (first + timedelta(days=rng.choice([1, 2, 3])), 4)])
    with pytest.raises(NotEnoughReviews) as raised:
        fit(histories)
    assert raised.value.used >= MIN_REVIEWS and raised.value.later == 0
    assert "none past a highlight's second review" in str(raised.value)


def test_training_items_one_per_review_after_the_first_in_order_of_day() -> None:
    d = START
    histories = [
        [(d, 4), (d + timedelta(days=3), 1), (d + timedelta(days=4), 5)],
        [(d + timedelta(days=1), 2), (d + timedelta(days=2), 3)],
        [(d, 5)],  # a first review alone predicts nothing
    ]
    items = training_items(histories)
    as_pairs = [re.findall(r"rating: (\d), delta_t: (\d+)", repr(item)) for item in items]  # no getters on a review
    assert as_pairs == [
        [("1", "0"), ("2", "1")],                # day 2: grade 2 is Again, 3 Hard
        [("3", "0"), ("1", "3")],                # day 3: grade 1 is Again
        [("3", "0"), ("1", "3"), ("4", "1")],    # day 4: grade 5 is Easy
    ]


def test_days_must_strictly_increase() -> None:
    with pytest.raises(ValueError, match="one review per study day"):
        training_items([[(START, 4), (START, 5)]])
    with pytest.raises(ValueError, match="grade"):
        training_items([[(START, 6)]])


def test_both_libraries_are_fsrs_6_with_the_same_defaults() -> None:
    """fsrs-rs's defaults, single precision, are py-fsrs's when read back as their shortest decimal."""
    assert tuple(map(single, fsrs_rs_python.DEFAULT_PARAMETERS)) == DEFAULT_PARAMETERS


def test_single_keeps_the_f32_and_stays_inside_py_fsrs_bounds() -> None:
    wide = struct.unpack("<f", struct.pack("<f", 0.8))[0]
    assert wide > 0.8 and single(wide) == 0.8  # py-fsrs's upper bound of w9, w19 and w20
    for value in (0.1, 0.001, 1 / 3, 36500.0, 2.2):
        assert struct.pack("<f", single(value)) == struct.pack("<f", value)
