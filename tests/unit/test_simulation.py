"""recall.simulation: the coming days under SM-2 and under FSRS, simulated (issue 14, `recall compare`).

The schedules are checked against recall.sm2 and recall.fsrs walked by hand along the grades the
simulation says it gave (a lapse is the failing grade, any other review the passing one), the
queue's limits against a small case worked out on paper, and the memory model by its direction:
asking FSRS for more retention costs more reviews.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from recall import fsrs, sm2
from recall.fsrs import FSRSParameters, FSRSState
from recall.simulation import Collection, Scheduled, compare, simulate
from recall.simulation_model import GradeSpread
from recall.simulation_outcome import Outcome
from recall.sm2 import SM2State

TODAY = date(2026, 3, 2)
ONLY_GOOD_FIRST = (0, 0, 0, 0, 1, 0)
GOOD_OR_WRONG = (0, 1, 0, 0, 1, 0)  # later reviews: recalled → 4, forgotten → 1
USUAL = GradeSpread(first=(1, 2, 5, 15, 57, 20), later=(1, 2, 5, 15, 57, 20))


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def review_days(outcome: Outcome) -> list[int]:
    assert set(outcome.reviews) <= {0, 1}, "one highlight: at most one review a day"
    return [offset for offset, count in enumerate(outcome.reviews) if count]


def one_new() -> Collection:
    return Collection(TODAY, new=1, new_per_day=1, grades=GradeSpread(ONLY_GOOD_FIRST, GOOD_OR_WRONG))


def test_the_same_seed_gives_the_same_figures_and_another_seed_others() -> None:
    collection = Collection(TODAY, new=500, new_per_day=15, reviews_per_day=60, grades=USUAL)
    first = compare(collection, horizon=120, seed=3, checkpoints=(30, 120))
    again = compare(collection, horizon=120, seed=3, checkpoints=(30, 120))
    assert first == again
    other = compare(collection, horizon=120, seed=4, checkpoints=(30, 120))
    assert other["sm2"].reviews != first["sm2"].reviews
    assert sum(first["sm2"].new) == sum(first["fsrs"].new) == 500  # 15 a day until none is left


def test_nothing_due_and_nothing_new_is_no_load() -> None:
    later = Scheduled(SM2State(3, Decimal("2.50"), 15), day(200), FSRSState(40.0, 5.0, day(-10), day(200)))
    for scheduled in ((), (later,)):
        outcomes = compare(Collection(TODAY, scheduled=scheduled, new=0, grades=USUAL), horizon=90, checkpoints=(90,))
        for outcome in outcomes.values():
            assert outcome.reviews == (0,) * 90 and outcome.due_at_start == 0
            summary = outcome.horizon(90)
            assert (summary.reviews, summary.peak, summary.peak_day, summary.recall_rate) == (0, 0, None, None)
    assert outcomes["sm2"].retention[90] == pytest.approx(fsrs.retrievability(later.memory, day(90)))
    assert compare(Collection(TODAY), horizon=30, checkpoints=(30,))["fsrs"].retention == {30: None}


def test_fsrs_asked_for_more_retention_asks_for_more_reviews() -> None:
    collection = Collection(TODAY, new=400, new_per_day=10, grades=USUAL)
    totals = {}
    for retention in (0.8, 0.9, 0.95):
        outcome = simulate(collection, "fsrs", FSRSParameters(desired_retention=retention), 180, seed=1)
        totals[retention] = sum(outcome.reviews)
        rate = outcome.horizon(180).recall_rate
        assert rate is not None and abs(rate - retention) < 0.04  # reviews fall due at about that retention
    assert totals[0.8] < totals[0.9] < totals[0.95]
    sm2_totals = {simulate(collection, "sm2", FSRSParameters(desired_retention=r), 180, seed=1).reviews
                  for r in (0.8, 0.95)}
    assert len(sm2_totals) == 1  # SM-2 does not read the desired retention


@pytest.mark.parametrize("seed", range(6))
def test_sm2_intervals_are_recall_sm2s(seed: int) -> None:
    outcome = simulate(one_new(), "sm2", horizon=400, seed=seed)
    days = review_days(outcome)
    assert days[0] == 0 and outcome.new[0] == 1
    state = SM2State()
    for number, offset in enumerate(days):
        grade = 4 if number == 0 or not outcome.lapses[offset] else 1
        state = sm2.review(state, grade)
        following = days[number + 1] if number + 1 < len(days) else None
        assert following == (offset + state.interval if offset + state.interval < 400 else None)


@pytest.mark.parametrize("seed", range(6))
def test_fsrs_intervals_are_recall_fsrss(seed: int) -> None:
    parameters = FSRSParameters(desired_retention=0.85)
    outcome = simulate(one_new(), "fsrs", parameters, horizon=400, seed=seed)
    days = review_days(outcome)
    state = None
    for number, offset in enumerate(days):
        grade = 4 if number == 0 or not outcome.lapses[offset] else 1
        state = fsrs.review(state, day(offset), grade, parameters)
        following = days[number + 1] if number + 1 < len(days) else None
        assert following == ((state.due - TODAY).days if (state.due - TODAY).days < 400 else None)


def test_both_schedulers_lapse_sometimes() -> None:
    """The interval tests above walk the failing grade too: some seed forgets."""
    assert any(sum(simulate(one_new(), name, horizon=400, seed=seed).lapses) for seed in range(6)
               for name in ("sm2", "fsrs"))


def test_a_small_case_worked_out_by_hand() -> None:
    """Two highlights at SM-2's third step (6 days, EF 2.50), A two days overdue, B due today; their
    memories so stable (a million days) that they are recalled, graded Good (4); one review a day.

    SM-2: day 0 A (most overdue first; B waits: backlog 1), interval ceil(6 x 2.5) = 15 → day 15;
    day 1 B → day 16; then ceil(15 x 2.5) = 38: A on day 53, B on day 54.
    FSRS: the same due days (a switch never reschedules): A on day 0, B on day 1; their next
    interval is py-fsrs's longest, far past the 60 days."""
    memory_a = FSRSState(1e6, 5.0, day(-8), day(3))
    memory_b = FSRSState(1e6, 5.0, day(-6), day(3))
    collection = Collection(
        TODAY, scheduled=(Scheduled(SM2State(2, Decimal("2.50"), 6), day(0), memory_b),
                          Scheduled(SM2State(2, Decimal("2.50"), 6), day(-2), memory_a)),
        new=0, reviews_per_day=1, grades=GradeSpread(ONLY_GOOD_FIRST, GOOD_OR_WRONG),
    )
    outcomes = compare(collection, horizon=60, seed=0, checkpoints=(60,))
    under_sm2, under_fsrs = outcomes["sm2"], outcomes["fsrs"]
    assert review_days(under_sm2) == [0, 1, 15, 16, 53, 54]
    assert under_sm2.backlog[:2] == (1, 0) and under_sm2.due_at_start == 2
    assert (under_sm2.horizon(60).held_days, under_sm2.horizon(60).most_held, under_sm2.horizon(60).backlog) == (1, 1, 0)
    assert review_days(under_fsrs) == [0, 1] and under_fsrs.backlog[0] == 1 and under_fsrs.due_at_start == 2
    for outcome in outcomes.values():
        summary = outcome.horizon(60)
        assert (summary.lapses, summary.recall_rate, summary.new) == (0, 1.0, 0)
        assert summary.retention == pytest.approx(1.0, abs=1e-5)
    summary = under_sm2.horizon(30)
    assert (summary.reviews, summary.per_day, summary.peak, summary.peak_day) == (4, 4 / 30, 1, TODAY)
    assert under_sm2.horizon(30).retention is None  # not a checkpoint


