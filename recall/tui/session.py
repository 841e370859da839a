"""One review session: the cards left, same-day drills, and an undo stack.

No Textual and no SQL here: the session asks a ``Store`` to write, and keeps a
snapshot of its own state with every undoable step and the review log's event the
step wrote, so undo takes back exactly that event (an undo event naming it) and puts
the database and the session back (the undone card is shown again).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from recall.frequency import Level
from recall.vocabulary import DRILL_PASS_GRADE, ReviewKind

if TYPE_CHECKING:
    from recall.scheduler.actions import Marked, Rated
    from recall.scheduler.frequency import Leveled
    from recall.tui.store import Store


class StepKind(StrEnum):
    """What an undoable step did; the value is how the undo notice names it."""

    GRADE = "grade"
    SKIP = "skip"
    DISCARD = "discard"
    FAVORITE = "favorite"
    FREQUENCY = "frequency change"


@dataclass(frozen=True)
class Graded:
    highlight_id: int
    grade: int
    kind: ReviewKind  # as rate() logged it
    seconds: float | None
    elsewhere: bool = False  # a drill because another session had already graded it today


@dataclass(frozen=True)
class State:
    pending: tuple[int, ...]  # the current card first
    drills: frozenset[int] = frozenset()  # pending ids that are there to be drilled
    main_done: int = 0
    graded: tuple[Graded, ...] = ()
    skipped: int = 0
    discarded: int = 0


@dataclass(frozen=True)
class Step:
    """An undoable step: what it was, on which highlight, and the session before it."""

    what: StepKind
    highlight_id: int
    before: State
    rated: Rated | None = None  # a grade: what was logged (its event), so undo takes back exactly that
    marked: Marked | None = None  # a skip, discard or favourite mark: its event and the state before it
    leveled: Leveled | None = None  # a frequency change of the card's source: its event and the level before it


@dataclass
class Session:
    store: Store
    drills_on: bool
    state: State
    main_total: int
    undo_stack: list[Step] = field(default_factory=list)

    @classmethod
    def start(cls, store: Store, ids: list[int], drill_ids: list[int], drills_on: bool) -> Session:
        drill_ids = [i for i in drill_ids if i not in ids] if drills_on else []
        state = State(tuple(ids) + tuple(drill_ids), frozenset(drill_ids))
        return cls(store, drills_on, state, len(ids))

    @property
    def current(self) -> int | None:
        return self.state.pending[0] if self.state.pending else None

    @property
    def finished(self) -> bool:
        return not self.state.pending

    @property
    def drilling(self) -> bool:
        """Is the current card a drill (already graded today in this session or earlier)?"""
        return self.current in self.state.drills

    @property
    def position(self) -> int:
        return min(self.state.main_done + 1, self.main_total)

    @property
    def drills_left(self) -> int:
        return len(self.state.drills)

    @property
    def reviews(self) -> list[Graded]:
        return [g for g in self.state.graded if g.kind == ReviewKind.REVIEW]

    # -- steps -------------------------------------------------------------------------

    def _finish_current(self, state: State) -> State:
        """``state`` with the current card done; a main-pass card counts towards progress."""
        current = state.pending[0]
        main = current not in state.drills
        return replace(
            state, pending=state.pending[1:], drills=state.drills - {current},
            main_done=state.main_done + (1 if main else 0),
        )

    def grade(self, grade: int, seconds: float | None) -> Graded:
        """Grade the current card (written at once); below 4 it comes back at the end, as a drill."""
        current = self.current
        assert current is not None
        rated = self.store.rate(current, grade, seconds)
        before = self.state
        graded = Graded(current, grade, rated.kind, seconds, rated.kind == ReviewKind.DRILL and not self.drilling)
        state = self._finish_current(before)
        if self.drills_on and grade < DRILL_PASS_GRADE:
            state = replace(state, pending=state.pending + (current,), drills=state.drills | {current})
        self.state = replace(state, graded=state.graded + (graded,))
        self.undo_stack.append(Step(StepKind.GRADE, current, before, rated=rated))
        return graded

    def skip(self) -> None:
        current = self.current
        assert current is not None
        marked = self.store.skip(current)
        before = self.state
        self.state = replace(self._finish_current(before), skipped=before.skipped + 1)
        self.undo_stack.append(Step(StepKind.SKIP, current, before, marked=marked))

    def discard(self) -> None:
        current = self.current
        assert current is not None
        marked = self.store.discard(current)
        before = self.state
        self.state = replace(self._finish_current(before), discarded=before.discarded + 1)
        self.undo_stack.append(Step(StepKind.DISCARD, current, before, marked=marked))

    def set_favorite(self, favorite: bool) -> None:
        current = self.current
        assert current is not None
        marked = self.store.set_favorite(current, favorite)
        self.undo_stack.append(Step(StepKind.FAVORITE, current, self.state, marked=marked))

    def set_frequency(self, source_id: int, level: Level) -> Leveled:
        """Show the current card's source ``source_id`` at ``level`` (written at once). At ``never`` its
        cards leave this session, the current one included (counted as done, as a discard is); undo
        brings them back."""
        current = self.current
        assert current is not None
        leveled = self.store.set_frequency(source_id, level)
        before = self.state
        if leveled.changed and leveled.after is Level.NEVER:
            gone = self.store.source_highlights(source_id)
            left = tuple(i for i in before.pending if i not in gone)
            done = sum(1 for i in before.pending if i in gone and i not in before.drills)
            self.state = replace(before, pending=left, drills=before.drills - gone, main_done=before.main_done + done)
        if leveled.changed:
            self.undo_stack.append(Step(StepKind.FREQUENCY, current, before, leveled=leveled))
        return leveled

    def drop_current(self) -> None:
        """Leave out a card that can no longer be reviewed (retired or discarded elsewhere)."""
        self.state = self._finish_current(self.state)

    def undo(self) -> Step | None:
        """Take back the last step in the database and in the session; None if there is none."""
        if not self.undo_stack:
            return None
        step = self.undo_stack[-1]
        if step.rated is not None:
            self.store.undo_grade(step.rated)
        elif step.marked is not None:
            self.store.undo_mark(step.marked)
        elif step.leveled is not None:
            self.store.undo_frequency(step.leveled)
        self.undo_stack.pop()
        self.state = step.before
        return step
