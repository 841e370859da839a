"""Which highlights the load tools move, and to which study day: pure, no I/O, no clock (issue 14).

``recall postpone``, ``recall advance`` (``recall.scheduler.postpone``) and ``recall break``
(``recall.scheduler.study_break``) pick and place highlights by these rules, which follow FSRS
Helper's own tools (the Anki add-on open-spaced-repetition/fsrs4anki-helper, read at commit
703c99f: ``schedule/postpone.py``, ``schedule/advance.py``, ``schedule/schedule_break.py``), in
whole study days. The rules only
choose due days: the review log records each move as a ``reschedule`` event, and SM-2's numbers
and the FSRS memory are never touched, so the next grade is computed as it would be without it.

A highlight's **interval** here is the one it is scheduled at, the days from its last review to
its due day (Anki's ``ivl``; under SM-2 it can differ from SM-2's own interval once a load tool
moved the day), and **elapsed** the days since its last review. Under FSRS (``Curve``: the
weights' decay and the desired retention) a highlight's lateness is measured by its
retrievability, as FSRS Helper does: ``(R^(-1/decay) - 1) / (DR^(-1/decay) - 1)`` is the elapsed
time over the time at which its retrievability falls to the desired retention (``Curve.ratio``);
under SM-2, which has no retrievability, by elapsed over the interval. Both are 1 on the due day.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

POSTPONE_LOOKAHEAD: Final = 0.075  # FSRS Helper ranks a postpone by lateness after ~7.5 % of the interval more
SAFE_POSTPONE: Final = 0.15  # … and counts as safe to postpone what is then at most 15 % late
SAFE_ADVANCE: Final = 0.13  # … and safe to advance what has at most 13 % of its interval left
MIN_SPREAD: Final = 2  # a break's load is spread over at least this many days after it
MAX_SPREAD: Final = 14  # … and by default at most this many (``recall break --spread`` takes up to 180)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A reviewed highlight the load tools may move: its row ``id``, identity ``key``, ``due`` day,
    the study day of its ``last`` review, and its FSRS ``stability`` (days; None under SM-2)."""

    id: int
    key: str
    due: date
    last: date
    stability: float | None = None

    @property
    def interval(self) -> int:
        """Days from the last review to the due day (at least 1)."""
        return max(1, (self.due - self.last).days)

    def elapsed(self, day: date) -> int:
        """Days from the last review to ``day``."""
        return (day - self.last).days


@dataclass(frozen=True, slots=True)
class Curve:
    """FSRS's forgetting curve as FSRS Helper reads it (``utils.power_forgetting_curve``): ``decay``
    (the model's last weight, w20, 0.5 in FSRS-5) and the collection's desired ``retention``."""

    decay: float
    retention: float

    def retrievability(self, elapsed: float, stability: float) -> float:
        """The probability of recall ``elapsed`` days after a review, at ``stability`` days."""
        factor = 0.9 ** (-1 / self.decay) - 1
        return float((1 + factor * max(elapsed, 0.0) / stability) ** -self.decay)

    def ratio(self, elapsed: float, stability: float) -> float:
        """Elapsed time over the time the retrievability takes to fall to ``retention``, computed
        through the retrievability as FSRS Helper does (1 when it is due by FSRS)."""
        spent = self.retrievability(elapsed, stability) ** (-1 / self.decay) - 1
        return float(spent / (self.retention ** (-1 / self.decay) - 1))


@dataclass(frozen=True, slots=True)
class Move:
    """A highlight's new due day, and the ``rank`` that chose it (the tool's ordering key: lower
    moves first; for a break, its place in the urgency order)."""

    candidate: Candidate
    due: date
    rank: float


def lateness(candidate: Candidate, elapsed: float, curve: Curve | None) -> float:
    """How late a review ``elapsed`` days after the last one is, relative to what the scheduler
    wanted (1: on the due day): FSRS's ``Curve.ratio`` when ``curve`` is given and the highlight has
    a memory state, elapsed over its interval otherwise (SM-2)."""
    if curve is not None and candidate.stability is not None:
        return curve.ratio(elapsed, candidate.stability)
    return elapsed / candidate.interval


def _steadiness(candidate: Candidate, curve: Curve | None) -> float:
    """FSRS Helper's tie-break, most stable first: stability under FSRS, the interval under SM-2."""
    if curve is not None and candidate.stability is not None:
        return candidate.stability
    return float(candidate.interval)


def postpone_order(candidates: Iterable[Candidate], today: date, curve: Curve | None) -> list[tuple[float, Candidate]]:
    """Due highlights (due on or before ``today``) in the order ``recall postpone`` takes them, each
    with its rank: FSRS Helper's ``postpone``, the least late after the postpone first (lateness a
    further ``POSTPONE_LOOKAHEAD`` × interval from today, minus 1: under FSRS, the highest
    retrievability then), most stable first on a tie, then by key (the same order on every run)."""
    ranked = [
        (lateness(c, c.elapsed(today) + POSTPONE_LOOKAHEAD * c.interval, curve) - 1, -_steadiness(c, curve), c.key, c)
        for c in candidates
    ]
    ranked.sort(key=lambda item: item[:3])
    return [(rank, c) for rank, _, _, c in ranked]