def test_the_daily_limits_count_what_today_did_already() -> None:
    """As the queue: today's new allowance less the new ones done; reviews fill the limit first,
    new ones only the room left."""
    collection = Collection(TODAY, new=100, new_per_day=10, new_today=4, grades=USUAL)
    outcome = simulate(collection, "sm2", horizon=3, seed=0)
    assert outcome.new == (6, 10, 10)
    due = [Scheduled(SM2State(1, Decimal("2.50"), 1), day(0)) for _ in range(5)]
    capped = Collection(TODAY, scheduled=due, new=100, new_per_day=10, reviews_per_day=8, reviewed_today=5,
                        grades=USUAL)
    outcome = simulate(capped, "sm2", horizon=2, seed=0)
    assert (outcome.reviews[0], outcome.new[0], outcome.backlog[0]) == (3, 0, 2)  # 8 - 5 done: 3 of the 5 due
    assert outcome.reviews[1] == 8 and 1 <= outcome.new[1] <= 6  # the 2 left, those forgotten, then new ones


def test_a_skipped_highlight_waits_and_one_never_comes_back_on_its_last_review_day() -> None:
    state = SM2State(1, Decimal("2.50"), 1)
    skipped = Scheduled(state, day(0), not_before=day(1))
    odd = Scheduled(state, day(-1), FSRSState(3.0, 5.0, day(0), day(2)))  # reviewed today though due yesterday
    outcome = simulate(Collection(TODAY, scheduled=(skipped, odd), grades=USUAL), "sm2", horizon=3, seed=0)
    assert outcome.reviews[:2] == (0, 2)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: simulate(Collection(TODAY), "anki"), "scheduler must be one of sm2, fsrs"),
        (lambda: simulate(Collection(TODAY), "sm2", horizon=0), "at least 1 day"),
        (lambda: simulate(Collection(TODAY), "sm2", horizon=10, checkpoints=(11,)), "checkpoints must be"),
        (lambda: simulate(Collection(date(9999, 12, 1)), "sm2", horizon=60), "past the calendar's end"),
        (lambda: Collection(TODAY, new=-1), "new must be >= 0"),
        (lambda: GradeSpread(first=(1, 2, 3)), "6 counts"),
        (lambda: simulate(Collection(TODAY), "sm2", horizon=10).horizon(11), "a horizon is 1 to 10 days"),
    ],
)
def test_refusals(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_the_grade_spread_of_histories() -> None:
    histories = [[(day(0), 4), (day(1), 2), (day(5), 5)], [(day(0), 3)], []]
    assert GradeSpread.of_histories(histories) == GradeSpread(first=(0, 0, 0, 1, 1, 0), later=(0, 0, 1, 0, 0, 1))


def test_a_collection_with_no_grades_passes_good_and_fails_again() -> None:
    """No history: every first review is Good, a failure Again (2)."""
    outcome = simulate(Collection(TODAY, new=200, new_per_day=20), "sm2", horizon=60, seed=2)
    assert sum(outcome.reviews) > 200 and sum(outcome.lapses) > 0


def test_progress_is_told_day_by_day() -> None:
    told: list[tuple[str, int]] = []
    compare(Collection(TODAY, new=5), horizon=3, done=lambda name, days: told.append((name, days)))
    assert told == [("sm2", 1), ("sm2", 2), ("sm2", 3), ("fsrs", 1), ("fsrs", 2), ("fsrs", 3)]


def test_memory_states_are_recall_fsrs_memory_state_once_a_day() -> None:
    """`recall compare`'s memory states: recall.fsrs.memory_state of each history, as a switch to FSRS
    computes them; a second 'review' row on one study day (which the replay makes a drill) is left out."""
    from recall.stats.compare import memory_states

    history = [(day(-30), 4), (day(-29), 2), (day(-20), 4), (day(-5), 5)]
    doubled = [*history[:2], (day(-29), 5), *history[2:]]
    parameters = FSRSParameters(desired_retention=0.85)
    found = memory_states([(1, history), (2, doubled), (3, [])], parameters)
    assert found == {1: fsrs.memory_state(history, parameters), 2: fsrs.memory_state(history, parameters)}
