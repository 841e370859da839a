"""``recall db check``'s half about the review log: the stored state against the replay of the
whole log, and what in the log deserves a look.

``audit`` reads every log file from its start (nothing stored), replays it and compares:

- ``diverged``: a highlight whose schedule or marks here differ from the replay's, or whose
  ``reviews`` rows are not exactly the replay's applied grades, or a source whose frequency level
  differs from the replay's (``recall db rebuild`` mends it);
- ``flags``, which the replay applies all the same: lines not read (``path:line``), events from
  the future (a clock over a day ahead), two different events under one id, undos whose target
  is not in the log or is another highlight's, and events whose ``day`` is not the study day of
  their ``at`` under their own ``tz`` and ``rollover`` (``recall.clock.study_day``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from recall.clock import study_day
from recall.db import frequencies, logfiles, replayed
from recall.db.engine import Engine
from recall.frequency import event_key
from recall.reviewlog.catchup import every_root, source_lookup, state_tuple
from recall.reviewlog.events import Event, EventType
from recall.reviewlog.files import Cursor, lasting_torn_tails, read_log, unusable_root
from recall.reviewlog.replay import Replay, replay


@dataclass
class Audit:
    """What ``audit`` found: ``diverged`` and ``flags`` (one line each), and how many ``events``
    were replayed for how many ``highlights``."""

    diverged: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    events: int = 0
    highlights: int = 0


def audit(engine: Engine, folder: str, now: datetime) -> Audit:
    """Compare the database with the replay of every device's log under the ``review_log`` setting
    ``folder``; ``now`` (aware) flags events from the future. Reads only; never raises for the log."""
    found = Audit()
    events: list[Event] = []
    with engine.connect() as connection:
        roots = every_root(connection, folder)
        earlier = {root: logfiles.stored_cursors(connection, root) for root in roots}
        states = replayed.stored_states(connection)
        grades = replayed.stored_grades(connection)
        sources = frequencies.source_rows(connection)
    wall = time.time()
    for root in roots:
        read = read_log(Path(root), {}, now=wall)
        cursors = {path: Cursor.from_json(values) for path, values in earlier[root].items()}
        events += [located.event for located in read.events]
        problems = read.problems + lasting_torn_tails(read, cursors, wall)
        found.flags += [f"{Path(root) / problem.file}:{problem.line}: {problem.reason}" for problem in problems]
        found.flags += [unusable] if (unusable := unusable_root(Path(root))) is not None else []
    source_of = None
    if any(event.level is not None for event in events):  # a source's frequency shapes its grades
        with engine.connect() as connection:
            source_of = source_lookup(connection, None)
    result = replay(events, now=now, present=states.__contains__, source_of=source_of)
    found.events, found.highlights = len({event.id for event in events}), len(states)  # copies once
    for key, stored in sorted(states.items()):
        if state_tuple(result.state(key)) != stored:
            replayed_state = _state(state_tuple(result.state(key)))
            found.diverged.append(f"highlight {key}: stored {_state(stored)}, the log gives {replayed_state}")
    wanted = {
        str(a.event.id): (a.event.key, str(a.kind), a.before.repetitions, a.before.easiness, a.before.interval,
                          a.before.due, a.after.repetitions, a.after.easiness, a.after.interval, a.after.due)
        for a in result.applied if a.event.type is EventType.GRADE and a.event.key in states
    }
    rows = {
        row.event_id: (row.key, row.kind, row.repetitions_before, row.easiness_before, row.interval_before,
                       row.due_before, row.repetitions_after, row.easiness_after, row.interval_after, row.due_after)
        for row in grades
    }
    for event_id in sorted(set(wanted) | set(rows), key=str):
        if wanted.get(event_id) != rows.get(event_id):
            key = (wanted.get(event_id) or rows[event_id])[0]
            what = "missing here" if event_id not in rows else "not in the log" if event_id not in wanted else "differs"
            found.diverged.append(f"highlight {key}: grade {event_id} {what}")
    for source in sources:
        level = result.level(event_key(source.key))
        if source.frequency != level:
            found.diverged.append(f"source {source.id}: stored frequency {source.frequency}, the log gives {level}")
    found.flags += _flags(events, result)
    return found


def _flags(events: list[Event], result: Replay) -> list[str]:
    flags = [f"event {e.id} ({e.key}) is from the future: {e.at:%Y-%m-%d %H:%M} UTC, a clock over a day ahead"
             for e in result.future]
    flags += [f"two different events under the id {kept.id}: the smaller line is kept" for kept, _ in result.conflicts]
    flags += [f"undo {undo.id} ({undo.key}) {why}" for undo, why in result.unmatched]
    for event in sorted({e.id: e for e in events}.values(), key=lambda e: e.order):
        try:
            day = study_day(event.at, event.tz, event.rollover)
        except ValueError as error:
            flags.append(f"event {event.id} ({event.key}): its study day cannot be worked out: {error}")
            continue
        if day != event.day:
            flags.append(f"event {event.id} ({event.key}) counts for {event.day}, but {event.at:%Y-%m-%d %H:%M} UTC "
                         f"is {day} in {event.tz} (rollover {event.rollover})")
    return flags


def _state(state: replayed.State) -> str:
    text = "reps {} ef {} ivl {} due {} skip {} discarded {} favorite {}".format(*state[:7])
    return text if state[7] is None else text + " stability {} difficulty {} last review {}".format(*state[7:])
