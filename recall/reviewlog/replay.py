"""Events from every device → each highlight's state, by exact SM-2: pure, no I/O, no clock.

The same set of events gives the same states on every device, whatever order they arrived
in and however many copies of each were read:

1. ``merge`` keeps each event id once (a sync conflict copy repeats lines; two different
   events under one id, which only a damaged file makes, keep the smaller JSON line, and
   are reported).
2. Undo is compensation: an ``UNDO`` event takes back the event it names (which is then
   replayed as if it had never happened), unless the undo is itself undone. An undo whose
   target has not arrived yet waits for it; it is reported, not lost.
3. Re-keys: a ``REKEY`` event (the import gave a highlight a new identity key) moves the events
   of its old key ordered before it to its new key, chains included (``resolve_keys``), where
   the new key is ``present`` (a highlight here has it; until then the history stays put).
4. The rest is replayed per highlight in (study day, instant, id) order. On each study day the
   first grade of a highlight moves its schedule (``recall.scheduling.graded``: SM-2's numbers,
   and the due day by the scheduler in use) and clears a skip; every later grade that day is a
   drill, logged only.
5. A ``SCHEDULER`` event (the whole collection's) sets the scheduler for every grade ordered
   after it. Turning FSRS on (or giving it new weights) computes every highlight's FSRS memory
   state from its review history (``recall.scheduling.with_memory``); turning it off drops
   them; no due day changes at a switch.
6. A ``FREQUENCY`` event sets its source's level for every grade ordered after it: each grade is
   scheduled with the level of its highlight's source then in effect (``source_of`` tells a
   highlight's source; ``recall.frequency``). No due day changes at a level change either.
   So when two devices grade one highlight on the same study day before syncing, the earlier
   instant is the review and the later the drill, on both devices alike.
6. A ``RESCHEDULE`` event (``recall postpone``, ``advance``, ``break``) moves only the due day, to
   its ``due``, and only while the highlight's schedule is still the one the event saw (``fresh``:
   its ``before``'s due day and SM-2 numbers): a grade ordered before it that the writer did not
   know of (another device's) makes it stale, and it is skipped (``stale``), on every device alike.
   It never touches SM-2's numbers, the FSRS memory or the last review's day, so the next grade is
   computed as without it (SM-2 ignores lateness; FSRS counts the days since the last review).
   A ``BREAK`` event (the collection's) changes no highlight: ``breaks`` lists those in effect
   (an undo can take one back, as any event).

The states are ``Snapshot``s (easiness in hundredths, interval in days, days as ``date``).
The events' own ``before``/``after`` are only checked against the replay (``diverged``),
and their ``kind`` (what the writer applied) against the replay's (``reclassified``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from recall.frequency import Level
from recall.reviewlog.events import Event, EventType, Snapshot, from_json, marked
from recall.scheduler_settings import SM2, SchedulerSettings
from recall.scheduling import Review, graded, with_memory
from recall.vocabulary import ReviewKind

FUTURE_MARGIN = timedelta(days=1)  # an event more than this after "now" comes from a clock that is wrong


@dataclass(frozen=True, slots=True)
class Applied:
    """One event as the replay applied it: the state ``before`` and ``after`` it, and for a grade
    the ``kind`` it counted as (REVIEW moved the schedule, DRILL did not); None otherwise."""

    event: Event
    kind: ReviewKind | None
    before: Snapshot
    after: Snapshot


@dataclass
class Replay:
    """The merged history.

    - ``states``: highlight key → its state after every applied event (keys with none are absent: ``Snapshot()``);
    - ``applied``: the effective history in replay order (undone events and undo events left out),
      what the reviews table and the stats are made from;
    - ``undone``: ids of the events taken back; ``unmatched``: undo events that take back nothing
      yet, with the reason (target not in the log (yet), or another highlight's);
    - ``reclassified``: grades whose kind differs from the writer's (the same-day rule across devices);
    - ``diverged``: applied events whose recorded ``before`` or ``after`` differs from the replay's
      (expected when another device's events came in between; otherwise a sign of damage);
    - ``future``: events more than a day after ``now`` (a wrong clock); they are applied all the same;
    - ``conflicts``: pairs of different events sharing one id (the first is the one kept);
    - ``moved``: ids of the events replayed under another key than their own (a re-key) → that key;
    - ``settings``: the scheduler after the last ``SCHEDULER`` event (``SM2`` without one), and
      ``switches`` those events in replay order;
    - ``breaks``: the ``BREAK`` events in effect, in replay order; ``stale``: the ``RESCHEDULE``
      events skipped because the highlight's schedule had changed since their writer saw it.
    - ``levels``: each source's frequency after its last ``FREQUENCY`` event in effect (source event
      key → level; a source absent is ``normal``), and ``frequencies`` those events in replay order.
    """

    states: dict[str, Snapshot] = field(default_factory=dict)
    applied: list[Applied] = field(default_factory=list)
    undone: set[uuid.UUID] = field(default_factory=set)
    unmatched: list[tuple[Event, str]] = field(default_factory=list)
    reclassified: list[Applied] = field(default_factory=list)
    diverged: list[Applied] = field(default_factory=list)
    future: list[Event] = field(default_factory=list)
    conflicts: list[tuple[Event, Event]] = field(default_factory=list)
    moved: dict[uuid.UUID, str] = field(default_factory=dict)
    settings: SchedulerSettings = SM2
    switches: list[Event] = field(default_factory=list)
    breaks: list[Event] = field(default_factory=list)
    stale: list[Event] = field(default_factory=list)
    levels: dict[str, Level] = field(default_factory=dict)
    frequencies: list[Event] = field(default_factory=list)

    def level(self, source: str | None) -> Level:
        """The frequency of the source whose event key is ``source`` (``normal`` when none was set, or None)."""
        return Level.NORMAL if source is None else self.levels.get(source, Level.NORMAL)

    def state(self, key: str) -> Snapshot:
        """The state of the highlight ``key`` (``Snapshot()`` when nothing happened to it)."""
        return self.states.get(key, Snapshot())


def merge(events: Iterable[Event]) -> tuple[dict[uuid.UUID, Event], list[tuple[Event, Event]]]:
    """Each id once: ``(id → event, conflicts)``. Identical copies are dropped silently; of two
    different events under one id the one with the smaller JSON line is kept, whatever the order."""
    kept: dict[uuid.UUID, Event] = {}
    clashes: dict[uuid.UUID, set[str]] = {}
    for event in events:
        other = kept.get(event.id)
        if other is None:
            kept[event.id] = event
        elif other != event:
            line, other_line = event.to_json(), other.to_json()
            clashes.setdefault(event.id, set()).update((line, other_line))
            if line < other_line:
                kept[event.id] = event
    conflicts = []
    for event_id, lines in sorted(clashes.items(), key=lambda item: str(item[0])):
        winner = kept[event_id]
        conflicts += [(winner, loser) for loser in _others(winner, lines)]
    return kept, conflicts


def _others(winner: Event, lines: set[str]) -> list[Event]:
    return [from_json(line) for line in sorted(lines) if line != winner.to_json()]


def undone_ids(events: dict[uuid.UUID, Event]) -> tuple[set[uuid.UUID], list[tuple[Event, str]]]:
    """The ids taken back by undo events that are themselves in effect, and the undo events that
    take back nothing (with why). An undo is in effect unless an undo in effect takes it back."""
    undoers: dict[uuid.UUID, list[Event]] = {}
    unmatched: list[tuple[Event, str]] = []
    for event in events.values():
        if event.type is not EventType.UNDO or event.undoes is None:
            continue
        target = events.get(event.undoes)
        if target is None:
            unmatched.append((event, f"undoes {event.undoes}, which is not in the log (yet)"))
        elif target.key != event.key:
            unmatched.append((event, f"undoes {event.undoes}, an event of another highlight"))
        else:
            undoers.setdefault(target.id, []).append(event)
    memo: dict[uuid.UUID, bool] = {}

    def cancelled(event_id: uuid.UUID, visiting: frozenset[uuid.UUID]) -> bool:
        if event_id not in memo:
            if event_id in visiting:  # a cycle of undos (only crafted ids make one): none of it counts
                return False
            memo[event_id] = any(
                not cancelled(undo.id, visiting | {event_id}) for undo in undoers.get(event_id, [])
            )
        return memo[event_id]

    taken_back = {event_id for event_id in undoers if cancelled(event_id, frozenset())}
    unmatched.sort(key=lambda item: item[0].order)
    return taken_back, unmatched


def resolve_keys(events: dict[uuid.UUID, Event], present: Callable[[str], bool] | None = None) -> dict[uuid.UUID, str]:
    """The key each event is replayed under, where a re-key moves it: event id → new key.

    An event of key ``k`` ordered before a ``REKEY`` from ``k`` belongs to that rekey's ``to``, and
    from there on to any later rekey of ``to`` (a chain; a key re-keyed back to an older one
    follows too). It goes to the last key along its chain that is ``present`` here (None: every
    key is), so a device that has not imported the re-keyed highlight yet keeps its history under
    the old key meanwhile, and one that only ever saw the end of a chain (a new database, a device
    that skipped an edit) gets it there. An event of a key that is not here, written after its
    re-key by a device that had not imported the edit yet, follows the key's latest re-keys to a key
    that is here (``_latest_present``). Rekey events themselves are never moved."""
    moves: dict[str, list[tuple[Any, str]]] = {}  # old key → (the rekey's order, new key), in order
    for event in sorted(events.values(), key=lambda e: e.order):
        if event.type is EventType.REKEY and event.to is not None:
            moves.setdefault(event.key, []).append((event.order, event.to))
    resolved: dict[uuid.UUID, str] = {}
    if not moves:
        return resolved
    for event in events.values():
        if event.type is EventType.REKEY:
            continue
        key, order, chosen = event.key, event.order, event.key
        while True:  # ends: each step moves to a strictly later rekey
            later = next((move for move in moves.get(key, ()) if move[0] > order), None)
            if later is None:
                break
            order, key = later
            if present is None or present(key):
                chosen = key
        if present is not None and not present(chosen):
            chosen = _latest_present(event.key, moves, present) or chosen
        if chosen != event.key:
            resolved[event.id] = chosen
    return resolved


def _latest_present(key: str, moves: dict[str, list[tuple[Any, str]]], present: Callable[[str], bool]) -> str | None:
    """Where an event of ``key`` goes when neither ``key`` nor its chain after the event is here: a
    device that had not imported an edit yet wrote it after the re-key. It follows ``key``'s latest
    re-keys to the first key that is here (None: none is; a key re-keyed back ends the walk)."""
    seen = {key}
    while key in moves:
        key = moves[key][-1][1]
        if present(key):
            return key
        if key in seen:
            return None
        seen.add(key)
    return None


def replay(
    events: Iterable[Event], *, now: datetime | None = None, present: Callable[[str], bool] | None = None,
    source_of: Callable[[str], str | None] | None = None,
) -> Replay:
    """The merged history of ``events`` (any order, duplicates allowed); ``now`` (an aware
    instant) only serves to flag events from the future; ``present`` tells which keys a highlight
    here has (None: all), for re-keys (``resolve_keys``); ``source_of`` gives a highlight key's
    source as frequency events name it (``frequency.event_key``; None, or no function: a source
    whose frequency is never set), for the level each grade is scheduled with."""
    kept, conflicts = merge(events)
    moved = resolve_keys(kept, present)
    if moved:
        kept = {i: replace(e, key=moved[i]) if i in moved else e for i, e in kept.items()}
    undone, unmatched = undone_ids(kept)
    result = Replay(undone=undone, unmatched=unmatched, conflicts=conflicts, moved=moved)
    reviewed_on: dict[str, date] = {}  # key → the last study day its schedule moved
    # key → its reviews, kept only when FSRS is ever switched on (its memory comes from them)
    history: dict[str, list[Review]] | None = None
    if any(e.settings is not None and e.settings.fsrs for e in kept.values()):
        history = {}
    for event in sorted(kept.values(), key=lambda e: e.order):
        if now is not None and event.at > now + FUTURE_MARGIN:
            result.future.append(event)
        if event.type in (EventType.UNDO, EventType.REKEY) or event.id in undone:
            continue
        if event.settings is not None:
            _switch(result, event, history or {})
            continue
        if event.type is EventType.BREAK:
            result.breaks.append(event)
            continue
        if event.level is not None:
            result.levels[event.key] = event.level
            result.frequencies.append(event)
            continue
        before = result.state(event.key)
        if event.type is EventType.RESCHEDULE and not fresh(event, before):
            result.stale.append(event)
            continue
        level = result.level(source_of(event.key)) if source_of is not None else Level.NORMAL
        kind, after = _apply(event, before, reviewed_on, result.settings, level)
        if history is not None and kind is ReviewKind.REVIEW:
            assert event.grade is not None
            history.setdefault(event.key, []).append((event.day, event.grade))
        result.states[event.key] = after
        applied = Applied(event, kind, before, after)
        result.applied.append(applied)
        if kind is not None and kind != event.kind:
            result.reclassified.append(applied)
        if (event.before, event.after) != (before, after):
            result.diverged.append(applied)
    return result


def fresh(event: Event, state: Snapshot) -> bool:
    """Whether the ``RESCHEDULE`` ``event`` still applies to a highlight in ``state``: its due day and
    SM-2 numbers are those the event's writer saw (``event.before``). SM-2's numbers move on every
    review, whichever scheduler sets the due day, so a grade the writer did not know of makes the
    event stale even when it lands on the very due day the writer saw (the due day alone would miss
    that); the one exception, a highlight failed again at the EF floor (repetitions 0, EF 1.30,
    interval 1 before and after) on the day before that due day, is rare and mild: the move then
    applies to the highlight just failed again. A scheduler switch and the marks (skip, discard, favourite)
    leave it fresh."""
    seen = event.before
    return (state.due, state.repetitions, state.easiness, state.interval) == (
        seen.due, seen.repetitions, seen.easiness, seen.interval
    )


def _switch(result: Replay, event: Event, history: dict[str, list[Review]]) -> None:
    """A ``SCHEDULER`` event: the settings from here on; every highlight's FSRS memory state is
    computed from its history when FSRS comes on or takes new weights, dropped when it goes off."""
    assert event.settings is not None
    old, new = result.settings, event.settings
    if new.fsrs != old.fsrs or (new.fsrs and new.weights != old.weights):
        for key, state in result.states.items():
            result.states[key] = with_memory(state, history.get(key, ()), new)
    result.settings = new
    result.switches.append(event)


def _apply(
    event: Event, before: Snapshot, reviewed_on: dict[str, date], settings: SchedulerSettings, level: Level
) -> tuple[ReviewKind | None, Snapshot]:
    """One event on one state under ``settings``, its source at frequency ``level``: the grade's kind
    (None for other events) and the state after it."""
    match event.type:
        case EventType.GRADE:
            assert event.grade is not None
            if reviewed_on.get(event.key) == event.day:
                return ReviewKind.DRILL, before
            reviewed_on[event.key] = event.day
            # the due day the grading device chose counts where balancing lets it (recall.scheduling.placed)
            return ReviewKind.REVIEW, graded(before, event.grade, event.day, settings, event.key, level,
                                             recorded=event.after.due)
        case EventType.SKIP | EventType.DISCARD | EventType.RESTORE | EventType.FAVORITE | EventType.UNFAVORITE:
            return None, marked(before, event.type, event.day)
        case EventType.RESCHEDULE:  # ``fresh`` was checked: only the due day moves
            return None, replace(before, due=event.due)
    raise ValueError(f"cannot apply a {event.type.value} event")  # UNDO never gets here
