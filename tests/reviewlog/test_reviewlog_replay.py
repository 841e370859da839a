"""Replaying events: exact SM-2, the same-day rule across devices, undo as compensation."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from logsim import START, Device, event

from recall.reviewlog.events import EventType, Snapshot
from recall.reviewlog.replay import merge, replay
from recall.sm2 import SM2State, easiness_to_hundredths, review
from recall.vocabulary import ReviewKind

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def sm2(*grades: int) -> tuple[int, int, int]:
    state = SM2State()
    for grade in grades:
        state = review(state, grade)
    return state.repetitions, easiness_to_hundredths(state.easiness), state.interval


def numbers(state: Snapshot) -> tuple[int, int, int]:
    return state.repetitions, state.easiness, state.interval


def test_grades_on_successive_days_follow_sm2_exactly() -> None:
    at = [START, START + DAY, START + 7 * DAY, START + 30 * DAY]
    grades = [5, 4, 3, 5]
    result = replay([event(EventType.GRADE, "rw:1", t, grade=g) for t, g in zip(at, grades, strict=True)])
    assert numbers(result.state("rw:1")) == sm2(*grades)
    assert result.state("rw:1").due == date(2026, 3, 31) + timedelta(days=sm2(*grades)[2])
    assert [a.kind for a in result.applied] == [ReviewKind.REVIEW] * 4
    assert result.state("rw:2") == Snapshot()


def test_a_second_grade_the_same_study_day_is_a_drill() -> None:
    first = event(EventType.GRADE, "rw:1", START, grade=2)
    again = event(EventType.GRADE, "rw:1", START + HOUR, grade=5, kind=ReviewKind.DRILL)
    after_midnight = event(EventType.GRADE, "rw:1", START + 14 * HOUR, grade=5, kind=ReviewKind.DRILL)  # 02:00: same day
    result = replay([after_midnight, again, first])
    assert [a.kind for a in result.applied] == [ReviewKind.REVIEW, ReviewKind.DRILL, ReviewKind.DRILL]
    assert numbers(result.state("rw:1")) == sm2(2)
    assert result.reclassified == []  # (these hand-made events record no states, so they "diverge")


def _two_devices_grade_before_syncing(a_first: bool) -> tuple[Device, Device, list]:
    a, b = Device("a"), Device("b")
    a_at, b_at = (START, START + HOUR) if a_first else (START + HOUR, START)
    graded_a = a.act(EventType.GRADE, "rw:1", a_at, grade=5)
    graded_b = b.act(EventType.GRADE, "rw:1", b_at, grade=1)
    assert graded_a.kind == graded_b.kind == ReviewKind.REVIEW  # neither knew of the other
    return a, b, [graded_a, graded_b]


def test_same_day_on_two_devices_the_earlier_instant_moves_the_schedule_either_way_round() -> None:
    for a_first in (True, False):
        a, b, (graded_a, graded_b) = _two_devices_grade_before_syncing(a_first)
        earlier, later = (graded_a, graded_b) if a_first else (graded_b, graded_a)
        a.receive(b.own)
        b.receive(a.own)
        on_a, on_b = replay(a.known.values()), replay(b.known.values())
        assert on_a.states == on_b.states
        assert on_a.applied == on_b.applied
        assert [(x.event.id, x.kind) for x in on_a.applied] == [(earlier.id, ReviewKind.REVIEW),
                                                                  (later.id, ReviewKind.DRILL)]
        assert numbers(on_a.state("rw:1")) == sm2(earlier.grade or 0)
        assert [x.event.id for x in on_a.reclassified] == [later.id]


def test_undo_takes_back_a_grade_as_if_it_never_happened() -> None:
    device = Device("a")
    device.act(EventType.GRADE, "rw:1", START, grade=5)
    second = device.act(EventType.GRADE, "rw:1", START + DAY, grade=3)
    undo = device.undo_last(START + DAY + HOUR)
    assert undo is not None and undo.undoes == second.id and undo.key == "rw:1"
    result = replay(device.known.values())
    assert result.undone == {second.id}
    assert numbers(result.state("rw:1")) == sm2(5) and result.state("rw:1").due == date(2026, 3, 2)
    assert [a.event.grade for a in result.applied] == [5]
    assert undo.after == result.state("rw:1")  # what the writer recorded is what the replay finds


def test_after_undoing_the_days_review_the_next_grade_that_day_is_the_review() -> None:
    device = Device("a")
    first = device.act(EventType.GRADE, "rw:1", START, grade=1)
    device.undo_last(START + HOUR)
    regrade = device.act(EventType.GRADE, "rw:1", START + 2 * HOUR, grade=4)
    assert regrade.kind == ReviewKind.REVIEW
    result = replay(device.known.values())
    assert result.undone == {first.id} and numbers(result.state("rw:1")) == sm2(4)


def test_undo_of_skip_discard_and_favourite_puts_each_mark_back() -> None:
    device = Device("a")
    for type in (EventType.FAVORITE, EventType.SKIP, EventType.DISCARD):
        device.act(type, "rw:1", START)
    marked = replay(device.known.values()).state("rw:1")
    assert (marked.favorite, marked.skipped_until, marked.discarded) == (True, date(2026, 3, 1), True)
    for _ in range(3):
        device.undo_last(START + HOUR)
    assert replay(device.known.values()).state("rw:1") == Snapshot()


def test_an_undone_undo_gives_the_event_back() -> None:
    grade = event(EventType.GRADE, "rw:1", START, grade=5)
    undo = event(EventType.UNDO, "rw:1", START + HOUR, undoes=grade.id)
    redo = event(EventType.UNDO, "rw:1", START + 2 * HOUR, undoes=undo.id)
    assert numbers(replay([grade, undo]).state("rw:1")) == (0, 250, 0)
    assert numbers(replay([redo, grade, undo]).state("rw:1")) == sm2(5)


def test_an_undo_that_arrives_before_its_target_waits_for_it() -> None:
    grade = event(EventType.GRADE, "rw:1", START, grade=5)
    undo = event(EventType.UNDO, "rw:1", START + HOUR, undoes=grade.id)
    early = replay([undo])
    assert early.states == {} and [(e.id, "not in the log") for e, why in early.unmatched if "not in the log" in why] == [
        (undo.id, "not in the log")
    ]
    assert replay([undo, grade]).state("rw:1") == Snapshot() and replay([undo, grade]).unmatched == []


def test_an_undo_naming_another_highlights_event_does_nothing() -> None:
    grade = event(EventType.GRADE, "rw:1", START, grade=5)
    wrong = event(EventType.UNDO, "rw:2", START + HOUR, undoes=grade.id)
    result = replay([grade, wrong])
    assert numbers(result.state("rw:1")) == sm2(5) and result.undone == set()
    assert "another highlight" in result.unmatched[0][1]


def test_a_review_ends_a_skip_and_marks_never_touch_the_schedule() -> None:
    skip = event(EventType.SKIP, "rw:1", START)
    grade = event(EventType.GRADE, "rw:1", START + DAY, grade=4)
    result = replay([skip, grade, event(EventType.DISCARD, "rw:1", START + 2 * DAY),
                     event(EventType.RESTORE, "rw:1", START + 3 * DAY),
                     event(EventType.FAVORITE, "rw:1", START + 3 * DAY)])
    state = result.state("rw:1")
    assert state.skipped_until is None and not state.discarded and state.favorite
    assert numbers(state) == sm2(4) and state.due == date(2026, 3, 3)


def test_copies_count_once_and_a_clash_of_ids_keeps_one_whatever_the_order() -> None:
    grade = event(EventType.GRADE, "rw:1", START, grade=5)
    clash = event(EventType.GRADE, "rw:1", START, grade=0, id=grade.id)
    one = replay([grade, grade, grade])
    assert len(one.applied) == 1 and one.conflicts == []
    forwards, backwards = merge([grade, clash]), merge([clash, grade])
    assert forwards == backwards and len(forwards[0]) == 1 and len(forwards[1]) == 1
    assert replay([grade, clash]).states == replay([clash, grade]).states


def test_an_event_from_the_future_is_kept_and_flagged() -> None:
    now = START + 10 * DAY
    soon = event(EventType.GRADE, "rw:1", now + 20 * HOUR, grade=5)
    skewed = event(EventType.GRADE, "rw:2", now + 2 * DAY, grade=5)
    result = replay([soon, skewed], now=now)
    assert result.future == [skewed]
    assert numbers(result.state("rw:2")) == sm2(5)


def test_a_recorded_state_that_disagrees_with_the_replay_is_reported() -> None:
    honest = event(EventType.GRADE, "rw:1", START, grade=5, after=Snapshot(1, 260, 1, date(2026, 3, 2)))
    lying = event(EventType.GRADE, "rw:2", START, grade=5, after=Snapshot(1, 260, 9, date(2026, 3, 10)))
    result = replay([honest, lying])
    assert [a.event.id for a in result.diverged] == [lying.id]
    assert result.state("rw:2").interval == 1  # the replay never trusts the recorded state


def test_the_replay_order_is_study_day_then_instant_then_id() -> None:
    ids = sorted((uuid.uuid4() for _ in range(2)), key=str)
    tie = [event(EventType.GRADE, "rw:1", START, grade=g, id=i) for g, i in zip((1, 5), ids, strict=True)]
    assert [a.event.grade for a in replay(reversed(tie)).applied] == [1, 5]
    # 02:00 UTC on the 2nd counts for the 1st (rollover 04:00): replayed before the 2nd's noon
    late_night = event(EventType.GRADE, "rw:2", START + 14 * HOUR, grade=1)
    assert late_night.day == date(2026, 3, 1)
