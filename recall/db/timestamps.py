"""Instants as SQLite text, in the same form SQLAlchemy stores aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_text(instant: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC, for bulk SQL that bypasses the ORM."""
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
