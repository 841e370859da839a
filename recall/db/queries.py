"""Read queries shared by the CLI and the review app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from recall.db.timestamps import iso_instant
from recall.fsnames import readable

HIGHLIGHT_COLUMNS = [
    "id", "text", "note", "tags", "location", "location_url", "chapter", "title", "author", "category",
    "source_url", "file", "line", "status", "favorite", "first_seen", "last_seen",
    "repetitions", "easiness", "interval", "due", "last_review",
]

STATUS_SQL = "CASE WHEN h.discarded THEN 'discarded' WHEN h.retired THEN 'retired' ELSE 'active' END"


def export_highlights(engine: Engine) -> Iterator[dict[str, Any]]:
    """Every highlight (any status) with its source, first place in the vault and schedule.

    Rows are keyed by ``HIGHLIGHT_COLUMNS``: ``tags`` a list of str, ``favorite`` a
    bool, ``easiness`` the EF as exact two-decimal text (``"2.50"``, what the shared
    import cases read), ``first_seen``/``last_seen`` ISO 8601 instants with an
    offset, ``due``/``last_review`` study days (``YYYY-MM-DD``) or None.
    """
    sql = f"""
        SELECT h.id, h.text, h.note, h.tags, h.location, h.location_url, h.chapter,
               s.title, s.author, s.category, s.url,
               (SELECT f.path FROM occurrences o JOIN files f ON f.id = o.file_id
                 WHERE o.highlight_id = h.id ORDER BY o.file_id, o.line LIMIT 1),
               (SELECT o.line FROM occurrences o
                 WHERE o.highlight_id = h.id ORDER BY o.file_id, o.line LIMIT 1),
               {STATUS_SQL}, h.favorite, h.first_seen, h.last_seen,
               h.repetitions, h.easiness, h.interval, h.due,
               (SELECT max(r.study_day) FROM reviews r WHERE r.highlight_id = h.id)
        FROM highlights h JOIN sources s ON s.id = h.source_id
        ORDER BY h.id
    """
    with engine.connect() as connection:
        for row in connection.exec_driver_sql(sql):
            record = dict(zip(HIGHLIGHT_COLUMNS, row, strict=True))
            record["tags"] = json.loads(record["tags"])
            if record["file"] is not None:
                record["file"] = readable(record["file"])
            record["favorite"] = bool(record["favorite"])
            record["easiness"] = str(Decimal(record["easiness"]).scaleb(-2))  # stored in hundredths
            record["first_seen"] = iso_instant(record["first_seen"])
            record["last_seen"] = iso_instant(record["last_seen"])
            yield record


def source_listing(engine: Engine) -> list[dict[str, Any]]:
    """Sources with their active highlight counts, largest first."""
    sql = """
        SELECT s.title, s.author, s.category,
               sum(NOT h.retired AND NOT h.discarded), count(h.id)
        FROM sources s JOIN highlights h ON h.source_id = s.id
        GROUP BY s.id ORDER BY 4 DESC, s.title
    """
    with engine.connect() as connection:
        return [
            {"title": t, "author": a, "category": c, "active": n, "total": total}
            for t, a, c, n, total in connection.exec_driver_sql(sql)
        ]
