"""The load tools' rules (``recall.rescheduling``, after FSRS Helper's postpone, advance and break):
who moves first, by how much, and how a break's load is levelled."""

from __future__ import annotations

import math
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from recall import fsrs
from recall.rescheduling import (
    Candidate,
    Curve,
    advance,
    advance_order,
    postpone,
    postpone_order,
    postponed_due,
    safe_postpones,
    spread,
    spread_days,
    urgency,
)

TODAY = date(2026, 3, 10)
CURVE = Curve(fsrs.DEFAULT.weights[20], 0.9)


def reviewed(key: str, last_days_ago: int, interval: int, stability: float | None = None) -> Candidate:
    last = TODAY - timedelta(days=last_days_ago)
    return Candidate(hash(key) % 1000, key, last + timedelta(days=interval), last, stability)


def test_the_curve_is_fsrs_own_and_its_ratio_is_one_where_fsrs_falls_due() -> None:
    """Curve.retrievability is py-fsrs's forgetting curve, and the ratio is 1 at the FSRS interval
    (up to the rounding to whole days)."""
    state = fsrs.review(None, TODAY, 4)
    for days in (0, 1, 5, 30):
        expected = fsrs.retrievability(state, TODAY + timedelta(days=days))
        assert math.isclose(CURVE.retrievability(days, state.stability), expected, rel_tol=1e-9)
    assert math.isclose(CURVE.ratio(state.stability, state.stability), 1.0)  # at 90 %, R falls to 90 % at S days
    assert abs(CURVE.ratio(fsrs.next_interval(state.stability), state.stability) - 1) < 0.5 / state.stability + 1e-9


def test_postpone_takes_the_least_overdue_relative_to_the_interval_first_under_sm2() -> None:
    """SM-2 has no retrievability: the smallest elapsed/interval first, the longer interval on a tie."""
    due = [reviewed("a", 12, 10), reviewed("b", 6, 6), reviewed("c", 40, 30), reviewed("d", 60, 60),
           reviewed("e", 3, 1)]
    order = [c.key for _, c in postpone_order(due, TODAY, None)]
    assert order == ["d", "b", "a", "c", "e"]  # 60/60 = 6/6 (the longer first) < 12/10 < 40/30 < 3/1
    ranks = [rank for rank, _ in postpone_order(due, TODAY, None)]
    assert math.isclose(ranks[1], (6 + 0.075 * 6) / 6 - 1) and ranks[0] == ranks[1]  # FSRS Helper's key: lateness after 7.5 % more, minus 1


def test_postpone_takes_the_highest_retrievability_first_under_fsrs() -> None:
    due = [reviewed(k, ago, ivl, s) for k, ago, ivl, s in
           [("a", 12, 10, 11.0), ("b", 30, 30, 60.0), ("c", 8, 5, 3.0), ("d", 20, 20, 25.0)]]
    order = [c for _, c in postpone_order(due, TODAY, CURVE)]
    later = [CURVE.retrievability(c.elapsed(TODAY) + 0.075 * c.interval, c.stability or 0) for c in order]
    assert later == sorted(later, reverse=True)


def test_a_postpone_puts_each_off_by_five_to_ten_percent_of_its_interval_at_least_a_day() -> None:
    for ivl in (1, 2, 6, 15, 40, 100, 400):
        for ago in (ivl, ivl + 3):
            one = reviewed(f"k{ivl}-{ago}", ago, ivl)
            moved = postponed_due(one, TODAY)
            extra = (moved - TODAY).days
            assert extra >= 1 and math.ceil(ivl * 1.05) - ivl <= extra <= math.ceil(ivl * 1.10) - ivl
            assert moved == postponed_due(one, TODAY)  # seeded: a dry run shows what the run does
    assert postponed_due(reviewed("k", 6, 6), TODAY, free=lambda day: day + timedelta(days=30)) > TODAY + timedelta(days=30)


def test_postpone_moves_count_or_every_due_one_and_counts_the_safe() -> None:
    due = [reviewed(f"k{i}", 10 + i, 10) for i in range(6)]
    assert [m.candidate.key for m in postpone(due, 3, TODAY, None)] == ["k0", "k1", "k2"]
    assert len(postpone(due, 50, TODAY, None)) == 6
    assert safe_postpones(due, TODAY, None) == 1  # (10 + 0.75)/10 - 1 = 0.075; 11.75/10 - 1 = 0.175 is not


def test_advance_takes_the_nearest_to_due_relative_to_the_interval_first_and_brings_it_to_today() -> None:
    ahead = [reviewed("a", 9, 10), reviewed("b", 20, 30), reviewed("c", 1, 6), reviewed("d", 54, 60),
             reviewed("today", 0, 5)]
    order = [c.key for _, c in advance_order(ahead, TODAY, None)]
    assert order == ["d", "a", "b", "c"]  # 6/60 < 1/10 < 10/30 < 5/6 left; one reviewed today never
    moves = advance(ahead, 2, TODAY, None)
    assert [(m.candidate.key, m.due) for m in moves] == [("d", TODAY), ("a", TODAY)]
    fsrs_order = [c for _, c in advance_order([reviewed(k, 9, 10, s) for k, s in [("x", 5.0), ("y", 40.0)]], TODAY,
                                              CURVE)]
    assert [c.key for c in fsrs_order] == ["x", "y"]  # the lower retrievability (stability 5) is nearer due


def test_spread_days_grows_with_the_break_within_bounds() -> None:
    assert [spread_days(n) for n in (1, 2, 7, 14, 30)] == [2, 2, 7, 14, 14]


def test_a_break_levels_the_load_most_urgent_first() -> None:
    window = [TODAY + timedelta(days=i) for i in range(4)]
    load = {window[0]: 10, window[1]: 2, window[2]: 5}
    movers = [reviewed(f"k{i}", 30, ivl) for i, ivl in enumerate([1, 6, 15, 40, 2, 3, 100, 9])]
    moves = spread(movers, window, load)
    totals = {day: load.get(day, 0) + sum(1 for m in moves if m.due == day) for day in window}
    assert totals == {window[0]: 10, window[1]: 5, window[2]: 5, window[3]: 5}  # water level 5; day one stays 10
    assert [m.candidate.key for m in moves] == [c.key for c in sorted(movers, key=urgency)]
    assert [m.due for m in moves] == sorted(m.due for m in moves)  # the most urgent onto the first days


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=14), st.lists(st.integers(1, 200), max_size=80))
def test_spreading_never_leaves_a_day_two_above_another_it_could_have_taken(load: list[int], intervals: list[int]) -> None:
    """Whatever the load, every mover lands in the window, and no day that took a mover ends more than
    one above another day of the window (the water level), and the most urgent come first."""
    window = [TODAY + timedelta(days=i) for i in range(len(load))]
    movers = [reviewed(f"k{i}", 300, ivl) for i, ivl in enumerate(intervals)]
    moves = spread(movers, window, dict(zip(window, load, strict=True)))
    assert len(moves) == len(movers) and all(m.due in window for m in moves)
    taken = {day: sum(1 for m in moves if m.due == day) for day in window}
    totals = {day: load[i] + taken[day] for i, day in enumerate(window)}
    for day in window:
        if taken[day]:
            assert totals[day] <= min(totals.values()) + 1
    assert [urgency(m.candidate) for m in moves] == sorted(urgency(m.candidate) for m in moves)
