"""FSRS as the collection's scheduler, through the replay of the review log (issue 14):
exact against py-fsrs, switching never moves a due day, and every device replays alike."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State
from hypothesis import given, settings
from hypothesis import strategies as st
from logsim import event

from recall import fsrs, sm2
from recall.reviewlog.events import COLLECTION_KEY, Event, EventType, Snapshot, from_json
from recall.reviewlog.replay import replay
from recall.scheduler_settings import SM2, SchedulerName, SchedulerSettings
from recall.scheduling import fuzzed, graded, spread
from recall.vocabulary import ReviewKind

FSRS = SchedulerSettings(SchedulerName.FSRS)
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def switch(at: datetime, settings: SchedulerSettings) -> Event:
    return Event(
        id=uuid.uuid4(), type=EventType.SCHEDULER, at=at, day=(at - timedelta(hours=4)).date(), tz="UTC", rollover=4,
        device="dev-a", key=COLLECTION_KEY, before=Snapshot(), after=Snapshot(), settings=settings,
    )


def grade(key: str, at: datetime, value: int) -> Event:
    return event(EventType.GRADE, key, at, grade=value)


def test_fsrs_from_the_start_is_py_fsrs_review_after_review() -> None:
    """Stability, difficulty and due day after every review equal py-fsrs's own Scheduler's, day-based
    (no steps, no fuzz), late reviews and a lapse included."""
    days, grades = [0, 1, 4, 30, 31, 90, 400], [4, 3, 5, 1, 4, 4, 2]
    events = [switch(START - timedelta(days=1), FSRS)]
    reference = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = Card(card_id=1, state=State.Learning, step=0, due=START)
    for offset, value in zip(days, grades, strict=True):
        at = START + timedelta(days=offset)
        events.append(grade("k", at, value))
        state = replay(events).state("k")
        midnight = datetime.combine(at.date(), datetime.min.time(), tzinfo=UTC)
        card, _ = reference.review_card(card, fsrs.rating(value), review_datetime=midnight)
        assert (state.stability, state.difficulty, state.due, state.reviewed) == (
            card.stability, card.difficulty, card.due.date(), at.date()
        )
    assert Rating.Again == fsrs.rating(grades[-1])


def test_sm2_numbers_keep_moving_under_fsrs_and_resume_after() -> None:
    """Under FSRS, SM-2's repetitions, EF and interval follow every review (so switching back resumes
    from them); the first grade after switching back is scheduled by SM-2 from that state."""
    events = [switch(START, FSRS)]
    state = sm2.SM2State()
    for offset, value in [(1, 4), (3, 5), (20, 3)]:
        events.append(grade("k", START + timedelta(days=offset), value))
        state = sm2.review(state, value)
    under_fsrs = replay(events).state("k")
    assert (under_fsrs.repetitions, under_fsrs.easiness, under_fsrs.interval) == (
        state.repetitions, sm2.easiness_to_hundredths(state.easiness), state.interval
    )
    events.append(switch(START + timedelta(days=21), SM2))
    back = replay(events).state("k")
    assert back.due == under_fsrs.due and not back.has_memory  # the switch moved nothing
    last = START + timedelta(days=60)
    events.append(grade("k", last, 4))
    after = replay(events).state("k")
    assert after.due == sm2.due_day(last.date(), sm2.review(state, 4).interval)


def test_turning_fsrs_on_computes_memory_from_the_history_and_keeps_due_days() -> None:
    events = [grade("k", START + timedelta(days=d), g) for d, g in [(0, 4), (1, 4), (7, 2), (8, 5)]]
    sm2_only = replay(events).state("k")
    events.append(switch(START + timedelta(days=9), FSRS))
    switched = replay(events).state("k")
    memory = fsrs.memory_state([((START + timedelta(days=d)).date(), g) for d, g in [(0, 4), (1, 4), (7, 2), (8, 5)]])
    assert memory is not None
    assert (switched.stability, switched.difficulty, switched.reviewed) == (
        memory.stability, memory.difficulty, memory.reviewed
    )
    assert replace(switched, stability=None, difficulty=None, reviewed=None) == sm2_only


def test_new_weights_recompute_memory_without_moving_due_days() -> None:
    events = [switch(START, FSRS), grade("k", START + timedelta(days=1), 4), grade("k", START + timedelta(days=5), 4)]
    first = replay(events).state("k")
    weights = tuple(w * 1.5 if i == 2 else w for i, w in enumerate(fsrs.DEFAULT.weights))
    events.append(switch(START + timedelta(days=6), replace(FSRS, weights=weights)))
    refitted = replay(events).state("k")
    assert refitted.due == first.due and refitted.stability != first.stability


def test_drills_never_reach_fsrs() -> None:
    events = [switch(START, FSRS), grade("k", START + timedelta(days=1), 4)]
    once = replay(events).state("k")
    events.append(grade("k", START + timedelta(days=1, hours=2), 1))  # the same study day: a drill
    assert replay(events).state("k") == once


def test_fuzz_is_seeded_by_key_and_day_and_stays_in_py_fsrs_range() -> None:
    reviewed = date(2026, 3, 1)
    draws = {fuzzed(reviewed, 100, f"k{i}", 36500) for i in range(200)}
    assert min(draws) >= reviewed + timedelta(days=93) and max(draws) <= reviewed + timedelta(days=107)
    assert len(draws) > 5  # it spreads
    assert fuzzed(reviewed, 100, "k1", 36500) == fuzzed(reviewed, 100, "k1", 36500)
    assert fuzzed(reviewed, 2, "k1", 36500) == reviewed + timedelta(days=2)  # none under 2.5 days
    fuzzy = replace(FSRS, fuzz=True)
    state = graded(Snapshot(), 4, reviewed, fuzzy, "k1")
    assert state == graded(Snapshot(), 4, reviewed, fuzzy, "k1")


def test_v2_lines_round_trip_and_v1_lines_stay_v1() -> None:
    switched = switch(START, replace(FSRS, retention=0.85, fuzz=True))
    assert from_json(switched.to_json()) == switched and '"v":2' in switched.to_json()
    plain = grade("k", START, 4)
    assert '"v":1' in plain.to_json() and "stab" not in plain.to_json()
    remembered = replace(plain, after=graded(Snapshot(), 4, START.date(), FSRS, "k"))
    assert from_json(remembered.to_json()) == remembered and '"v":2' in remembered.to_json()


@pytest.mark.parametrize("bad", ['"scheduler":"anki"', '"retention":0.99', '"weights":[1,2]'])
def test_a_bad_scheduler_event_is_refused_with_its_reason(bad: str) -> None:
    line = switch(START, FSRS).to_json()
    field = bad.split(":")[0]
    start = line.index(field)
    end = line.index(",", start) if field != '"weights"' else line.index(",\"fuzz\"", start)
    from recall.reviewlog.events import BadEvent

    with pytest.raises(BadEvent):
        from_json(line[:start] + bad + line[end:], "log:3")


HISTORY = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 200), st.integers(0, 5), st.integers(0, 23)),
    min_size=1, max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(HISTORY, st.lists(st.integers(0, 220), min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_switching_never_moves_a_due_day_and_every_device_replays_alike(
    grades: list[tuple[str, int, int, int]], switch_days: list[int], shuffle: random.Random
) -> None:
    """For random histories with switches SM-2 → FSRS → SM-2 … at random days: right after each
    switch every highlight's due day is what it was just before it; and the same events in any
    order (another device's delivery) replay to the same states."""
    events = [grade(key, START + timedelta(days=d, hours=h), g) for key, d, g, h in grades]
    chosen = [FSRS, SM2, replace(FSRS, retention=0.8)]
    switches = [switch(START + timedelta(days=d, hours=3, minutes=i), chosen[i % 3])
                for i, d in enumerate(sorted(switch_days))]
    everything = events + switches
    for one in switches:
        before = [e for e in everything if e.order < one.order]
        ahead, behind = replay(before), replay([*before, one])
        for key in "abc":
            assert behind.state(key).due == ahead.state(key).due
    shuffled = list(everything)
    shuffle.shuffle(shuffled)
    assert replay(shuffled).states == replay(everything).states


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 5), st.integers(-3, 60)), min_size=1, max_size=15),
       st.booleans(), st.randoms(use_true_random=False))
