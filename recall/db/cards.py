"""What the review app reads to show one highlight, as Core statements on the models' tables."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, Row, exists, func, select

from recall.db.models import FILES, HIGHLIGHTS, OCCURRENCES, REVIEWS, SOURCES, VAULTS
from recall.vocabulary import ReviewKind

h, s, r = HIGHLIGHTS.c, SOURCES.c, REVIEWS.c


def anything_imported(engine: Engine) -> bool:
    """Does the database hold any highlight (of any status)?"""
    with engine.connect() as connection:
        return bool(connection.execute(select(exists().where(h.id.is_not(None)))).scalar_one())


def card_fields(engine: Engine, highlight_id: int, day: date) -> tuple[Row, Row | None] | None:
    """The highlight's fields for a card on study day ``day``, or None when no highlight has that id.

    The first row has ``id, key, text, note, tags`` (JSON text), ``location, location_url, chapter,
    favorite, due`` (a ``date`` or None), its SM-2 state ``repetitions, easiness`` (hundredths)
    ``, interval`` (days), its FSRS memory state ``stability, difficulty, last_review`` (None under
    SM-2), ``review_count`` (rows of its review log, drills included),
    ``reviewed_on_day`` (has ``day``'s review been given?) and its source's ``source_id, title, author,
    category, url, frequency``;
    the second, where it is written: ``root, path`` (stored file names, see
    ``recall.fsnames``) and ``line`` (1-based), preferring a file still in the vault;
    None when it occurs in no file.
    """
    fields = (
        select(h.id, h.key, h.text, h.note, h.tags, h.location, h.location_url, h.chapter, h.favorite, h.due,
               h.repetitions, h.easiness, h.interval, h.stability, h.difficulty, h.last_review,
               select(func.count()).where(r.highlight_id == h.id).scalar_subquery().label("review_count"),
               exists().where(r.highlight_id == h.id, r.study_day == day, r.kind == ReviewKind.REVIEW)
               .label("reviewed_on_day"),
               s.id.label("source_id"), s.title, s.author, s.category, s.url, s.frequency)
        .join(SOURCES, s.id == h.source_id).where(h.id == highlight_id)
    )
    o, f = OCCURRENCES.c, FILES.c
    place = (
        select(VAULTS.c.root, f.path, o.line).join_from(OCCURRENCES, FILES, f.id == o.file_id)
        .join(VAULTS, VAULTS.c.id == f.vault_id).where(o.highlight_id == highlight_id)
        .order_by(f.present.desc(), o.file_id, o.line).limit(1)
    )
    with engine.connect() as connection:
        row = connection.execute(fields).first()
        return None if row is None else (row, connection.execute(place).first())


