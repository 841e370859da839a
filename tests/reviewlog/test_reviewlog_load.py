"""The load tools' events in the replay (issue 14): a ``reschedule`` moves only the due day and only
while the highlight's schedule is the one it saw; a ``break`` changes no highlight; every device
replays them alike; the next grade after a move is computed exactly as without it (SM-2 and FSRS)."""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from logsim import Device, event, study_day

from recall.reviewlog.events import (
    COLLECTION_KEY,
    BadEvent,
    Event,
    EventType,
    RescheduleReason,
    Snapshot,
    from_json,
)
from recall.reviewlog.replay import replay
from recall.scheduler_settings import SM2, SchedulerName, SchedulerSettings

FSRS = SchedulerSettings(SchedulerName.FSRS)
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def at(days: float, hours: float = 0) -> datetime:
    return START + timedelta(days=days, hours=hours)


def grade(key: str, when: datetime, value: int, device: str = "dev-a") -> Event:
    return event(EventType.GRADE, key, when, grade=value, device=device)


def reschedule(key: str, when: datetime, seen: Snapshot, due: date,
               reason: RescheduleReason = RescheduleReason.POSTPONE, device: str = "dev-a") -> Event:
    return Event(
        id=uuid.uuid4(), type=EventType.RESCHEDULE, at=when, day=study_day(when), tz="UTC", rollover=4,
        device=device, key=key, before=seen, after=replace(seen, due=due), due=due, reason=reason,
    )


def collection(type: EventType, when: datetime, **fields: object) -> Event:
    return Event(
        id=uuid.uuid4(), type=type, at=when, day=study_day(when), tz="UTC", rollover=4, device="dev-a",
        key=COLLECTION_KEY, before=Snapshot(), after=Snapshot(), **fields,  # type: ignore[arg-type]
    )


def switch(when: datetime, chosen: SchedulerSettings) -> Event:
    return collection(EventType.SCHEDULER, when, settings=chosen)


# -- the events themselves -------------------------------------------------------------------------


def test_a_reschedule_and_a_break_are_v2_lines_that_round_trip() -> None:
    seen = Snapshot(2, 250, 6, date(2026, 3, 9))
    moved = reschedule("rw:1", at(8), seen, date(2026, 3, 11))
    line = json.loads(moved.to_json())
    assert line["v"] == 2 and (line["due"], line["reason"]) == ("2026-03-11", "postpone")
    assert list(line)[-4:] == ["due", "reason", "before", "after"]
    assert from_json(moved.to_json()) == moved
    taken = collection(EventType.BREAK, at(8), start=date(2026, 12, 20), end=date(2027, 1, 3))
    line = json.loads(taken.to_json())
    assert line["v"] == 2 and (line["key"], line["start"], line["end"]) == ("*", "2026-12-20", "2027-01-03")
    assert "before" not in line and from_json(taken.to_json()) == taken
    undone = event(EventType.UNDO, COLLECTION_KEY, at(9), undoes=taken.id)
    assert json.loads(undone.to_json())["v"] == 2  # an undo of the collection's: a v1 reader waits
    assert from_json(undone.to_json()) == undone


@pytest.mark.parametrize(("change", "reason"), [
    (lambda line: line.pop("due"), "missing due"),
    (lambda line: line.update(reason="vacation"), "reason must be one of postpone, advance, break"),
    (lambda line: line.update(due="2026-3-11"), "due must be a date"),
    (lambda line: line["before"].update(due=None), "before has one"),
    (lambda line: line.update(due=line["before"]["due"]), "is before.due already"),
    (lambda line: line.update(key="*"), "only a scheduler or break event"),
])
def test_a_bad_reschedule_is_refused_with_its_reason(change, reason: str) -> None:
    line = json.loads(reschedule("rw:1", at(8), Snapshot(2, 250, 6, date(2026, 3, 9)), date(2026, 3, 11)).to_json())
    change(line)
    with pytest.raises(BadEvent, match=reason):
        from_json(json.dumps(line), "log:7")


