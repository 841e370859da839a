"""`recall compare`: the user's collection read from the database and simulated under SM-2 and
under FSRS (``recall.simulation``), JSON-ready.

The collection is the daily queue's (``recall.scheduler.queue``): highlights in the library past
its quality filter (``min_words``), the limits ``new_per_day`` and ``reviews_per_day`` with what
today has used of them. Each scheduled highlight's FSRS memory state is
``recall.fsrs.memory_state`` of its own reviews (drills apart), at the settings' desired
retention, as a switch to FSRS will compute it; FSRS's weights and retention are the collection's
(``recall scheduler``, ``recall optimize``: py-fsrs's defaults until fitted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from recall import fsrs, simulation
from recall.db import compare as tables
from recall.db import queue, reviews
from recall.fsrs import FSRSParameters, FSRSState
from recall.reviewlog.collection import current_settings
from recall.scheduler.queue import daily_filter
from recall.simulation import Collection, Scheduled
from recall.simulation_model import GradeSpread
from recall.simulation_outcome import Outcome
from recall.sm2 import SM2State, easiness_from_hundredths

if TYPE_CHECKING:
    from recall.context import Context

HORIZONS = (30, 90, 365)
"""The horizons compared by default, in study days."""
MAX_HORIZON = 3650
DEFAULT_SEED = 14  # issue 14: any fixed number, so that two runs on one database print the same


@dataclass(frozen=True)
class Comparison:
    """What ``compare`` found: the study day, the ``horizons`` (days, ascending), the collection
    simulated (``scheduled`` highlights, ``without_history`` of them with no reviews to compute a
    memory state from, ``new`` ones), the limits, the FSRS parameters, the seed and one
    ``recall.simulation_outcome.Outcome`` per scheduler ("sm2", "fsrs")."""

    today: date
    horizons: tuple[int, ...]
    scheduled: int
    without_history: int
    new: int
    new_per_day: int
    reviews_per_day: int
    reviewed_today: int
    new_today: int
    grades: GradeSpread
    parameters: FSRSParameters
    seed: int
    outcomes: dict[str, Outcome] = field(default_factory=dict)

    @property
    def default_weights(self) -> bool:
        """Are FSRS's weights py-fsrs's defaults (not the user's own)?"""
        return self.parameters.weights == fsrs.DEFAULT.weights

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the inputs, then per scheduler its ``horizons`` (``recall.simulation_outcome.Horizon``)
        and its ``days`` (one row per day of the longest horizon)."""
        return {
            "study_day": self.today.isoformat(),
            "horizons": list(self.horizons),
            "seed": self.seed,
            "collection": {
                "scheduled": self.scheduled, "without_history": self.without_history, "new": self.new,
                "new_per_day": self.new_per_day, "reviews_per_day": self.reviews_per_day,
                "reviewed_today": self.reviewed_today, "new_today": self.new_today,
            },
            "grades": self.grades.as_dict(),
            "fsrs": {"desired_retention": self.parameters.desired_retention, "weights": list(self.parameters.weights),
                     "default_weights": self.default_weights},
            "schedulers": {
                name: {"due_at_start": outcome.due_at_start,
                       "horizons": [outcome.horizon(days).as_dict() for days in self.horizons],
                       "days": outcome.series()}
                for name, outcome in self.outcomes.items()
            },
        }


Update = Callable[[int, int, str], None]
"""A progress bar's ``update(done, total, label)`` (``recall.progress``)."""


def memory_states(
    histories: list[tuple[int, list[tuple[date, int]]]], parameters: FSRSParameters, update: Update | None = None
) -> dict[int, FSRSState]:
    """Each highlight's FSRS state after its reviews (``recall.fsrs.memory_state``), by id. A
    second review on one study day (a log that should have made it a drill) is left out."""
    states: dict[int, FSRSState] = {}
    for number, (highlight_id, history) in enumerate(histories):
        if update is not None and number % 1000 == 0:
            update(number, len(histories), "Memory states from your reviews")
        once_a_day = [review for n, review in enumerate(history) if n == 0 or review[0] > history[n - 1][0]]
        state = fsrs.memory_state(once_a_day, parameters)
        if state is not None:
            states[highlight_id] = state
    return states


def read_collection(context: Context, parameters: FSRSParameters, update: Update | None = None) -> tuple[Collection, int]:
    """The collection to simulate from today, and how many scheduled highlights have no history."""
    settings, today = context.settings, context.today()
    where = daily_filter(settings.min_words)
    with context.engine.connect() as connection:
        rows = tables.scheduled_highlights(connection, settings.min_words)
        histories = list(tables.review_histories(connection, settings.min_words))
        new, _, _ = queue.count_new_and_left_out(connection, today, where)
        reviewed_today, new_today = reviews.reviewed_count(connection, today)
    memories = memory_states(histories, parameters, update)
    scheduled = [
        Scheduled(
            state=SM2State(row.repetitions, easiness_from_hundredths(row.easiness), row.interval),
            due=row.due, memory=memories.get(row.id),
            not_before=row.skipped_until + timedelta(days=1) if row.skipped_until else None,
        )
        for row in rows
    ]
    collection = Collection(
        today=today, scheduled=scheduled, new=new, new_per_day=settings.new_per_day,
        reviews_per_day=settings.reviews_per_day, reviewed_today=reviewed_today, new_today=new_today,
        grades=GradeSpread.of_histories(history for _, history in histories),
    )
    return collection, sum(row.id not in memories for row in rows)


def gather(
    context: Context, horizons: tuple[int, ...] = HORIZONS, seed: int = DEFAULT_SEED, update: Update | None = None,
    retention: float | None = None,
) -> Comparison:
    """The comparison over ``horizons`` (study days, each 1 to ``MAX_HORIZON``) on ``context``'s
    database, settings (the daily limits, ``min_words``) and study day, FSRS at the collection's
    weights and retention (``recall.reviewlog.collection``; ``retention``, 0.70-0.97, instead of
    its retention when given); ``update`` follows the work (a progress bar)."""
    ordered = tuple(sorted(set(horizons)))
    with context.engine.connect() as connection:
        settings = current_settings(connection)
    if retention is not None:
        settings = replace(settings, retention=retention)  # ValueError out of 0.70-0.97
    parameters = FSRSParameters(settings.weights or fsrs.DEFAULT.weights, settings.retention)
    collection, without_history = read_collection(context, parameters, update)

    def simulated(name: str, days: int) -> None:
        if update is not None:
            update(days, ordered[-1], f"Simulating {'SM-2' if name == 'sm2' else 'FSRS'}")

    outcomes = simulation.compare(collection, parameters, ordered[-1], seed, ordered, simulated)
    return Comparison(
        today=collection.today, horizons=ordered, scheduled=len(collection.scheduled),
        without_history=without_history, new=collection.new, new_per_day=collection.new_per_day,
        reviews_per_day=context.settings.reviews_per_day, reviewed_today=collection.reviewed_today,
        new_today=collection.new_today, grades=collection.grades, parameters=parameters, seed=seed,
        outcomes=outcomes,
    )
