"""The table models: the one definition of recall's schema.

``migrations.py`` takes any older database to this schema (``tests/unit/test_schema.py``
checks that a database migrated from nothing equals one created from these models);
queries are Core statements on the tables below (``VAULTS`` … ``REVIEWS``).

Dates that mean a study day are ``date``; instants are aware UTC ``datetime``.
A highlight's SM-2 state lives on its row (easiness in hundredths, exact); the
review log keeps every grade with the state before and after it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DDL, CheckConstraint, Column, Index, Integer, MetaData, Table, Text, UniqueConstraint, event
from sqlalchemy import text as sql_text
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig

ZERO, ONE = sql_text("0"), sql_text("1")

# The order new highlights are drawn in: Knuth's multiplicative hash of the id, a 32-bit number
# that scatters neighbours (the highlights of one note) across the library. Highlights are
# indexed by it, so a study day's draw reads only the rows it takes (``db.queue.pick_new``).
DRAW_MULTIPLIER, DRAW_SPAN = 2654435761, 2**32
DRAW_SQL = f"(id * {DRAW_MULTIPLIER}) % {DRAW_SPAN}"


class TableModel(SQLModel):
    """The base of recall's table models. recall reads and writes through their tables (Core
    statements), never by validating model instances, so pydantic builds a model's validator
    only if one is ever asked for (``defer_build``), not at every start."""

    model_config = SQLModelConfig(defer_build=True)


class Vault(TableModel, table=True):
    """A vault folder recall imports from (``root`` a stored file name, see ``recall.fsnames``)."""

    __tablename__ = "vaults"
    id: int | None = Field(default=None, primary_key=True)
    root: str = Field(unique=True)
    first_import_at: datetime
    last_import_at: datetime


class Source(TableModel, table=True):
    """A book, article, tweet thread or podcast that highlights come from (``key`` its identity), and
    how often it comes back: ``frequency``, a ``recall.frequency.Level`` (the review log's ``frequency``
    events replayed; ``never`` keeps its highlights out of the queue)."""

    __tablename__ = "sources"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    title: str
    author: str | None = None
    category: str | None = None
    url: str | None = None
    cover_url: str | None = None
    first_seen: datetime
    last_seen: datetime
    frequency: str = Field(default="normal", sa_column_kwargs={"server_default": "normal"})


class VaultFile(TableModel, table=True):
    """A file of a vault as last seen (size, mtime, hash), present or gone."""

    __tablename__ = "files"
    __table_args__ = (UniqueConstraint("vault_id", "path"), Index("files_source", "source_id"))
    id: int | None = Field(default=None, primary_key=True)
    vault_id: int = Field(foreign_key="vaults.id")
    path: str
    size: int
    mtime_ns: int
    content_hash: str
    source_id: int | None = Field(default=None, foreign_key="sources.id")
    is_note: bool
    present: bool = Field(default=True, sa_column_kwargs={"server_default": ONE})
    last_seen: datetime


class Highlight(TableModel, table=True):
    """A highlight (``key`` its stable identity) with its SM-2 state: easiness in hundredths,
    interval in days, due a study day; ``words`` and ``placeholder`` as ``recall.quality`` measures its text."""

    __tablename__ = "highlights"
    __table_args__ = (
        # Cover the queue's and the stats' scans, so they never read the highlights' text.
        Index(
            "highlights_state", "source_id", "retired", "discarded", "due", "skipped_until", "favorite", "words",
            "placeholder",
        ),
        Index(  # source_id: the queue leaves out suspended sources (frequency never)
            "highlights_due", "due", "retired", "discarded", "skipped_until", "favorite", "words", "placeholder",
            "source_id", sqlite_where=sql_text("due IS NOT NULL"),
        ),
        Index("highlights_draw", sql_text(DRAW_SQL)),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    source_id: int = Field(foreign_key="sources.id")
    text: str
    note: str | None = None
    tags: str = Field(default="[]", sa_column_kwargs={"server_default": "[]"})  # a JSON list of str
    location: str | None = None
    location_url: str | None = None
    chapter: str | None = None
    retired: bool = Field(default=False, sa_column_kwargs={"server_default": ZERO})
    discarded: bool = Field(default=False, sa_column_kwargs={"server_default": ZERO})
    favorite: bool = Field(default=False, sa_column_kwargs={"server_default": ZERO})
    first_seen: datetime
    last_seen: datetime
    repetitions: int = Field(default=0, sa_column_kwargs={"server_default": ZERO})
    easiness: int = Field(default=250, sa_column_kwargs={"server_default": sql_text("250")})
    interval: int = Field(default=0, sa_column_kwargs={"server_default": ZERO})
    due: date | None = None
    skipped_until: date | None = None
    # What the text says, for the daily queue's quality filter (recall.quality): its words
    # (None: not counted, so never left out) and whether it stands for a missing text.
    words: int | None = None
    placeholder: bool = Field(default=False, sa_column_kwargs={"server_default": ZERO})
    # While FSRS schedules (recall.scheduling), the memory state: stability in days, difficulty
    # 1-10 and the study day of the last review; None under SM-2 and for a highlight never reviewed.
    stability: float | None = None
    difficulty: float | None = None
    last_review: date | None = None


class Occurrence(TableModel, table=True):
    """Where a highlight is written: a file and a line (1-based)."""

    __tablename__ = "occurrences"
    __table_args__ = (Index("occurrences_highlight", "highlight_id"), {"sqlite_with_rowid": False})
    file_id: int = Field(foreign_key="files.id", primary_key=True, ondelete="CASCADE")
    line: int = Field(primary_key=True)
    highlight_id: int = Field(foreign_key="highlights.id")


class Review(TableModel, table=True):
    """One row of the review log: a grade (0-5) with the SM-2 state before and after it."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("grade BETWEEN 0 AND 5"),
        CheckConstraint("kind IN ('review', 'drill')"),
        Index("reviews_day", "study_day"),
        Index("reviews_highlight", "highlight_id"),
        Index("reviews_event", "event_id", unique=True, sqlite_where=sql_text("event_id IS NOT NULL")),
        {"sqlite_autoincrement": True},  # ids are never reused
    )
    id: int | None = Field(default=None, primary_key=True)
    highlight_id: int = Field(foreign_key="highlights.id")
    reviewed_at: datetime
    study_day: date
    grade: int
    kind: str  # a ReviewKind
    seconds: float | None = None
    repetitions_before: int
    easiness_before: int
    interval_before: int
    due_before: date | None = None
    repetitions_after: int
    easiness_after: int
    interval_after: int
    due_after: date | None = None
    # The review log's event this row was written with (a UUID as text; None: a row older than the
    # log) and the device that wrote it (docs/review-log.md).
    event_id: str | None = None
    device: str | None = None


