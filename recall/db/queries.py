"""Read queries shared by the CLI and the review app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, and_, func, null, select

from recall.db.conditions import active_on, count_where, in_library, status
from recall.db.models import FILES, HIGHLIGHTS, OCCURRENCES, REVIEWS, SOURCES
from recall.db.timestamps import iso_instant
from recall.fsnames import readable

HIGHLIGHT_COLUMNS = [
    "id", "text", "note", "tags", "location", "location_url", "chapter", "title", "author", "category",
    "source_url", "file", "line", "status", "favorite", "first_seen", "last_seen",
    "repetitions", "easiness", "interval", "due", "last_review", "stability", "difficulty", "retrievability",
]
h, s = HIGHLIGHTS.c, SOURCES.c

def export_highlights(engine: Engine) -> Iterator[dict[str, Any]]:
    """Every highlight (any status) with its source, first place in the vault and schedule.

    Rows are keyed by ``HIGHLIGHT_COLUMNS``: ``tags`` a list of str, ``favorite`` a
    bool, ``easiness`` the EF as exact two-decimal text (``"2.50"``, what the shared
    import cases read), ``first_seen``/``last_seen`` ISO 8601 instants with an
    offset, ``due``/``last_review`` study days (``YYYY-MM-DD``) or None; while FSRS schedules, a
    reviewed highlight's ``stability`` (days) and ``difficulty`` (1-10), None otherwise;
    ``retrievability`` is None here (it depends on the day and the scheduler: the caller's).
    """
    o, f, r = OCCURRENCES.c, FILES.c, REVIEWS.c
    first_file = (
        select(f.path).join_from(OCCURRENCES, FILES, f.id == o.file_id).where(o.highlight_id == h.id)
        .order_by(o.file_id, o.line).limit(1).scalar_subquery()
    )
    first_line = select(o.line).where(o.highlight_id == h.id).order_by(o.file_id, o.line).limit(1).scalar_subquery()
    statement = (
        select(
            h.id, h.text, h.note, h.tags, h.location, h.location_url, h.chapter, s.title, s.author, s.category, s.url,
            first_file, first_line, status(), h.favorite, h.first_seen, h.last_seen, h.repetitions, h.easiness, h.interval, h.due,
            select(func.max(r.study_day)).where(r.highlight_id == h.id).scalar_subquery(), h.stability, h.difficulty,
            null(),
        )
        .join(SOURCES, s.id == h.source_id).order_by(h.id)
    )
    with engine.connect() as connection:
        for row in connection.execute(statement):
            record = dict(zip(HIGHLIGHT_COLUMNS, row, strict=True))
            record["tags"] = json.loads(record["tags"])
            if record["file"] is not None:
                record["file"] = readable(record["file"])
            record["favorite"] = bool(record["favorite"])
            record["easiness"] = str(Decimal(record["easiness"]).scaleb(-2))  # stored in hundredths
            record["first_seen"] = iso_instant(record["first_seen"])
            record["last_seen"] = iso_instant(record["last_seen"])
            record["due"] = _iso_day(record["due"])
            record["last_review"] = _iso_day(record["last_review"])
            yield record


def _iso_day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def source_listing(engine: Engine, day: date) -> list[dict[str, Any]]:
    """Every source with a highlight, most active first (then by title, then id): ``id``, ``title``,
    ``author``, ``category``, and counts of its highlights: ``active`` (in the library), ``due``
    (active on study day ``day`` and due on it or before: what today's queue may hold, before the
    daily limits), ``reviewed`` (in the library and reviewed at least once) and ``total`` (any status),
    and its ``frequency`` level (``recall.frequency``: ``never`` leaves its highlights out of the queue)."""
    active = count_where(in_library()).label("active")
    statement = (
        select(s.id, s.title, s.author, s.category, active, count_where(and_(active_on(day), h.due <= day)),
               count_where(and_(in_library(), h.due.is_not(None))), func.count(h.id), s.frequency)
        .join_from(SOURCES, HIGHLIGHTS, h.source_id == s.id).group_by(s.id).order_by(active.desc(), s.title, s.id)
    )
    keys = ("id", "title", "author", "category", "active", "due", "reviewed", "total", "frequency")
    with engine.connect() as connection:
        return [dict(zip(keys, row, strict=True)) for row in connection.execute(statement)]
