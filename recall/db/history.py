"""One highlight in full and the review log, as Core statements on the models' tables:
what `recall show`, `recall export reviews` and `recall optimize` read.

Instants leave as ISO 8601 with an offset (UTC), study days as ``YYYY-MM-DD``, the ease
factor as exact two-decimal text (``"2.50"``), intervals in days.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import Engine, select

from recall.db.conditions import status
from recall.db.models import FILES, HIGHLIGHTS, OCCURRENCES, REVIEWS, SOURCES
from recall.db.reviews import SQLITE_MAX_ID, SQLITE_MIN_ID
from recall.db.timestamps import iso_instant
from recall.fsnames import readable
from recall.vocabulary import ReviewKind

REVIEW_COLUMNS = [
    "review_id", "reviewed_at", "study_day", "highlight_id", "highlight_key", "grade", "kind", "seconds",
    "repetitions_before", "easiness_before", "interval_before", "due_before",
    "repetitions_after", "easiness_after", "interval_after", "due_after",
]
"""The columns of ``export reviews``, in order (README, "Exporting the review log"); stable."""

h, s, r = HIGHLIGHTS.c, SOURCES.c, REVIEWS.c


def easiness_text(hundredths: int) -> str:
    """An EF stored in hundredths as exact text: 250 gives ``"2.50"``."""
    return str(Decimal(hundredths).scaleb(-2))


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def review_log(engine: Engine, highlight_id: int | None = None) -> Iterator[dict[str, Any]]:
    """Every row of the review log in the order the grades were given (study day, instant, then
    review id, so every device lists a synced history alike; review ids are this database's), or
    only the highlight ``highlight_id``'s; each a dict keyed by ``REVIEW_COLUMNS``.

    ``reviewed_at`` is an ISO 8601 UTC instant, ``study_day``/``due_*`` ``YYYY-MM-DD`` (due
    None for a highlight not yet scheduled), ``kind`` ``review`` or ``drill``, ``seconds``
    the time spent answering (float or None), ``easiness_*`` text such as ``"2.50"``.
    """
    statement = (
        select(
            r.id, r.reviewed_at, r.study_day, r.highlight_id, h.key, r.grade, r.kind, r.seconds,
            r.repetitions_before, r.easiness_before, r.interval_before, r.due_before,
            r.repetitions_after, r.easiness_after, r.interval_after, r.due_after,
        )
        .join(HIGHLIGHTS, h.id == r.highlight_id).order_by(r.study_day, r.reviewed_at, r.id)
    )
    if highlight_id is not None:
        statement = statement.where(r.highlight_id == highlight_id)
    with engine.connect() as connection:
        for row in connection.execute(statement):
            record = dict(zip(REVIEW_COLUMNS, row, strict=True))
            record["reviewed_at"] = iso_instant(record["reviewed_at"])
            for side in ("before", "after"):
                record[f"easiness_{side}"] = easiness_text(record[f"easiness_{side}"])
                record[f"due_{side}"] = _day(record[f"due_{side}"])
            record["study_day"] = _day(record["study_day"])
            yield record


def review_histories(engine: Engine) -> list[list[tuple[date, int]]]:
    """Every reviewed highlight's reviews, drills left out: one list of (study day, grade 0-5)
    pairs per highlight, in order of study day (one review per highlight and study day), the
    highlights in order of id; retired and discarded ones too, for what they say about memory.
    What ``recall optimize`` fits FSRS to (``recall.fitting``)."""
    statement = (
        select(r.highlight_id, r.study_day, r.grade).where(r.kind == ReviewKind.REVIEW)
        .order_by(r.highlight_id, r.study_day, r.reviewed_at, r.id)
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    return [[(day, grade) for _, day, grade in group] for _, group in groupby(rows, key=lambda row: row[0])]


def highlight_record(engine: Engine, highlight_id: int) -> dict[str, Any] | None:
    """One highlight with its source, place and schedule, JSON-ready; None when no highlight
    has that id (ids outside SQLite's integer range included).

    Keys: ``id``, ``key``, ``text``, ``note``, ``tags`` (list of str), ``location``,
    ``location_url``, ``chapter``, ``status`` (``active``/``retired``/``discarded``),
    ``favorite`` (bool), ``skipped_until`` (a study day or None), ``first_seen``/``last_seen``
    (ISO 8601 instants), ``source`` {``id``, ``title``, ``author``, ``category``, ``url``},
    ``file``/``line`` (vault-relative path and 1-based line of its first place, preferring a
    file still there; None when it is written nowhere now) and ``schedule`` {``repetitions``,
    ``easiness`` (text, ``"2.50"``), ``interval`` (days), ``due`` (study day or None)}.
    """
    if not SQLITE_MIN_ID <= highlight_id <= SQLITE_MAX_ID:
        return None
    fields = (
        select(h.id, h.key, h.text, h.note, h.tags, h.location, h.location_url, h.chapter, status().label("status"),
               h.favorite, h.skipped_until, h.first_seen, h.last_seen, h.repetitions, h.easiness, h.interval, h.due,
               s.id.label("source_id"), s.title, s.author, s.category, s.url)
        .join(SOURCES, s.id == h.source_id).where(h.id == highlight_id)
    )
    o, f = OCCURRENCES.c, FILES.c
    place = (
        select(f.path, o.line).join_from(OCCURRENCES, FILES, f.id == o.file_id).where(o.highlight_id == highlight_id)
        .order_by(f.present.desc(), o.file_id, o.line).limit(1)
    )
    with engine.connect() as connection:
        row = connection.execute(fields).first()
        if row is None:
            return None
        where = connection.execute(place).first()
    return {
        "id": row.id, "key": row.key, "text": row.text, "note": row.note, "tags": json.loads(row.tags),
        "location": row.location, "location_url": row.location_url, "chapter": row.chapter, "status": row.status,
        "favorite": bool(row.favorite), "skipped_until": _day(row.skipped_until),
        "first_seen": iso_instant(row.first_seen), "last_seen": iso_instant(row.last_seen),
        "source": {"id": row.source_id, "title": row.title, "author": row.author, "category": row.category,
                   "url": row.url},
        "file": readable(where.path) if where else None, "line": where.line if where else None,
        "schedule": {"repetitions": row.repetitions, "easiness": easiness_text(row.easiness),
                     "interval": row.interval, "due": _day(row.due)},
    }
