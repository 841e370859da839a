"""The review log's events as read, and the history marker: the ``log_events`` and ``log_history`` tables.

``log_events`` holds each event read from the review log once (by its id, a UUID as text), with
the identity ``key`` it names, its ``type`` (the JSON ``type``) and its JSON ``line``, so that
``recall.reviewlog.catchup`` can replay a highlight's whole history when another device's event
arrives, without reading every log file again. ``placed`` is 1 once a highlight here had the key
when it was last replayed. ``log_history`` has one row once the history older than the log was
written to it (``recall.reviewlog.history``). Every function runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from recall.db.models import LOG_EVENTS, LOG_HISTORY

BATCH: Final = 500  # ids or keys per IN (…): well under SQLite's bound-parameter limit


def _batches(values: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(values))
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]


def known_lines(connection: Connection, ids: Iterable[str]) -> dict[str, str]:
    """The stored JSON line of each of ``ids`` (event ids as text) that is stored: id → line."""
    e = LOG_EVENTS.c
    found: dict[str, str] = {}
    for batch in _batches(ids):
        found.update((i, line) for i, line in connection.execute(select(e.id, e.line).where(e.id.in_(batch))))
    return found


def keep_events(connection: Connection, rows: Sequence[tuple[str, str, str, str]], *, placed: bool = False) -> None:
    """Store ``(id, key, type, line)`` rows; an id already stored takes the new key, type and line
    (the caller decides which of two lines under one id is kept) and is to be placed again.
    ``placed``: the new rows' highlights are here already (an action's own events)."""
    if not rows:
        return
    e = LOG_EVENTS.c
    stored = known_lines(connection, (row[0] for row in rows))
    fresh = [{"id": i, "key": k, "type": t, "line": line, "placed": placed} for i, k, t, line in rows if i not in stored]
    changed = [{"event": i, "key": k, "type": t, "line": line} for i, k, t, line in rows if i in stored]
    if fresh:
        connection.execute(insert(LOG_EVENTS), fresh)
    if changed:
        connection.execute(
            update(LOG_EVENTS).where(e.id == bindparam("event"))
            .values(key=bindparam("key"), type=bindparam("type"), line=bindparam("line"), placed=False),
            changed,
        )


def lines_of_keys(connection: Connection, keys: Iterable[str]) -> list[tuple[str, str]]:
    """Every stored event naming one of ``keys`` (identity keys): ``(id, line)``."""
    e = LOG_EVENTS.c
    lines: list[tuple[str, str]] = []
    for batch in _batches(keys):
        lines += [(i, line) for i, line in connection.execute(select(e.id, e.line).where(e.key.in_(batch)))]
    return lines


def keys_with_events(connection: Connection, keys: Iterable[str]) -> set[str]:
    """Those of ``keys`` (identity keys) that a stored event names."""
    e = LOG_EVENTS.c
    found: set[str] = set()
    for batch in _batches(keys):
        found.update(connection.execute(select(e.key).where(e.key.in_(batch)).distinct()).scalars())
    return found


def lines_of_type(connection: Connection, type: str) -> list[str]:
    """Every stored line of an event of ``type`` (the JSON ``type``, e.g. ``rekey``)."""
    return list(connection.execute(select(LOG_EVENTS.c.line).where(LOG_EVENTS.c.type == type)).scalars())


def unplaced_keys(connection: Connection) -> set[str]:
    """The keys of events no highlight here had when they were last replayed."""
    e = LOG_EVENTS.c
    # "placed = 0", as the partial index log_events_unplaced says it ("IS 0" would read the whole table)
    return set(connection.execute(select(e.key).where(e.placed == False).distinct()).scalars())  # noqa: E712


def set_placed(connection: Connection, keys: Iterable[str], placed: bool) -> None:
    """Mark every event naming one of ``keys`` as placed (a highlight here has it) or not."""
    e = LOG_EVENTS.c
    for batch in _batches(keys):
        connection.execute(update(LOG_EVENTS).where(e.key.in_(batch), e.placed.is_not(placed)).values(placed=placed))


def event_count(connection: Connection) -> int:
    """How many events are stored."""
    return int(connection.execute(select(func.count()).select_from(LOG_EVENTS)).scalar_one())


def forget_events(connection: Connection) -> None:
    """Forget every stored event (``recall db rebuild`` reads the whole log again)."""
    connection.execute(delete(LOG_EVENTS))


def history_migrated(connection: Connection) -> bool:
    """Has the history older than the review log been written to it (``log_history`` has its row)?"""
    return connection.execute(select(LOG_HISTORY.c.id)).first() is not None


def mark_history_migrated(connection: Connection, at: datetime, events: int) -> None:
    """Record that the history was written to the log at ``at`` (an aware instant) as ``events`` events."""
    connection.execute(insert(LOG_HISTORY).values(id=1, migrated_at=at.astimezone(UTC), events=events))
