"""The database catches up with the review log: the log is the truth, SQLite a cache of its replay.

``catch_up`` runs at the start of the daily commands (``recall review`` in its load worker,
``due``, ``stats``, ``rate``) and at the end of ``recall import``:

1. once per database, the history older than the log is written to it (``history.migrate``);
2. every log root (``place.log_roots``: each vault's log folder, or the absolute one) is read
   from the cursors stored in ``log_files`` (``files.read_log``): a file whose size and mtime
   are unchanged is not opened, so a catch-up with nothing new costs a stat per file and one
   read transaction;
3. the events the database lacks (by id, ``log_events``) are stored, and the highlights they name
   are replayed whole (``replay_keys``): another device's event can reorder a study day, and a
   highlight's history is small. Their schedule, marks and ``reviews`` rows are rewritten to the
   replay's, the cursors stored, all in one write transaction.
4. A source's ``frequency`` event (``recall.frequency``) replays every highlight of that source, and
   the sources' levels (``sources.frequency``) are written as the replay of those events has them.

An event whose highlight is not here yet (its note not imported) waits in ``log_events``
(``placed`` 0); the import's catch-up (``after_import``) replays those keys again. Problems in
the log (bad lines as ``path:line``, lasting torn tails, newer schemas, two events under one id)
come back as warnings, never as an error: a log never blocks a command.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from recall.db import frequencies, logevents, logfiles, replayed, vaults
from recall.db.engine import Connection, Engine, writing
from recall.frequency import Level, event_key, is_source_key
from recall.fsnames import from_stored
from recall.reviewlog import history
from recall.reviewlog.collection import collection_events
from recall.reviewlog.events import COLLECTION_KEY, Event, EventType, Snapshot, from_json
from recall.reviewlog.files import Cursor, LogRead, LogWriteError, read_log, unusable_root
from recall.reviewlog.place import log_roots
from recall.reviewlog.replay import Replay, replay
from recall.reviewlog.writer import LogWriter


@dataclass
class CaughtUp:
    """What one catch-up did: ``files_read`` (opened) and ``files_unchanged`` (only stat'ed),
    ``events_new`` (the database lacked them), ``highlights`` (replayed and rewritten),
    ``migrated`` (history events written to the log this time) and ``warnings`` (one line each)."""

    files_read: int = 0
    files_unchanged: int = 0
    events_new: int = 0
    highlights: int = 0
    migrated: int = 0
    warnings: list[str] = field(default_factory=list)


def catch_up(engine: Engine, log: LogWriter, now: datetime, *, after_import: bool = False,
             wall: float | None = None) -> CaughtUp:
    """Bring the database in line with every device's review log (module docstring); ``now`` is the
    aware instant (it flags events from the future), ``wall`` the ``time.time()`` that times torn
    tails (None: the wall clock). ``after_import`` also replays the events waiting for a highlight.
    Never raises for the log's content; database errors propagate as usual."""
    done = CaughtUp()
    try:
        done.migrated = history.migrate(engine, log, now)
    except LogWriteError as error:
        done.warnings.append(f"the history before the review log is not in it yet: {error}")
    stored = _stored_cursors(engine, log)
    reads = {root: _read(Path(root), cursors, wall, done) for root, cursors in stored.items()}
    moved = any(_cursors(read) != stored[root] for root, read in reads.items())
    if not moved and not after_import:
        return done
    with writing(engine) as connection:
        fresh = _keep_new(connection, [located.event for read in reads.values() for located in read.events], done)
        keys = {key for event in fresh for key in _keys_of(event)}
        if _rescheduling_all(connection, fresh):  # every highlight schedules by the new scheduler from here on
            keys |= set(replayed.highlight_ids(connection, None))
        if after_import:
            keys |= logevents.unplaced_keys(connection)
        if keys:
            done.highlights = len(replay_keys(connection, keys, now, _by_id(fresh)).written)
        if after_import:  # a source the import just made may have a level in the log already
            write_levels(connection, source_levels(connection))
        for root, read in reads.items():
            logfiles.keep_cursors(connection, root, _cursors(read))
    return done


def rebuild(engine: Engine, log: LogWriter, now: datetime, *, wall: float | None = None) -> CaughtUp:
    """Make the database the replay of the whole log again (``recall db rebuild``; the caller backs
    it up first): the history older than the log is migrated if it was not (``LogWriteError`` when
    the log cannot take it: nothing is rebuilt), every log file is read from its start, and in one
    write transaction the stored events, every highlight's schedule and marks (``Snapshot()`` for
    one no event names) and the whole ``reviews`` table are rewritten and the cursors stored.
    Returns what it did (``highlights``: every highlight here)."""
    done = CaughtUp()
    done.migrated = history.migrate(engine, log, now)
    reads = {root: _read(Path(root), {}, wall, done) for root in _stored_cursors(engine, log)}
    with writing(engine) as connection:
        logevents.forget_events(connection)
        fresh = _keep_new(connection, [located.event for read in reads.values() for located in read.events], done)
        stored = replayed.stored_states(connection)
        ids = replayed.highlight_ids(connection, None)
        result = _replay_into(connection, fresh, ids, now, stored, every_highlight=True)
        write_levels(connection, result.replay.levels)
        done.highlights = len(result.written)
        for root, read in reads.items():
            logfiles.keep_cursors(connection, root, _cursors(read))
    return done


def _stored_cursors(engine: Engine, log: LogWriter) -> dict[str, dict[str, dict[str, Any]]]:
    """Every log root (``every_root``) → its stored cursors (as stored)."""
    with engine.connect() as connection:
        return {root: logfiles.stored_cursors(connection, root) for root in every_root(connection, log.folder)}


def every_root(connection: Connection, folder: str) -> list[str]:
    """The log roots to read: each vault's (``place.log_roots`` for the ``review_log`` setting
    ``folder``), then those read before that are still folders (a vault forgotten, the setting
    changed: their events stay part of the history)."""
    roots = [str(root) for root in log_roots(folder, [Path(from_stored(r)) for r in vaults.vault_root_list(connection)])]
    return roots + [root for root in logfiles.stored_roots(connection) if root not in roots and Path(root).is_dir()]


def _read(root: Path, stored: dict[str, dict[str, Any]], wall: float | None, done: CaughtUp) -> LogRead:
    """``read_log`` of ``root`` from the ``stored`` cursors, its problems added to ``done.warnings``."""
    cursors = {path: Cursor.from_json(values) for path, values in stored.items()}
    read = read_log(root, cursors, now=time.time() if wall is None else wall)
    if (unusable := unusable_root(root)) is not None:
        done.warnings.append(unusable)
    done.files_read += read.files_read
    done.files_unchanged += read.files_unchanged
    done.warnings += [f"{root / problem.file}:{problem.line}: {problem.reason}" for problem in read.problems]
    return read


def _cursors(read: LogRead) -> dict[str, dict[str, Any]]:
    return {path: cursor.to_json() for path, cursor in read.cursors.items()}


def _by_id(events: list[Event]) -> dict[str, Event]:
    return {str(event.id): event for event in events}


def _keys_of(event: Event) -> tuple[str, ...]:
    return (event.key,) if event.to is None else (event.key, event.to)


def _rescheduling_all(connection: Connection, fresh: list[Event]) -> bool:
    """Whether the new events change how every highlight replays: a ``scheduler`` event, or an undo
    of one of the collection's events that is not a break (a break, or its undo, changes no highlight)."""
    collection = [event for event in fresh if event.key == COLLECTION_KEY]
    if any(event.type is EventType.SCHEDULER for event in collection):
        return True
    undos = [event for event in collection if event.type is EventType.UNDO]
    if not undos:
        return False
    known = {event.id: event for event in collection_events(connection)}  # the fresh ones are stored already
    return any(undo.undoes not in known or known[undo.undoes].type is not EventType.BREAK for undo in undos)


def _keep_new(connection: Connection, events: list[Event], done: CaughtUp) -> list[Event]:
    """Store the events the database lacks; of two different events under one id, the smaller
    JSON line is kept (as ``replay.merge`` does) and a warning names both. Returns those stored."""
    seen: dict[str, str] = logevents.known_lines(connection, (str(event.id) for event in events))
    kept: dict[str, tuple[Event, str]] = {}
    for event in events:
        line, event_id = event.to_json(), str(event.id)
        other = kept[event_id][1] if event_id in kept else seen.get(event_id)
        if other is None or other == line:
            if other is None:
                kept[event_id] = (event, line)
            continue
        done.warnings.append(f"two different events under the id {event_id}: the smaller line is kept")
        if line < other:
            kept[event_id] = (event, line)
    logevents.keep_events(connection, [(i, e.key, e.type.value, line) for i, (e, line) in kept.items()])
    done.events_new += sum(1 for event_id in kept if event_id not in seen)
    return [event for event, _ in kept.values()]


@dataclass
class Replayed:
    """What ``replay_keys`` did: the ``replay`` of the keys' histories and the highlight ids ``written``."""

    replay: Replay
    written: list[int]


def replay_keys(
    connection: Connection, keys: Iterable[str], now: datetime | None, parsed: Mapping[str, Event] | None = None,
) -> Replayed:
    """Replay the whole history of the highlights ``keys`` name (with every key a re-key links to
    them) from ``log_events``, and write each such highlight here: its schedule and marks, and its
    ``reviews`` rows made the replay's applied grades; events are marked placed or waiting.
    ``parsed`` (event id as text → the event its stored line holds) spares parsing those lines again.
    The collection's ``scheduler`` events and every source's ``frequency`` events are part of every
    replay: they decide how grades schedule. A source's key (``frequency.event_key``) among ``keys``
    stands for every highlight of that source, and the sources' levels are then written too."""
    wanted = set(keys)
    sources = {key for key in wanted if is_source_key(key)}
    if sources:
        wanted = (wanted - sources) | _highlights_of_sources(connection, sources)
    linked = _linked_keys(connection, wanted) | {COLLECTION_KEY}
    known = parsed or {}
    lines = logevents.lines_of_keys(connection, linked) + frequencies.source_event_lines(connection)
    events = [known.get(i) or from_json(line) for i, line in lines]
    ids = replayed.highlight_ids(connection, linked)
    result = _replay_into(connection, events, ids, now)
    if sources:
        write_levels(connection, result.replay.levels)
    return result


def _highlights_of_sources(connection: Connection, sources: set[str]) -> set[str]:
    """The keys of every highlight of the sources named by ``sources`` (keys ``frequency.event_key``
    gives), whatever their status."""
    ids = [row.id for row in frequencies.source_rows(connection) if event_key(row.key) in sources]
    return frequencies.highlight_keys_of(connection, ids)


def source_lookup(connection: Connection, keys: Iterable[str] | None) -> Callable[[str], str | None]:
    """For the replay (``source_of``): a highlight key of ``keys`` (None: every highlight here) →
    its source's key in the log (``frequency.event_key``), None for a key not here."""
    by_key = frequencies.sources_of(connection, keys)
    named = {source: event_key(source) for source in set(by_key.values())}
    return lambda key: named.get(by_key.get(key, ""))


def source_levels(connection: Connection) -> dict[str, Level]:
    """Each source's level as the log's ``frequency`` events (and their undos) set it: source key in
    the log → level; a source absent is ``normal``."""
    events = [from_json(line) for _, line in frequencies.source_event_lines(connection)]
    return replay(events).levels if events else {}


def write_levels(connection: Connection, levels: Mapping[str, Level]) -> None:
    """Make every source's stored level the one ``levels`` gives it (source key in the log → level;
    ``normal`` for a source absent)."""
    if not levels:
        frequencies.reset_frequencies(connection)
        return
    wanted = ((row, levels.get(event_key(row.key), Level.NORMAL).value) for row in frequencies.source_rows(connection))
    frequencies.write_frequencies(connection, {row.id: level for row, level in wanted if level != row.frequency})


def _replay_into(connection: Connection, events: list[Event], ids: dict[str, int], now: datetime | None,
                 stored: Mapping[str, replayed.State] | None = None, *, every_highlight: bool = False) -> Replayed:
    """Replay ``events`` (whole histories) and write the highlights ``ids`` (key → row id) as the
    replay has them (``write_replay``; ``stored``: their states as stored, written only where they
    differ); the events are marked placed (a highlight here has their key, or they are the
    collection's or a source's) or waiting. ``every_highlight``: ``ids`` holds every highlight here."""
    source_of = None
    if any(event.level is not None for event in events):
        source_of = source_lookup(connection, None if every_highlight else ids)
    result = replay(events, now=now, present=ids.__contains__, source_of=source_of)
    write_replay(connection, result, ids, stored)
    placed: dict[str, bool] = {}
    for event in events:
        here = event.key == COLLECTION_KEY or is_source_key(event.key) or result.moved.get(event.id, event.key) in ids
        placed[event.key] = placed.get(event.key, False) or here
    logevents.set_placed(connection, [key for key, yes in placed.items() if yes], True)
    logevents.set_placed(connection, [key for key, yes in placed.items() if not yes], False)
    return Replayed(result, sorted(ids.values()))


def _linked_keys(connection: Connection, keys: set[str]) -> set[str]:
    """``keys`` and every key a re-key in the log links to one of them, either way, transitively."""
    edges: dict[str, set[str]] = {}
    for line in logevents.lines_of_type(connection, EventType.REKEY.value):
        rekey = from_json(line)
        assert rekey.to is not None
        edges.setdefault(rekey.key, set()).add(rekey.to)
        edges.setdefault(rekey.to, set()).add(rekey.key)
    linked, waiting = set(keys), deque(keys)
    while waiting:
        for other in edges.get(waiting.popleft(), ()):
            if other not in linked:
                linked.add(other)
                waiting.append(other)
    return linked


def write_replay(connection: Connection, result: Replay, ids: Mapping[str, int],
                 stored: Mapping[str, replayed.State] | None = None) -> None:
    """Write ``result`` for the highlights ``ids`` (key → row id): each one's state (``Snapshot()``
    for a key with no event; only where it differs from ``stored``, key → state, when given) and its
    ``reviews`` rows, exactly the replay's applied grades."""
    states = {key: state_tuple(result.state(key)) for key in ids}
    replayed.write_states(connection, {
        row: states[key] for key, row in ids.items() if stored is None or stored.get(key) != states[key]
    })
    grades: list[dict[str, Any]] = []
    for applied in result.applied:  # in replay order
        event = applied.event
        if event.type is EventType.GRADE and event.key in ids:
            grades.append({
                "highlight_id": ids[event.key], "event_id": str(event.id), "device": event.device,
                "reviewed_at": event.at, "study_day": event.day, "grade": event.grade, "kind": str(applied.kind),
                "seconds": event.seconds, **_sm2(applied.before, "before"), **_sm2(applied.after, "after"),
            })
    replayed.write_grades(connection, ids.values(), grades)


def state_tuple(state: Snapshot) -> replayed.State:
    """A snapshot as the database's ``replayed.STATE`` tuple."""
    return (state.repetitions, state.easiness, state.interval, state.due, state.skipped_until, state.discarded,
            state.favorite, state.stability, state.difficulty, state.reviewed)


def _sm2(state: Snapshot, when: str) -> dict[str, Any]:
    return {f"repetitions_{when}": state.repetitions, f"easiness_{when}": state.easiness,
            f"interval_{when}": state.interval, f"due_{when}": state.due}
