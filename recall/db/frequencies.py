"""Sources and their frequency level (``sources.frequency``, ``recall.frequency.Level`` as text), as
the review log's catch-up, the frequency action and ``recall sources`` read and write them.

The level is a cache of the replay of the log's ``frequency`` events, as a highlight's schedule is;
sources are named in the log by ``frequency.event_key(sources.key)``. Every function that takes a
connection runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, Engine, Row, bindparam, select, update

from recall.db.logevents import BATCH
from recall.db.models import HIGHLIGHTS, LOG_EVENTS, SOURCES
from recall.frequency import SOURCE_PREFIX

h, s = HIGHLIGHTS.c, SOURCES.c
SOURCE_FIELDS = (s.id, s.key, s.title, s.author, s.category, s.frequency)


def source_rows(connection: Connection) -> list[Row]:
    """Every source: ``id``, ``key`` (its identity), ``title``, ``author``, ``category``, ``frequency``."""
    return list(connection.execute(select(*SOURCE_FIELDS).order_by(s.id)))


def source_row(connection: Connection, source_id: int) -> Row | None:
    """The source with that id (``source_rows``' fields), or None."""
    return connection.execute(select(*SOURCE_FIELDS).where(s.id == source_id)).first()


def matching_sources(engine: Engine, typed: str) -> list[Row]:
    """The sources ``typed`` names, as ``recall sources`` shows them (``source_rows``' fields, by
    id): the source with that id when ``typed`` is one and it exists, else those whose title holds
    ``typed`` (any case, as ``--source`` matches)."""
    with engine.connect() as connection:
        if typed.isascii() and typed.isdigit() and len(typed) < 19:
            found = source_row(connection, int(typed))
            if found is not None:
                return [found]
        pattern = "%" + typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return list(connection.execute(select(*SOURCE_FIELDS).where(s.title.like(pattern, escape="\\")).order_by(s.id)))


def sources_of(connection: Connection, keys: Iterable[str] | None) -> dict[str, str]:
    """Each highlight's source identity key: highlight key → ``sources.key``, for ``keys`` (None: every highlight)."""
    statement = select(h.key, s.key).join(SOURCES, s.id == h.source_id)
    if keys is None:
        return {key: source for key, source in connection.execute(statement)}
    found: dict[str, str] = {}
    items = sorted(set(keys))
    for start in range(0, len(items), BATCH):
        found.update((k, source) for k, source in connection.execute(statement.where(h.key.in_(items[start:start + BATCH]))))
    return found


def highlight_keys_of(connection: Connection, source_ids: Iterable[int]) -> set[str]:
    """The keys of every highlight of the sources ``source_ids``, whatever their status."""
    found: set[str] = set()
    items = sorted(set(source_ids))
    for start in range(0, len(items), BATCH):
        found.update(connection.execute(select(h.key).where(h.source_id.in_(items[start:start + BATCH]))).scalars())
    return found


def highlight_ids_of(engine: Engine, source_id: int) -> set[int]:
    """The ids of every highlight of the source ``source_id``."""
    with engine.connect() as connection:
        return set(connection.execute(select(h.id).where(h.source_id == source_id)).scalars())


def write_frequencies(connection: Connection, frequencies: Mapping[int, str]) -> None:
    """Set each source's level: source id → level (as text); rows already holding it are left alone."""
    if frequencies:
        connection.execute(
            update(SOURCES).where(s.id == bindparam("row"), s.frequency != bindparam("level")).values(frequency=bindparam("level")),
            [{"row": source_id, "level": level} for source_id, level in frequencies.items()],
        )


def reset_frequencies(connection: Connection) -> None:
    """Every source back to ``normal`` (the log sets no level)."""
    connection.execute(update(SOURCES).where(s.frequency != "normal").values(frequency="normal"))


def source_event_lines(connection: Connection) -> list[tuple[str, str]]:
    """Every stored event about a source (a ``frequency`` event or an undo of one: its key starts
    with ``source:``), read by a range of the key index: ``(id, line)``."""
    e = LOG_EVENTS.c
    after = SOURCE_PREFIX[:-1] + chr(ord(SOURCE_PREFIX[-1]) + 1)  # "source;": every key with the prefix sorts before it
    return list(connection.execute(select(e.id, e.line).where(e.key >= SOURCE_PREFIX, e.key < after)))
