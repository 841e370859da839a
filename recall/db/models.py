"""Table models, mirroring the schema that ``migrations.py`` creates.

Dates that mean a study day are ``date``; instants are aware UTC ``datetime``.
A highlight's SM-2 state lives on its row (easiness in hundredths, exact); the
review log keeps every grade with the state before and after it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Table
from sqlmodel import Field, SQLModel


class Vault(SQLModel, table=True):
    __tablename__ = "vaults"
    id: int | None = Field(default=None, primary_key=True)
    root: str = Field(unique=True)
    first_import_at: datetime
    last_import_at: datetime


class Source(SQLModel, table=True):
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


class VaultFile(SQLModel, table=True):
    __tablename__ = "files"
    id: int | None = Field(default=None, primary_key=True)
    vault_id: int = Field(foreign_key="vaults.id")
    path: str
    size: int
    mtime_ns: int
    content_hash: str
    source_id: int | None = Field(default=None, foreign_key="sources.id")
    is_note: bool
    present: bool = True
    last_seen: datetime


class Highlight(SQLModel, table=True):
    __tablename__ = "highlights"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    source_id: int = Field(foreign_key="sources.id")
    text: str
    note: str | None = None
    tags: str = "[]"
    location: str | None = None
    location_url: str | None = None
    chapter: str | None = None
    retired: bool = False
    discarded: bool = False
    favorite: bool = False
    first_seen: datetime
    last_seen: datetime
    repetitions: int = 0
    easiness: int = 250
    interval: int = 0
    due: date | None = None
    skipped_until: date | None = None


class Occurrence(SQLModel, table=True):
    __tablename__ = "occurrences"
    file_id: int = Field(foreign_key="files.id", primary_key=True)
    line: int = Field(primary_key=True)
    highlight_id: int = Field(foreign_key="highlights.id")


class Review(SQLModel, table=True):
    __tablename__ = "reviews"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused
    id: int | None = Field(default=None, primary_key=True)
    highlight_id: int = Field(foreign_key="highlights.id")
    reviewed_at: datetime
    study_day: date
    grade: int
    kind: str
    seconds: float | None = None
    repetitions_before: int
    easiness_before: int
    interval_before: int
    due_before: date | None = None
    repetitions_after: int
    easiness_after: int
    interval_after: int
    due_after: date | None = None


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


# The models' tables, for SQLAlchemy Core statements: reading columns (not model
# instances) skips per-row validation, which the daily commands cannot afford.
VAULTS, SOURCES, FILES = _table("vaults"), _table("sources"), _table("files")
HIGHLIGHTS, OCCURRENCES, REVIEWS = _table("highlights"), _table("occurrences"), _table("reviews")