class LogFile(SQLModel, table=True):
    """How far one file of the review log has been read (``recall.reviewlog.files.Cursor``): per
    log ``root`` (a stored file name, see ``recall.fsnames``) and ``path`` (relative to it, ``/``),
    its ``size`` (bytes) and ``mtime_ns`` then, ``offset`` (bytes: after the last complete line
    read), ``lines`` (complete lines before it), ``last_line`` (a digest of the line ending there),
    and the torn tail after it: ``torn`` (bytes) and ``torn_since`` (``time.time()`` seconds, first seen)."""

    __tablename__ = "log_files"
    __table_args__ = ({"sqlite_with_rowid": False},)
    root: str = Field(primary_key=True)
    path: str = Field(primary_key=True)
    size: int
    mtime_ns: int
    offset: int
    lines: int
    last_line: str
    torn: int
    torn_since: float | None = None


class LogEvent(TableModel, table=True):
    """One event of the review log as read (``recall.reviewlog.catchup``): its ``id`` (UUID text),
    the highlight ``key`` it names, its ``type`` and its JSON ``line``; ``placed`` once a highlight
    here had that key when it was last replayed (0: waiting for an import to bring the highlight)."""

    __tablename__ = "log_events"
    __table_args__ = (
        Index("log_events_key", "key"),
        Index("log_events_unplaced", "key", sqlite_where=sql_text("placed = 0")),
        {"sqlite_with_rowid": False},
    )
    id: str = Field(primary_key=True)
    key: str
    type: str
    line: str
    placed: bool = Field(default=False, sa_column_kwargs={"server_default": ZERO})


class LogHistory(TableModel, table=True):
    """One row once the history older than the review log (``reviews`` rows with no event, the
    marks) has been written to the log as events (``recall.reviewlog.history``): when, and how many."""

    __tablename__ = "log_history"
    __table_args__ = (CheckConstraint("id = 1"),)
    id: int = Field(primary_key=True)
    migrated_at: datetime
    events: int


class SearchIndexState(TableModel, table=True):
    """Whether the search index (``highlights_fts`` below) is built: one row (id 1). Until it is,
    the index is empty and its triggers do nothing; ``recall search`` builds it first."""

    __tablename__ = "search_index_state"
    __table_args__ = (CheckConstraint("id = 1"),)
    id: int = Field(primary_key=True)
    built: bool = Field(default=False, sa_column_kwargs={"server_default": ZERO})


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


# The models' tables, for SQLAlchemy Core statements: reading columns (not model
# instances) skips per-row validation, which the daily commands cannot afford.
VAULTS, SOURCES, FILES = _table("vaults"), _table("sources"), _table("files")
HIGHLIGHTS, OCCURRENCES, REVIEWS = _table("highlights"), _table("occurrences"), _table("reviews")
SEARCH_INDEX_STATE, LOG_FILES = _table("search_index_state"), _table("log_files")
LOG_EVENTS, LOG_HISTORY = _table("log_events"), _table("log_history")


# The full-text index of `recall search` (SQLite FTS5): one row per highlight (rowid = its id)
# holding its text and note and its source's title and author. It is built on first use
# (``search.build_search_index``: one INSERT … SELECT), not row by row during the first
# import, which the triggers would make twice as long; from then on the triggers on both
# tables keep it in step (the import's bulk writes included), each WHEN the index is built
# (``search_index_state``). Created after the tables, so that a database made from the models
# has it exactly as migration 4 makes it.
SEARCH_INDEX_DDL = (
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
    "INSERT INTO search_index_state (id, built) VALUES (1, 0)",
)
for _statement in SEARCH_INDEX_DDL:
    event.listen(SQLModel.metadata, "after_create", DDL(_statement))

# The index as a table handle for Core queries; on a metadata of its own, since it is not a
# table create_all may make (the DDL above makes it).
SEARCH_INDEX = Table(
    "highlights_fts", MetaData(),
    Column("rowid", Integer, primary_key=True), Column("text", Text), Column("note", Text), Column("title", Text),
    Column("author", Text), Column("rank", Integer),
)