@pytest.mark.parametrize(("change", "reason"), [
    (lambda line: line.pop("end"), "missing end"),
    (lambda line: line.update(end="2026-12-19"), "ends on or after its start"),
    (lambda line: line.update(key="rw:1"), "its key is '\\*'"),
])
def test_a_bad_break_is_refused_with_its_reason(change, reason: str) -> None:
    line = json.loads(collection(EventType.BREAK, at(8), start=date(2026, 12, 20), end=date(2026, 12, 27)).to_json())
    change(line)
    with pytest.raises(BadEvent, match=reason):
        from_json(json.dumps(line), "log:7")


def test_only_a_reschedule_has_due_and_only_a_break_has_start() -> None:
    with pytest.raises(BadEvent, match="only a reschedule has due"):
        Event(id=uuid.uuid4(), type=EventType.SKIP, at=START, day=START.date(), tz="UTC", rollover=4, device="d",
              key="rw:1", before=Snapshot(), after=Snapshot(), due=date(2026, 3, 9))
    with pytest.raises(BadEvent, match="only a break has start"):
        collection(EventType.SCHEDULER, START, settings=SM2, start=START.date(), end=START.date())
    with pytest.raises(BadEvent, match="only a scheduler or break event"):
        event(EventType.SKIP, COLLECTION_KEY, START)


# -- the replay ------------------------------------------------------------------------------------


def test_a_reschedule_moves_only_the_due_day() -> None:
    history = [grade("k", at(0), 4), grade("k", at(1), 4)]
    seen = replay(history).state("k")
    assert seen.due == date(2026, 3, 8)
    moved = replay([*history, reschedule("k", at(8), seen, date(2026, 3, 10))])
    assert moved.state("k") == replace(seen, due=date(2026, 3, 10))
    assert moved.stale == [] and all(a.event.type is EventType.GRADE for a in moved.diverged)  # test grades: no states
    assert [a.event.type for a in moved.applied][-1] is EventType.RESCHEDULE  # not a grade: no reviews row


def test_a_reschedule_under_fsrs_keeps_the_memory_and_the_last_review_day() -> None:
    history = [switch(at(-1), FSRS), grade("k", at(0), 4), grade("k", at(3), 3)]
    seen = replay(history).state("k")
    assert seen.has_memory
    moved = replay([*history, reschedule("k", at(4), seen, seen.due + timedelta(days=2))]).state("k")
    assert (moved.stability, moved.difficulty, moved.reviewed) == (seen.stability, seen.difficulty, seen.reviewed)
    assert moved == replace(seen, due=seen.due + timedelta(days=2))


def test_a_grade_the_writer_did_not_see_makes_the_reschedule_stale() -> None:
    """Device B grades the highlight; device A, not synced, postpones it later (by instant): on both,
    the grade stands and the postpone is skipped, and listed as stale."""
    history = [grade("k", at(0), 4), grade("k", at(1), 4)]
    seen = replay(history).state("k")
    other = grade("k", at(7, 1), 5, device="dev-b")
    late = reschedule("k", at(7, 2), seen, date(2026, 3, 10))
    merged = replay([*history, other, late])
    assert merged.state("k") == replay([*history, other]).state("k")
    assert merged.stale == [late]
    # ordered before the grade, it applies, and the grade then schedules from SM-2's numbers as always
    early = reschedule("k", at(7, 0), seen, date(2026, 3, 10))
    assert replay([*history, early, other]).state("k") == replay([*history, other]).state("k")
    assert replay([*history, early, other]).stale == []


def test_marks_and_a_scheduler_switch_do_not_make_a_reschedule_stale() -> None:
    history = [grade("k", at(0), 4), grade("k", at(1), 4)]
    seen = replay(history).state("k")
    between = [event(EventType.FAVORITE, "k", at(6)), event(EventType.SKIP, "k", at(6, 1)), switch(at(6, 2), FSRS)]
    moved = replay([*history, *between, reschedule("k", at(7), seen, date(2026, 3, 12))])
    assert moved.stale == [] and moved.state("k").due == date(2026, 3, 12)


