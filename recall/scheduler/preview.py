"""What each grade would do to a highlight now: the interval and due day behind every grade key.

The review shows these on its keys before the user grades (Anki shows the next interval on
each answer button); they come from the same step as the grade itself
(``recall.scheduling.graded``: exact SM-2, docs/sm2.md, or FSRS), so a key never promises what
the grade does not do. Pure: no database, no clock (the study day is given).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from recall.frequency import FACTORS, Level
from recall.reviewlog.events import Snapshot
from recall.scheduler_settings import SM2, SchedulerSettings
from recall.scheduling import Load, graded
from recall.vocabulary import DRILL_PASS_GRADE


@dataclass(frozen=True)
class Outcome:
    """What one grade would do: the interval (days) and due study day it sets, and whether the
    highlight comes back again today as a drill (SM-2 step 7: graded below 4)."""

    grade: int
    interval: int
    due: date
    again_today: bool
    moves_schedule: bool  # False for a drill: the day's first grade already set the schedule

    def label(self) -> str:
        """The key's short form: "15d" (days until due), "again" for a drill graded below 4,
        "done" for a drill that passes."""
        if not self.moves_schedule:
            return "again" if self.again_today else "done"
        return f"{self.interval}d"


def outcomes(
    state: Snapshot, grades: Iterable[int], day: date, *, drill: bool, drills: bool = True,
    settings: SchedulerSettings = SM2, key: str = "", level: Level = Level.NORMAL, load: Load | None = None,
) -> dict[int, Outcome]:
    """For each of ``grades`` (0-5), what grading the highlight ``key`` in ``state`` on study day
    ``day`` would do under the collection's scheduler ``settings``, its source at frequency ``level``.

    ``drill`` says the day's first grade was already given (the schedule stays, only a drill is
    logged); ``drills`` is the setting that brings highlights graded below 4 back the same day.
    ``level`` is the frequency of its source; ``load`` places a balanced grade as the grade will
    (``recall.scheduling.placed``). The interval is the days from ``day`` to the due day the grade
    sets (SM-2's own interval at ``normal``, unbalanced). Raises
    ``ValueError`` for a grade outside 0-5 (``recall.sm2.check_grade``).
    """
    result = {}
    for grade in grades:
        again = drills and grade < DRILL_PASS_GRADE
        if drill:
            result[grade] = Outcome(grade, state.interval, state.due or day, again, moves_schedule=False)
            continue
        after = graded(state, grade, day, settings, key, level, load=load)
        assert after.due is not None  # a review always sets one
        # SM-2's own (a due day saturates at the calendar's end)
        exact = not settings.fsrs and FACTORS[level] == 1 and not settings.balance
        interval = after.interval if exact else (after.due - day).days
        result[grade] = Outcome(grade, interval, after.due, again, moves_schedule=True)
    return result


def comes_back(due: date, day: date, again_today: bool = False) -> str:
    """The notice after a grade on study day ``day`` that set due day ``due``: "next: in 15 days,
    Tue 23 Jun", "next: tomorrow, Wed 24 Jun" (the year added when it is not ``day``'s), with
    "; again later today" when it is drilled first."""
    days = (due - day).days
    when = "today" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"
    text = f"next: {when}, {due:%a} {due.day} {due:%b}" + (f" {due.year}" if due.year != day.year else "")
    return text + ("; again later today" if again_today else "")