def postponed_due(candidate: Candidate, today: date, free: Callable[[date], date] = lambda day: day) -> date:
    """Where ``recall postpone`` moves a highlight due on or before ``today``: FSRS Helper's new
    interval ``ceil(ivl × (1.05 + 0.05 × r)) + delay`` from the last review, ``delay`` being the days
    it is overdue and ``r`` a draw in [0, 1) seeded by the key and the day (so a dry run shows what
    the run does). That is ``today + ceil(ivl × (1.05 + 0.05 r)) - ivl``: between 5 % and 10 % of its
    interval after today, at least one day. ``free`` moves a day that falls in a break past it."""
    draw = random.Random(f"{candidate.key}\x00{today.isoformat()}").random()
    ivl = candidate.interval
    return free(today + timedelta(days=math.ceil(ivl * (1.05 + 0.05 * draw)) - ivl))


def postpone(
    candidates: Iterable[Candidate], count: int, today: date, curve: Curve | None,
    free: Callable[[date], date] = lambda day: day,
) -> list[Move]:
    """The ``count`` moves of ``recall postpone COUNT`` (fewer when fewer are due): the first of
    ``postpone_order``, each to its ``postponed_due``."""
    order = postpone_order(candidates, today, curve)[: max(count, 0)]
    return [Move(c, postponed_due(c, today, free), rank) for rank, c in order]


def safe_postpones(candidates: Iterable[Candidate], today: date, curve: Curve | None) -> int:
    """How many due highlights FSRS Helper counts as safe to postpone: rank under ``SAFE_POSTPONE``."""
    return sum(1 for rank, _ in postpone_order(candidates, today, curve) if rank < SAFE_POSTPONE)


def advance_order(candidates: Iterable[Candidate], today: date, curve: Curve | None) -> list[tuple[float, Candidate]]:
    """Highlights not due yet (due after ``today``, last reviewed before it) in the order ``recall
    advance`` takes them, each with its rank: FSRS Helper's ``advance``, 1 minus the lateness today
    (the share of its interval still to run), the least first (under FSRS, the lowest
    retrievability, the nearest to falling due), most stable first on a tie, then by key."""
    ranked = [
        (1 - lateness(c, c.elapsed(today), curve), -_steadiness(c, curve), c.key, c)
        for c in candidates if c.elapsed(today) > 0
    ]
    ranked.sort(key=lambda item: item[:3])
    return [(rank, c) for rank, _, _, c in ranked]


def advance(candidates: Iterable[Candidate], count: int, today: date, curve: Curve | None) -> list[Move]:
    """The ``count`` moves of ``recall advance COUNT``: the first of ``advance_order``, each due
    ``today`` (FSRS Helper's new interval: the days since the last review)."""
    return [Move(c, today, rank) for rank, c in advance_order(candidates, today, curve)[: max(count, 0)]]


def safe_advances(candidates: Iterable[Candidate], today: date, curve: Curve | None) -> int:
    """How many FSRS Helper counts as safe to advance: rank under ``SAFE_ADVANCE``."""
    return sum(1 for rank, _ in advance_order(candidates, today, curve) if rank < SAFE_ADVANCE)


def spread_days(length: int) -> int:
    """How many days after a break of ``length`` days its load is spread over by default: as many
    as the break lasts, at least ``MIN_SPREAD``, at most ``MAX_SPREAD`` (FSRS Helper asks, 7 by
    default; recall's default grows with the break, and a long one is capped so that what was
    due early in it is not put off by weeks more)."""
    return min(max(length, MIN_SPREAD), MAX_SPREAD)


def urgency(candidate: Candidate) -> tuple[int, date, str]:
    """The order a break places highlights in, most urgent first: FSRS Helper's
    ``_allocate_break_cards``, the shortest interval first (a day's delay costs it the largest
    share), then the earliest due day; then by key."""
    return candidate.interval, candidate.due, candidate.key


def spread(movers: Iterable[Candidate], window: Sequence[date], load: Mapping[date, int]) -> list[Move]:
    """Where ``recall break`` puts the highlights due in it (``movers``): on the days of ``window``
    (after the break, in order), levelling the load, the most urgent (``urgency``) first onto the
    first days. Each highlight goes, one at a time, to the day whose total (``load``: what is due
    there already, plus what this break has put there) is lowest, the earliest on a tie ("water
    filling"); then the highlights, most urgent first, take those places in day order.

    FSRS Helper's break makes each day's target what is due there plus an even share of what was
    due in the break, and moves highlights due in the window too; recall moves only what was due
    in the break, on top of what is there, so a day already heavy takes less of it and nothing
    due after the break is put off."""
    ordered = sorted(movers, key=urgency)
    if not ordered:
        return []
    if not window:
        raise ValueError("a break's load needs at least one day after it to go to")
    lightest = [(load.get(day, 0), i) for i, day in enumerate(window)]
    heapq.heapify(lightest)
    taken = [0] * len(window)
    for _ in ordered:
        total, i = heapq.heappop(lightest)
        taken[i] += 1
        heapq.heappush(lightest, (total + 1, i))
    places = [day for day, n in zip(window, taken, strict=True) for _ in range(n)]
    return [Move(c, day, float(rank)) for rank, (c, day) in enumerate(zip(ordered, places, strict=True))]