def test_an_undo_takes_a_reschedule_back_and_an_undo_of_it_gives_it_back() -> None:
    history = [grade("k", at(0), 4), grade("k", at(1), 4)]
    seen = replay(history).state("k")
    moved = reschedule("k", at(7), seen, date(2026, 3, 12))
    undo = event(EventType.UNDO, "k", at(7, 1), undoes=moved.id)
    assert replay([*history, moved, undo]).state("k") == seen
    assert moved.id in replay([*history, moved, undo]).undone
    again = event(EventType.UNDO, "k", at(7, 2), undoes=undo.id)
    assert replay([*history, moved, undo, again]).state("k").due == date(2026, 3, 12)


def test_a_break_changes_no_highlight_and_an_undo_takes_it_back() -> None:
    history = [grade("k", at(0), 4), grade("j", at(0), 2)]
    taken = collection(EventType.BREAK, at(1), start=date(2026, 3, 3), end=date(2026, 3, 9))
    with_break = replay([*history, taken])
    assert with_break.states == replay(history).states and with_break.breaks == [taken]
    undo = collection(EventType.UNDO, at(1, 1), undoes=taken.id)
    assert replay([*history, taken, undo]).breaks == [] and replay([*history, taken, undo]).unmatched == []


@pytest.mark.parametrize("chosen", [SM2, FSRS], ids=["sm2", "fsrs"])
@settings(max_examples=40, deadline=None)
@given(
    grades=st.lists(st.tuples(st.integers(1, 40), st.integers(0, 5)), min_size=1, max_size=6),
    shift=st.integers(-30, 30).filter(bool), last=st.integers(0, 5), wait=st.integers(1, 60),
)
def test_the_grade_after_a_move_is_computed_exactly_as_without_it(
    chosen: SchedulerSettings, grades: list[tuple[int, int]], shift: int, last: int, wait: int
) -> None:
    """A reschedule between two reviews changes nothing the next grade computes: SM-2 ignores
    lateness, FSRS counts the days since the last review, which a move leaves as they were."""
    days = sorted({d for d, _ in grades})
    history = [switch(at(-1), chosen), *(grade("k", at(d), g) for d, (_, g) in zip(days, grades, strict=False))]
    seen = replay(history).state("k")
    assert seen.due is not None
    moved = reschedule("k", at(days[-1], 2), seen, seen.due + timedelta(days=shift))
    final = grade("k", at(days[-1] + wait), last)
    assert replay([*history, moved, final]).state("k") == replay([*history, final]).state("k")


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from("ab"), st.sampled_from("xyz"), st.integers(0, 3), st.integers(0, 5),
                  st.integers(-5, 20)),
        min_size=1, max_size=30,
    ),
    syncs=st.lists(st.booleans(), min_size=30, max_size=30),
    shuffle=st.randoms(use_true_random=False),
)
def test_every_device_replays_moves_and_grades_alike_in_any_delivery_order(
    steps: list[tuple[str, str, int, int, int]], syncs: list[bool], shuffle: random.Random
) -> None:
    """Two devices grade and move three highlights (kind 0: a grade, 1: a postpone, 2: an advance,
    3: a break's move), syncing only now and then, so some moves are stale by the time they
    arrive; once every event has reached both, in any order, they replay to the same states, and
    every applied move changed only its highlight's due day."""
    devices = {"a": Device("a"), "b": Device("b")}
    clock = START
    for (name, key, kind, value, shift), sync in zip(steps, syncs, strict=False):
        clock += timedelta(hours=7)
        device = devices[name]
        if kind == 0:
            device.act(EventType.GRADE, key, clock, grade=value)
        else:
            view = replay(device.known.values()).state(key)
            if view.due is not None:
                device.reschedule(key, clock, view.due + timedelta(days=shift or 1), list(RescheduleReason)[kind - 1])
        if sync:
            devices["a"].receive(devices["b"].own)
            devices["b"].receive(devices["a"].own)
    everything = [*devices["a"].own, *devices["b"].own]
    orders = [list(everything) for _ in range(2)]
    for order in orders:
        shuffle.shuffle(order)
    first, second = (replay(order) for order in orders)
    assert first.states == second.states == replay(everything).states
    assert {e.id for e in first.stale} == {e.id for e in second.stale}
    for applied in first.applied:
        if applied.event.type is EventType.RESCHEDULE:
            assert applied.after == replace(applied.before, due=applied.event.due)
            assert applied.before.due == applied.event.before.due
