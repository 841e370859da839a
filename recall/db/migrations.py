"""Ordered schema migrations, recorded in ``PRAGMA user_version``.

Migration N is a function that takes the schema from version N-1 to N on a cursor inside
the upgrade's transaction; its SQL is frozen text, because a released migration must
never change when the table models (``models.py``) do. ``tests/unit/test_schema.py``
checks that a database migrated from nothing equals one created from the models. Never
edit a released migration: append a new one; ``tests/fixtures/make_fixtures.py`` then
writes the new version's fixture database. Before upgrading a database that already
holds data, the engine takes a backup (``VACUUM INTO``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Cursor], None]


def sql_migration(script: str) -> Migration:
    """A migration that runs ``script``'s statements (separated by ``;``) in order."""
    return statements_migration(*script.split(";"))


def statements_migration(*statements: str) -> Migration:
    """A migration that runs ``statements`` in order, each whole (a trigger's body holds ``;``)."""

    def run(cursor: sqlite3.Cursor) -> None:
        for statement in statements:
            if statement.strip():
                cursor.execute(statement)

    return run


# 1: vaults, files, sources, highlights (with their SM-2 state), occurrences, reviews
initial_schema = sql_migration(
    """
    CREATE TABLE vaults (
        id INTEGER PRIMARY KEY,
        root TEXT NOT NULL UNIQUE,
        first_import_at DATETIME NOT NULL,
        last_import_at DATETIME NOT NULL
    );
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        author TEXT,
        category TEXT,
        url TEXT,
        cover_url TEXT,
        first_seen DATETIME NOT NULL,
        last_seen DATETIME NOT NULL
    );
    CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        vault_id INTEGER NOT NULL REFERENCES vaults(id),
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        source_id INTEGER REFERENCES sources(id),
        is_note BOOLEAN NOT NULL,
        present BOOLEAN NOT NULL DEFAULT 1,
        last_seen DATETIME NOT NULL,
        UNIQUE (vault_id, path)
    );
    CREATE INDEX files_source ON files(source_id);
    CREATE TABLE highlights (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        text TEXT NOT NULL,
        note TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        location TEXT,
        location_url TEXT,
        chapter TEXT,
        retired BOOLEAN NOT NULL DEFAULT 0,
        discarded BOOLEAN NOT NULL DEFAULT 0,
        favorite BOOLEAN NOT NULL DEFAULT 0,
        first_seen DATETIME NOT NULL,
        last_seen DATETIME NOT NULL,
        repetitions INTEGER NOT NULL DEFAULT 0,
        easiness INTEGER NOT NULL DEFAULT 250,
        interval INTEGER NOT NULL DEFAULT 0,
        due DATE,
        skipped_until DATE
    );
    -- Covers the queue's and the stats' scans, so they never read the highlights' text.
    CREATE INDEX highlights_state ON highlights(source_id, retired, discarded, due, skipped_until);
    CREATE INDEX highlights_due ON highlights(due, retired, discarded, skipped_until) WHERE due IS NOT NULL;
    CREATE TABLE occurrences (
        file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        line INTEGER NOT NULL,
        highlight_id INTEGER NOT NULL REFERENCES highlights(id),
        PRIMARY KEY (file_id, line)
    ) WITHOUT ROWID;
    CREATE INDEX occurrences_highlight ON occurrences(highlight_id);
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        highlight_id INTEGER NOT NULL REFERENCES highlights(id),
        reviewed_at DATETIME NOT NULL,
        study_day DATE NOT NULL,
        grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
        kind TEXT NOT NULL CHECK (kind IN ('review', 'drill')),
        seconds REAL,
        repetitions_before INTEGER NOT NULL,
        easiness_before INTEGER NOT NULL,
        interval_before INTEGER NOT NULL,
        due_before DATE,
        repetitions_after INTEGER NOT NULL,
        easiness_after INTEGER NOT NULL,
        interval_after INTEGER NOT NULL,
        due_after DATE
    );
    CREATE INDEX reviews_day ON reviews(study_day);
    CREATE INDEX reviews_highlight ON reviews(highlight_id);
    """
)