def test_balanced_grades_keep_their_recorded_day_in_range_on_every_device(
    grades: list[tuple[int, int, int]], under_fsrs: bool, shuffle: random.Random
) -> None:
    """Balance: each grade's due day is the day its device recorded when the replay's range holds it,
    else the interval's own day; any delivery order replays the same days."""
    balanced = replace(FSRS if under_fsrs else SM2, balance=True)
    events = [switch(START - timedelta(days=1), balanced)]
    for offset, value, recorded in grades:
        at = START + timedelta(days=offset)
        events.append(event(EventType.GRADE, "k", at, grade=value,
                            after=Snapshot(due=(at + timedelta(days=recorded)).date())))
    result = replay(events)
    for applied in result.applied:
        if applied.kind is ReviewKind.REVIEW:
            assert applied.after.due is not None
            interval = applied.after.interval if not under_fsrs else None
            if interval is not None:  # SM-2: within ±5 % of its exact interval
                first, last = spread(interval, balanced)
                assert first <= (applied.after.due - applied.event.day).days <= last
            recorded = applied.event.after.due
            assert recorded is not None
            if applied.after.due != recorded:  # not kept: out of the range
                assert graded(applied.before, applied.event.grade or 0, applied.event.day, balanced, "k").due \
                    == applied.after.due
    shuffled = list(events)
    shuffle.shuffle(shuffled)
    assert replay(shuffled).states == result.states
