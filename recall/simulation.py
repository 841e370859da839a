"""The coming days under SM-2 and under FSRS, simulated on the user's own collection (issue 14,
``recall compare``): pure functions, no storage, no clock.

What is simulated, day by day from ``Collection.today`` for ``horizon`` study days:

- **The daily queue**, as ``recall.scheduler.queue`` builds it: every highlight due that day or
  overdue, most overdue first, at most ``reviews_per_day`` of them (the rest wait, counted as the
  day's ``backlog``), then up to ``new_per_day`` new highlights while the review limit leaves room.
  Every highlight of the queue is reviewed the day it is in it; today's limits count what was done
  today already (``reviewed_today``, ``new_today``).
- **Memory**, the same for both schedulers: FSRS's model (``recall.fsrs``, with ``parameters``'s
  weights) is taken as the truth. A highlight's memory state starts as
  ``recall.fsrs.memory_state`` of its own history (``Scheduled.memory``, as a switch to FSRS will
  compute it) and is updated, through ``recall.fsrs.review``, by every simulated review, whichever
  scheduler set the day.
- **The grades**: a highlight with a memory state is recalled with the probability its
  retrievability gives on the day of the review (one draw of a seeded ``random.Random``); recalled,
  its grade is drawn from the user's own passing grades (3-5) of later reviews; forgotten, from
  their failing grades (0-2). A first review (a new highlight, or one whose history predates the
  review log) has no memory state to ask, so its grade is drawn from the user's own first grades
  (``GradeSpread``). With no grades of a kind to draw from: Good (4) for a pass and a first
  review, Again (2, the Again key of the default four-key preset) for a failure.
- **The schedule**: under SM-2 each grade moves the highlight's SM-2 state through
  ``recall.sm2.review`` (intervals exactly as recall schedules them, from the state on its row);
  under FSRS the due day is the one ``recall.fsrs.review`` sets at ``parameters``'s desired
  retention. Both start from the due days the highlights have now: a switch to FSRS never
  reschedules (``recall.scheduler.switch``); FSRS schedules from each highlight's next review.

Not simulated: same-day drills (logged, never scheduling: FSRS never sees them, and they do not
move SM-2 either), skips and discards to come, a session left unfinished, reviewing ahead.

The same seed gives the same output. Cost: one ``recall.fsrs.review`` (~30 µs) per simulated
review, memoised on what it depends on (stability, difficulty, days since the last review, grade:
the many highlights that follow the same path share it), as SM-2's steps are; the queue is a
list of highlights per due day and a backlog in due order, so a review costs O(1) whatever the
collection's size, and new highlights are only a count until the day they are introduced.

The grades and the memoised steps are ``recall.simulation_model``'s; what a run reports,
``recall.simulation_outcome``'s.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Final

from recall import fsrs
from recall.fsrs import FSRSParameters, FSRSState
from recall.simulation_model import AGAIN, GOOD, GradeDraw, GradeSpread, Memory, sm2_step
from recall.simulation_outcome import Outcome
from recall.sm2 import SM2State
from recall.vocabulary import MAX_GRADE, MIN_GRADE, PASS_GRADE

SCHEDULERS: Final = ("sm2", "fsrs")
"""The schedulers compared, by the values of the setting ``scheduler``."""


@dataclass(frozen=True, slots=True)
class Scheduled:
    """A highlight already scheduled, as it stands today: its SM-2 ``state`` and ``due`` study day
    (as on its row), its FSRS ``memory`` (``recall.fsrs.memory_state`` of its 'review' rows; None
    when it has none, a history older than the review log) and ``not_before``, the first study day
    it may be reviewed (the day after a skip; None when it is not skipped)."""

    state: SM2State
    due: date
    memory: FSRSState | None = None
    not_before: date | None = None


@dataclass(frozen=True)
class Collection:
    """What the simulation starts from on study day ``today``: the highlights already ``scheduled``,
    how many are ``new`` (never reviewed), both within the daily queue's reach (in the library and
    past its quality filter), the daily limits (``reviews_per_day`` None: no limit) with what today
    has already used of them, and the user's ``grades``."""

    today: date
    scheduled: Sequence[Scheduled] = ()
    new: int = 0
    new_per_day: int = 10
    reviews_per_day: int | None = None
    reviewed_today: int = 0
    new_today: int = 0
    grades: GradeSpread = field(default_factory=GradeSpread)

    def __post_init__(self) -> None:
        for name in ("new", "new_per_day", "reviewed_today", "new_today"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}")
        if self.reviews_per_day is not None and self.reviews_per_day < 0:
            raise ValueError(f"reviews_per_day must be >= 0 or None, got {self.reviews_per_day}")


