"""A source's frequency through the replay of the review log (issue 14): the level in effect at a
grade shapes that grade's due day and nothing before it, under SM-2 and FSRS, and every device
replays the same events, in whatever order they arrive, to the same states."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from logsim import event, study_day

from recall import sm2
from recall.frequency import Level, event_key, sm2_days
from recall.reviewlog.events import COLLECTION_KEY, Event, EventType, Snapshot
from recall.reviewlog.replay import replay
from recall.scheduler_settings import SchedulerName, SchedulerSettings
from recall.scheduling import graded

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BOOK, ESSAY = event_key("book\x1fauthor"), event_key("essay\x1f")
SOURCES = {"a": BOOK, "b": BOOK, "c": ESSAY}
FSRS = SchedulerSettings(SchedulerName.FSRS)


def source_of(key: str) -> str | None:
    return SOURCES.get(key)


def level(source: str, at: datetime, value: Level, device: str = "dev-a", id: uuid.UUID | None = None) -> Event:
    return Event(
        id=id or uuid.uuid4(), type=EventType.FREQUENCY, at=at, day=study_day(at), tz="UTC", rollover=4, device=device,
        key=source, before=Snapshot(), after=Snapshot(), level=value,
    )


def switch(at: datetime, settings: SchedulerSettings) -> Event:
    return Event(
        id=uuid.uuid4(), type=EventType.SCHEDULER, at=at, day=study_day(at), tz="UTC", rollover=4, device="dev-a",
        key=COLLECTION_KEY, before=Snapshot(), after=Snapshot(), settings=settings,
    )


def grade(key: str, at: datetime, value: int, device: str = "dev-a") -> Event:
    return event(EventType.GRADE, key, at, grade=value, device=device)


def day(offset: int) -> datetime:
    return START + timedelta(days=offset)


def test_the_level_shapes_only_the_grades_after_it() -> None:
    events = [grade("a", day(0), 4), grade("a", day(1), 4)]  # intervals 1, then 6: due day 7
    before = replay(events, source_of=source_of).state("a")
    assert (before.interval, before.due) == (6, day(7).date())
    events.append(level(BOOK, day(2), Level.LESS))
    after = replay(events, source_of=source_of)
    assert after.state("a") == before and after.levels == {BOOK: Level.LESS}  # no due day moved
    events.append(grade("a", day(7), 4))  # SM-2: ceil(6 x 2.5) = 15 days, times 2
    shaped = replay(events, source_of=source_of).state("a")
    assert (shaped.repetitions, shaped.interval, shaped.due) == (3, 15, day(37).date())
    unshaped = replay(events).state("a")  # without sources every grade is normal
    assert (unshaped.interval, unshaped.due) == (15, day(22).date())


def test_each_grade_takes_the_level_then_in_effect_and_only_its_sources() -> None:
    events = [grade("a", day(0), 4), grade("c", day(0), 4), level(BOOK, day(0) + timedelta(hours=1), Level.RARELY),
              grade("a", day(1), 4), grade("c", day(1), 4), level(BOOK, day(2), Level.MORE), grade("b", day(3), 4)]
    result = replay(events, source_of=source_of)
    assert result.state("a").due == day(1 + 24).date()  # rarely: 6 x 4
    assert result.state("c").due == day(1 + 6).date()  # the essay is normal
    assert result.state("b").due == day(3 + 1).date()  # more: ceil(1 x 0.5) = 1, at least a day
    assert [e.level for e in result.frequencies] == [Level.RARELY, Level.MORE] and result.level(BOOK) is Level.MORE


def test_undoing_a_level_schedules_the_grades_after_it_as_before() -> None:
    less = level(BOOK, day(1) - timedelta(hours=1), Level.LESS)
    events = [grade("a", day(0), 4), less, grade("a", day(1), 4)]
    assert replay(events, source_of=source_of).state("a").due == day(1 + 12).date()
    undo = event(EventType.UNDO, BOOK, day(1) + timedelta(hours=1), undoes=less.id)
    result = replay([*events, undo], source_of=source_of)
    assert result.state("a").due == day(1 + 6).date() and result.levels == {} and less.id in result.undone


def test_never_keeps_the_schedule_and_a_grade_given_meanwhile_is_scheduled_as_normal() -> None:
    events = [grade("a", day(0), 4), grade("a", day(1), 4)]
    kept = replay(events, source_of=source_of).state("a")
    events.append(level(BOOK, day(2), Level.NEVER))
    assert replay(events, source_of=source_of).state("a") == kept
    events.append(grade("a", day(7), 5))  # another device that had not heard of it yet
    assert replay(events, source_of=source_of).state("a").due == day(7 + 15).date()
    events.append(level(BOOK, day(8), Level.NORMAL))
    assert replay(events, source_of=source_of).levels == {BOOK: Level.NORMAL}


def test_under_fsrs_the_grade_is_scheduled_at_the_sources_retention() -> None:
    events = [switch(day(0) - timedelta(hours=2), FSRS), grade("a", day(0), 4), level(BOOK, day(1), Level.LESS),
              grade("a", day(9), 4)]
    result = replay(events, source_of=source_of).state("a")
    first = graded(Snapshot(), 4, day(0).date(), FSRS, "a")
    assert result == graded(first, 4, day(9).date(), FSRS, "a", Level.LESS)
    assert result.due != graded(first, 4, day(9).date(), FSRS, "a").due
    assert result.interval == sm2.review(sm2.review(sm2.SM2State(), 4), 4).interval  # SM-2's numbers move on


HISTORY = st.lists(
    st.tuples(st.sampled_from("abc"), st.integers(0, 120), st.integers(0, 5), st.integers(0, 23), st.booleans()),
    min_size=1, max_size=25,
)
LEVELS = st.lists(
    st.tuples(st.sampled_from([BOOK, ESSAY]), st.integers(0, 130), st.sampled_from(Level), st.booleans()),
    min_size=1, max_size=5,
)


@settings(max_examples=80, deadline=None)
@given(HISTORY, LEVELS, st.booleans(), st.randoms(use_true_random=False))
def test_levels_never_move_a_due_day_and_every_device_replays_alike(
    grades: list[tuple[str, int, int, int, bool]], levels: list[tuple[str, int, Level, bool]], under_fsrs: bool,
    shuffle: random.Random,
) -> None:
    """Two devices grade and set levels; the events reach each other in any order: right before and
    after every level event each highlight's state is the same, and every delivery order replays to
    the same states and levels. Each grade's due day is that of the level in effect (SM-2)."""
    devices = ("laptop", "phone")
    events = [grade(key, day(d) + timedelta(hours=h), g, devices[other]) for key, d, g, h, other in grades]
    events += [level(source, day(d) + timedelta(hours=5, minutes=i), value, devices[other])
               for i, (source, d, value, other) in enumerate(levels)]
    if under_fsrs:
        events.append(switch(START - timedelta(days=1), FSRS))
    every = replay(events, source_of=source_of)
    for one in every.frequencies:
        earlier = [e for e in events if e.order < one.order]
        assert replay(earlier, source_of=source_of).states == replay([*earlier, one], source_of=source_of).states
    for _ in range(3):
        shuffled = list(events)
        shuffle.shuffle(shuffled)
        again = replay(shuffled, source_of=source_of)
        assert (again.states, again.levels) == (every.states, every.levels)
    if not under_fsrs:
        for applied in every.applied:
            if applied.kind is not None and applied.kind.value == "review":
                earlier = [e for e in events if e.order < applied.event.order]
                in_effect = replay(earlier, source_of=source_of).level(source_of(applied.event.key))
                assert applied.after.due == applied.event.day + timedelta(days=sm2_days(applied.after.interval, in_effect))
