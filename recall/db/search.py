"""`recall search`: the full-text index (SQLite FTS5, ``SEARCH_INDEX`` in ``models.py``) asked
for highlights whose text, note or source title or author hold every word typed.

What the user types is words, never FTS5 syntax: each whitespace-separated piece becomes a
quoted phrase (a ``"`` inside doubled), so quotes, ``-``, ``*``, ``NEAR``, ``AND``, ``:`` and
unbalanced quotes are searched for as text and can never make a query SQLite refuses.
Matching ignores case and accents (``cafe`` finds ``Café``); a word matches whole words.

The index is built on first use: migration 4 creates it empty and "not built"
(``search_index_state``), so that a first import does not pay for it row by row (its triggers
do nothing until it is built). ``search`` builds it first when it is not built yet, in one
INSERT … SELECT in one write transaction (``build_search_index``); from then on the triggers
keep it in step with every write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, literal_column, select, true, update

from recall.db.conditions import status
from recall.db.engine import writing
from recall.db.models import HIGHLIGHTS, SEARCH_INDEX, SEARCH_INDEX_STATE, SOURCES

MATCH_START, MATCH_END = "\ue000", "\ue001"
"""Marks around each matched word in a snippet (private-use characters: vault text never
needs them); the printer turns them into emphasis."""
SNIPPET_WORDS = 24

h, s, x = HIGHLIGHTS.c, SOURCES.c, SEARCH_INDEX.c

_FILL_INDEX = insert(SEARCH_INDEX).from_select(  # every highlight in one statement, as the triggers write each
    [x.rowid, x.text, x.note, x.title, x.author],
    select(h.id, h.text, h.note, s.title, s.author).select_from(HIGHLIGHTS).join(SOURCES, s.id == h.source_id),
)


def search_index_built(connection: Connection) -> bool:
    """Whether the search index holds every highlight (and its triggers keep it so)."""
    return bool(connection.execute(select(SEARCH_INDEX_STATE.c.built).where(SEARCH_INDEX_STATE.c.id == 1)).scalar())


def build_search_index(engine: Engine, starting: Callable[[int], None] | None = None) -> bool:
    """Fill the search index with every highlight and mark it built, in one write transaction,
    unless it is built already (checked inside that transaction, so two searches at once build
    it once). ``starting`` is told the number of highlights before the work begins. True when
    this call built it."""
    with engine.connect() as connection:
        if search_index_built(connection):
            return False
    with writing(engine) as connection:
        if search_index_built(connection):  # another recall built it while this one waited
            return False
        if starting is not None:
            starting(int(connection.execute(select(func.count()).select_from(HIGHLIGHTS)).scalar_one()))
        connection.execute(delete(SEARCH_INDEX))  # empty already; so that no highlight is ever in it twice
        connection.execute(_FILL_INDEX)
        connection.execute(update(SEARCH_INDEX_STATE).where(SEARCH_INDEX_STATE.c.id == 1).values(built=true()))
    return True


def match_expression(typed: str) -> str | None:
    """The FTS5 query for ``typed``: every piece between spaces as a quoted phrase, all required;
    None when nothing was typed but spaces. A NUL (which would end the query inside SQLite) is a space."""
    words = typed.replace("\x00", " ").split()
    if not words:
        return None
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


@dataclass(frozen=True)
class SearchResult:
    """What a search found: ``total`` matching highlights, and the best ``rows`` (by FTS5's
    rank, bm25), each {``id``, ``status``, ``title``, ``author``, ``text``, ``snippet``,
    ``matched_in``}: ``snippet`` a piece of the text (or of the note, when only the note
    matched) with ``MATCH_START``/``MATCH_END`` around matched words; ``matched_in`` which of
    ``text``, ``note``, ``source`` held a match (the first that did)."""

    total: int
    rows: list[dict[str, Any]]


def search(
    engine: Engine, typed: str, limit: int, building: Callable[[int], None] | None = None
) -> SearchResult:
    """Highlights (any status) matching every word of ``typed`` (see the module docstring),
    the best ``limit`` first. An empty query finds nothing. When the index is not built yet it
    is built first (``build_search_index``; ``building`` is told how many highlights it takes)."""
    expression = match_expression(typed)
    if expression is None:
        return SearchResult(0, [])
    build_search_index(engine, building)
    index: Any = literal_column("highlights_fts")  # FTS5 names the table itself for MATCH and snippet()
    matches = index.op("MATCH")(expression)

    def snippet(column: int) -> Any:
        return func.snippet(index, column, MATCH_START, MATCH_END, "…", SNIPPET_WORDS)

    statement = (
        select(h.id, status().label("status"), s.title, s.author, h.text, snippet(0), snippet(1))
        .select_from(SEARCH_INDEX).join(HIGHLIGHTS, h.id == x.rowid).join(SOURCES, s.id == h.source_id)
        .where(matches).order_by(x.rank, h.id).limit(limit)
    )
    with engine.connect() as connection:
        total = int(connection.execute(select(func.count()).select_from(SEARCH_INDEX).where(matches)).scalar_one())
        rows = []
        for row in connection.execute(statement):
            in_text, in_note = row[5], row[6]
            if MATCH_START in (in_text or ""):
                found, where = in_text, "text"
            elif MATCH_START in (in_note or ""):
                found, where = in_note, "note"
            else:
                found, where = in_text, "source"
            rows.append({"id": row.id, "status": row.status, "title": row.title, "author": row.author,
                         "text": row.text, "snippet": found, "matched_in": where})
    return SearchResult(total, rows)