# 2: review ids are never reused (AUTOINCREMENT), so an undo can never take back
# a grade that was logged after the one it meant, even after other undos.
review_ids_never_reused = sql_migration(
    """
    CREATE TABLE reviews_v2 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        highlight_id INTEGER NOT NULL REFERENCES highlights(id),
        reviewed_at DATETIME NOT NULL,
        study_day DATE NOT NULL,
        grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
        kind TEXT NOT NULL CHECK (kind IN ('review', 'drill')),
        seconds REAL,
        repetitions_before INTEGER NOT NULL,
        easiness_before INTEGER NOT NULL,
        interval_before INTEGER NOT NULL,
        due_before DATE,
        repetitions_after INTEGER NOT NULL,
        easiness_after INTEGER NOT NULL,
        interval_after INTEGER NOT NULL,
        due_after DATE
    );
    INSERT INTO reviews_v2 SELECT * FROM reviews;
    DROP TABLE reviews;
    ALTER TABLE reviews_v2 RENAME TO reviews;
    CREATE INDEX reviews_day ON reviews(study_day);
    CREATE INDEX reviews_highlight ON reviews(highlight_id);
    """
)


# 3: each highlight's words and whether it is a placeholder, for the daily queue's quality
# filter; the queue's two indexes cover them (and the favourite mark), so the queue never
# reads a highlight's text.
_measured_columns = sql_migration(
    """
    ALTER TABLE highlights ADD COLUMN words INTEGER;
    ALTER TABLE highlights ADD COLUMN placeholder BOOLEAN NOT NULL DEFAULT 0;
    DROP INDEX highlights_state;
    DROP INDEX highlights_due;
    CREATE INDEX highlights_state
        ON highlights(source_id, retired, discarded, due, skipped_until, favorite, words, placeholder);
    CREATE INDEX highlights_due ON highlights(due, retired, discarded, skipped_until, favorite, words, placeholder)
        WHERE due IS NOT NULL
    """
)


def highlights_measured(cursor: sqlite3.Cursor) -> None:
    """Migration 3: the columns and indexes above, then every highlight's text measured with
    ``recall.quality`` (the rule the import applies; measuring is data, not schema)."""
    from recall.quality import measure

    _measured_columns(cursor)
    rows = cursor.execute("SELECT id, text FROM highlights").fetchall()
    cursor.executemany(
        "UPDATE highlights SET words = ?, placeholder = ? WHERE id = ?",
        [(*measure(text), highlight_id) for highlight_id, text in rows],
    )



# 4: the full-text index of `recall search` (FTS5), created empty and "not built": filling it
# row by row through triggers would more than double a first import's time, so `recall search`
# fills it in one statement the first time it is needed (``search.build_search_index``). The
# triggers keep it in step only once it is built (``search_index_state.built``).
search_index = statements_migration(
    """CREATE TABLE search_index_state (
        id INTEGER NOT NULL CHECK (id = 1),
        built BOOLEAN NOT NULL DEFAULT 0,
        PRIMARY KEY (id)
    )""",
    "INSERT INTO search_index_state (id, built) VALUES (1, 0)",
    """CREATE VIRTUAL TABLE highlights_fts USING fts5(
        text, note, title, author, tokenize = 'unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER highlights_fts_insert AFTER INSERT ON highlights
    WHEN (SELECT built FROM search_index_state) BEGIN
        INSERT INTO highlights_fts (rowid, text, note, title, author)
        SELECT new.id, new.text, new.note, sources.title, sources.author FROM sources WHERE sources.id = new.source_id;
    END""",
    """CREATE TRIGGER highlights_fts_update AFTER UPDATE OF text, note, source_id ON highlights
    WHEN (old.text IS NOT new.text OR old.note IS NOT new.note OR old.source_id IS NOT new.source_id)
        AND (SELECT built FROM search_index_state) BEGIN
        DELETE FROM highlights_fts WHERE rowid = old.id;
        INSERT INTO highlights_fts (rowid, text, note, title, author)
        SELECT new.id, new.text, new.note, sources.title, sources.author FROM sources WHERE sources.id = new.source_id;
    END""",
    """CREATE TRIGGER highlights_fts_delete AFTER DELETE ON highlights
    WHEN (SELECT built FROM search_index_state) BEGIN
        DELETE FROM highlights_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER sources_fts_update AFTER UPDATE OF title, author ON sources
    WHEN (old.title IS NOT new.title OR old.author IS NOT new.author)
        AND (SELECT built FROM search_index_state) BEGIN
        UPDATE highlights_fts SET title = new.title, author = new.author
        WHERE rowid IN (SELECT id FROM highlights WHERE source_id = new.id);
    END""",
)