def _offset(day: date, today: date) -> int:
    return (day - today).days


def simulate(
    collection: Collection, scheduler: str, parameters: FSRSParameters = fsrs.DEFAULT, horizon: int = 365,
    seed: int = 0, checkpoints: Iterable[int] = (), done: Callable[[int], None] | None = None,
) -> Outcome:
    """``collection`` over ``horizon`` study days (from ``collection.today``) under ``scheduler``
    ("sm2" or "fsrs"), the memory model and FSRS's schedule from ``parameters``, grades drawn with
    ``random.Random(seed)``; ``checkpoints`` (numbers of days, 1 to ``horizon``) are where the
    retention is measured (see the module docstring for the model). ``done`` is called with the
    number of days simulated after each day (a progress bar)."""
    if scheduler not in SCHEDULERS:
        raise ValueError(f"scheduler must be one of {', '.join(SCHEDULERS)}, got {scheduler!r}")
    if horizon < 1:
        raise ValueError(f"the horizon must be at least 1 day, got {horizon}")
    try:
        collection.today + timedelta(days=horizon)
    except OverflowError:
        raise ValueError(f"{horizon} days from {collection.today} run past the calendar's end") from None
    marks = sorted(set(checkpoints))
    if any(not 0 < mark <= horizon for mark in marks):
        raise ValueError(f"checkpoints must be from 1 to {horizon} days, got {marks}")

    today, under_sm2 = collection.today, scheduler == "sm2"
    memory, rng = Memory(parameters), random.Random(seed)
    spread = collection.grades
    draw_first = GradeDraw(spread.first, range(MIN_GRADE, MAX_GRADE + 1), GOOD)
    if not any(spread.first):
        draw_first = GradeDraw(spread.later, range(MIN_GRADE, MAX_GRADE + 1), GOOD)
    draw_pass = GradeDraw(spread.later, range(PASS_GRADE, MAX_GRADE + 1), GOOD)
    draw_fail = GradeDraw(spread.later, range(MIN_GRADE, PASS_GRADE), AGAIN)

    # One slot per highlight: SM-2 state, memory (stability, difficulty, day of the last review as
    # an offset from today; None: no memory state yet). New highlights get a slot when introduced.
    states: list[SM2State] = []
    stability: list[float] = []
    difficulty: list[float] = []
    last: list[int | None] = []
    buckets: list[list[int]] = [[] for _ in range(horizon)]
    overdue: list[tuple[int, int]] = []  # (due offset <= 0, slot)
    for slot, highlight in enumerate(collection.scheduled):
        states.append(highlight.state)
        known = highlight.memory
        if known is None:
            stability.append(0.0)
            difficulty.append(0.0)
            last.append(None)
            due = highlight.due
        else:
            stability.append(known.stability)
            difficulty.append(known.difficulty)
            last.append(_offset(known.reviewed, today))
            due = highlight.due
        offset = _offset(due, today)
        if highlight.not_before is not None:
            offset = max(offset, _offset(highlight.not_before, today))
        if known is not None:  # one review a study day: a second one that day would be a drill
            offset = max(offset, _offset(known.reviewed, today) + 1)
        if offset <= 0:
            overdue.append((offset, slot))
        elif offset < horizon:
            buckets[offset].append(slot)
    overdue.sort()
    backlog = deque(slot for _, slot in overdue)

    reviews, new, lapses, asked, recalled, waiting = ([0] * horizon for _ in range(6))
    retention: dict[int, float | None] = {}
    new_left = collection.new
    limit = collection.reviews_per_day
    mark_at = iter(marks)
    next_mark = next(mark_at, None)

    def schedule(slot: int, day: int, grade: int, interval: int) -> None:
        if under_sm2:
            state = states[slot] = sm2_step(states[slot], grade)
            interval = state.interval
        if day + interval < horizon:
            buckets[day + interval].append(slot)

    for day in range(horizon):
        if day:
            backlog.extend(buckets[day])
        room = len(backlog) if limit is None else max(0, limit - (collection.reviewed_today if day == 0 else 0))
        for _ in range(min(room, len(backlog))):
            slot = backlog.popleft()
            seen = last[slot]
            if seen is None:
                grade = draw_first(rng)
                stability[slot], difficulty[slot], interval = memory.first(grade)
            else:
                elapsed = day - seen
                asked[day] += 1
                if rng.random() < memory.retrievability(stability[slot], difficulty[slot], elapsed):
                    grade = draw_pass(rng)
                    recalled[day] += 1
                else:
                    grade = draw_fail(rng)
                    lapses[day] += 1
                stability[slot], difficulty[slot], interval = memory.step(
                    stability[slot], difficulty[slot], elapsed, grade
                )
            last[slot] = day
            reviews[day] += 1
            schedule(slot, day, grade, interval)
        allowed = collection.new_per_day - (collection.new_today if day == 0 else 0)
        if limit is not None:
            allowed = min(allowed, room - reviews[day])
        for _ in range(max(0, min(allowed, new_left))):
            slot = len(states)
            grade = draw_first(rng)
            states.append(SM2State())
            s, d, interval = memory.first(grade)
            stability.append(s)
            difficulty.append(d)
            last.append(day)
            new_left -= 1
            new[day] += 1
            reviews[day] += 1
            schedule(slot, day, grade, interval)
        waiting[day] = len(backlog)
        if done is not None:
            done(day + 1)
        while next_mark is not None and next_mark == day + 1:
            retention[next_mark] = _mean_retrievability(memory, stability, difficulty, last, day + 1)
            next_mark = next(mark_at, None)

    return Outcome(
        scheduler=scheduler, start=today, due_at_start=len(overdue), reviews=tuple(reviews), new=tuple(new),
        lapses=tuple(lapses), asked=tuple(asked), recalled=tuple(recalled), backlog=tuple(waiting), retention=retention,
    )


def _mean_retrievability(
    memory: Memory, stability: list[float], difficulty: list[float], last: list[int | None], day: int
) -> float | None:
    """The mean probability of recall on day offset ``day`` of every highlight with a memory state."""
    total, count = 0.0, 0
    for s, d, seen in zip(stability, difficulty, last, strict=True):
        if seen is not None:
            total += memory.retrievability(s, d, max(0, day - seen))
            count += 1
    return total / count if count else None


def compare(
    collection: Collection, parameters: FSRSParameters = fsrs.DEFAULT, horizon: int = 365, seed: int = 0,
    checkpoints: Iterable[int] = (), done: Callable[[str, int], None] | None = None,
) -> dict[str, Outcome]:
    """``simulate`` under each scheduler of ``SCHEDULERS``, with the same seed: {"sm2": …, "fsrs": …};
    ``done`` is called with the scheduler's name and the days simulated after each day."""
    marks = tuple(checkpoints)
    outcomes = {}
    for name in SCHEDULERS:
        each_day = None if done is None else partial(done, name)
        outcomes[name] = simulate(collection, name, parameters, horizon, seed, marks, each_day)
    return outcomes
