"""The grade keys' preview: the same exact SM-2 step as the grade itself, and the notice's wording."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from recall import fsrs
from recall.reviewlog.events import Snapshot
from recall.scheduler.preview import comes_back, outcomes
from recall.scheduler_settings import SchedulerName, SchedulerSettings
from recall.scheduling import graded
from recall.sm2 import SM2State, due_day, review

DAY = date(2026, 6, 8)


def test_each_outcome_is_the_sm2_review_of_that_grade() -> None:
    state = SM2State(2, Decimal("2.36"), 6)
    found = outcomes(Snapshot(2, 236, 6, DAY), range(6), DAY, drill=False)
    for grade, outcome in found.items():
        after = review(state, grade)
        assert (outcome.interval, outcome.due) == (after.interval, due_day(DAY, after.interval))
        assert outcome.moves_schedule and outcome.again_today == (grade < 4)
    assert [found[g].label() for g in range(6)] == ["1d", "1d", "1d", "15d", "15d", "15d"]


def test_without_drills_nothing_comes_back_today() -> None:
    found = outcomes(Snapshot(), (2, 5), DAY, drill=False, drills=False)
    assert not found[2].again_today and not found[5].again_today


def test_a_drill_keeps_the_schedule_and_says_again_or_done() -> None:
    due = date(2026, 6, 23)
    found = outcomes(Snapshot(3, 250, 15, due), (2, 3, 4, 5), DAY, drill=True)
    assert {g: o.label() for g, o in found.items()} == {2: "again", 3: "again", 4: "done", 5: "done"}
    assert all(o.due == due and o.interval == 15 and not o.moves_schedule for o in found.values())


def test_under_fsrs_each_key_shows_the_days_until_the_due_day_the_grade_sets() -> None:
    """The keys promise what the grade does under FSRS: its due day, and the days until it."""
    settings = SchedulerSettings(SchedulerName.FSRS)
    memory = fsrs.memory_state([(date(2026, 5, 1), 4), (date(2026, 5, 20), 4)])
    assert memory is not None
    state = Snapshot(2, 250, 6, memory.due, stability=memory.stability, difficulty=memory.difficulty,
                     reviewed=memory.reviewed)
    found = outcomes(state, range(2, 6), DAY, drill=False, settings=settings, key="k")
    for grade, outcome in found.items():
        after = graded(state, grade, DAY, settings, "k")
        assert outcome.due == after.due and outcome.interval == (after.due - DAY).days
    assert found[2].interval < found[3].interval < found[4].interval < found[5].interval


def test_the_notice_names_the_day_and_the_year_when_it_is_another() -> None:
    assert comes_back(date(2026, 6, 23), DAY) == "next: in 15 days, Tue 23 Jun"
    assert comes_back(date(2026, 6, 9), DAY, again_today=True) == "next: tomorrow, Tue 9 Jun; again later today"
    assert comes_back(date(2027, 1, 4), DAY) == "next: in 210 days, Mon 4 Jan 2027"


def test_a_due_day_beyond_the_calendar_saturates() -> None:
    assert due_day(date(9999, 12, 1), 400) == date.max


def test_each_key_shows_the_days_its_sources_frequency_gives() -> None:
    """A source at ``less`` doubles the days every passing key shows (the interval the grade really
    sets), ``more`` halves them, rounded up; under FSRS each key takes the level's retention."""
    from recall.frequency import Level

    state = Snapshot(2, 236, 6, DAY)
    labels = {level: {g: o.label() for g, o in outcomes(state, range(6), DAY, drill=False, level=level).items()}
              for level in (Level.MORE, Level.LESS, Level.RARELY)}
    assert labels[Level.LESS] == {0: "2d", 1: "2d", 2: "2d", 3: "30d", 4: "30d", 5: "30d"}
    assert labels[Level.MORE] == {0: "1d", 1: "1d", 2: "1d", 3: "8d", 4: "8d", 5: "8d"}
    assert labels[Level.RARELY][4] == "60d"
    fsrs_on = SchedulerSettings(SchedulerName.FSRS)
    remembered = graded(Snapshot(), 4, date(2026, 6, 1), fsrs_on, "k")
    for level in (Level.MORE, Level.LESS):
        found = outcomes(remembered, (4,), DAY, drill=False, settings=fsrs_on, key="k", level=level)
        assert found[4].due == graded(remembered, 4, DAY, fsrs_on, "k", level).due