# 5: the highlights indexed in the order new ones are drawn (``models.DRAW_SQL``), so picking a
# study day's new highlights reads those it takes instead of hashing every new highlight.
new_highlights_drawn = statements_migration(
    "CREATE INDEX highlights_draw ON highlights((id * 2654435761) % 4294967296)",
)


# 6: the review log (docs/review-log.md): each review row names the event it was written with
# (its UUID, unique where there is one; rows older than the log have none) and the device that
# wrote it; ``log_files`` keeps, per log root and file, how far the incremental read got (the
# fields of ``recall.reviewlog.files.Cursor``), so an unchanged file is never read again.
review_log = sql_migration(
    """
    ALTER TABLE reviews ADD COLUMN event_id TEXT;
    ALTER TABLE reviews ADD COLUMN device TEXT;
    CREATE UNIQUE INDEX reviews_event ON reviews(event_id) WHERE event_id IS NOT NULL;
    CREATE TABLE log_files (
        root TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        "offset" INTEGER NOT NULL,
        lines INTEGER NOT NULL,
        last_line TEXT NOT NULL,
        torn INTEGER NOT NULL,
        torn_since REAL,
        PRIMARY KEY (root, path)
    ) WITHOUT ROWID
    """
)

# 7: the review log's events as read (docs/review-log.md, "Catch-up"): each event once by its id,
# with the highlight key it names, its type and its JSON line, so that a highlight's whole history
# can be replayed when another device's event arrives without reading every log file again;
# ``placed`` is 0 while no highlight here has the key (a note not imported yet), so a later import
# replays it. ``log_history`` holds one row once the database's history older than the log has been
# written to the log (step 8: it runs once); a database with no history (a new one) has nothing to
# write, so it gets its row here, before any action can log an event the migration would repeat.
log_events = sql_migration(
    """
    CREATE TABLE log_events (
        id TEXT NOT NULL,
        "key" TEXT NOT NULL,
        type TEXT NOT NULL,
        line TEXT NOT NULL,
        placed BOOLEAN NOT NULL DEFAULT 0,
        PRIMARY KEY (id)
    ) WITHOUT ROWID;
    CREATE INDEX log_events_key ON log_events("key");
    CREATE INDEX log_events_unplaced ON log_events("key") WHERE placed = 0;
    CREATE TABLE log_history (
        id INTEGER NOT NULL CHECK (id = 1),
        migrated_at DATETIME NOT NULL,
        events INTEGER NOT NULL,
        PRIMARY KEY (id)
    );
    INSERT INTO log_history (id, migrated_at, events) SELECT 1, CURRENT_TIMESTAMP, 0
        WHERE NOT EXISTS (SELECT 1 FROM reviews)
        AND NOT EXISTS (SELECT 1 FROM highlights WHERE discarded OR favorite OR skipped_until IS NOT NULL)
    """
)

# 8: a highlight's FSRS memory state while FSRS schedules (issue 14; None otherwise): stability in
# days, difficulty from 1 to 10 and the study day of its last review (``recall.scheduling``).
fsrs_memory = sql_migration(
    """
    ALTER TABLE highlights ADD COLUMN stability FLOAT;
    ALTER TABLE highlights ADD COLUMN difficulty FLOAT;
    ALTER TABLE highlights ADD COLUMN last_review DATE
    """
)

# 9: how often each source comes back (issue 14, ``recall.frequency``): its level as the review log's
# ``frequency`` events set it (a cache of their replay, like a highlight's schedule); ``never`` keeps
# the source's highlights out of the queue, so the due index gains ``source_id`` to stay covering.
source_frequency = sql_migration(
    """
    ALTER TABLE sources ADD COLUMN frequency TEXT NOT NULL DEFAULT 'normal';
    DROP INDEX highlights_due;
    CREATE INDEX highlights_due ON highlights(due, retired, discarded, skipped_until, favorite, words, placeholder,
        source_id) WHERE due IS NOT NULL
    """
)

MIGRATIONS: list[Migration] = [
    initial_schema, review_ids_never_reused, highlights_measured, search_index, new_highlights_drawn, review_log,
    log_events, fsrs_memory, source_frequency,
]
SCHEMA_VERSION = len(MIGRATIONS)
