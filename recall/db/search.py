"""`recall search`: the full-text index (SQLite FTS5, ``SEARCH_INDEX`` in ``models.py``) asked
for highlights whose text, note or source title or author hold every word typed.

What the user types is words, never FTS5 syntax: each whitespace-separated piece becomes a
quoted phrase (a ``"`` inside doubled), so quotes, ``-``, ``*``, ``NEAR``, ``AND``, ``:`` and
unbalanced quotes are searched for as text and can never make a query SQLite refuses.
Matching ignores case and accents (``cafe`` finds ``Café``); a word matches whole words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, literal_column, select

from recall.db.conditions import status
from recall.db.models import HIGHLIGHTS, SEARCH_INDEX, SOURCES

MATCH_START, MATCH_END = "\ue000", "\ue001"
"""Marks around each matched word in a snippet (private-use characters: vault text never
needs them); the printer turns them into emphasis."""
SNIPPET_WORDS = 24

h, s, x = HIGHLIGHTS.c, SOURCES.c, SEARCH_INDEX.c


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


def search(engine: Engine, typed: str, limit: int) -> SearchResult:
    """Highlights (any status) matching every word of ``typed`` (see the module docstring),
    the best ``limit`` first. An empty query finds nothing."""
    expression = match_expression(typed)
    if expression is None:
        return SearchResult(0, [])
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
