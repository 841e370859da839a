"""Instants as SQLite text, in the same form SQLAlchemy stores aware datetimes, and back out as ISO 8601."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_text(instant: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC, for bulk SQL that bypasses the ORM."""
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def iso_instant(stored: str | datetime | None) -> str | None:
    """A stored UTC instant as ISO 8601 with ``T`` and an offset, for everything that leaves recall.

    ``2026-03-02 09:30:00.000000`` (or the naive UTC datetime SQLAlchemy reads from it) gives
    ``2026-03-02T09:30:00+00:00`` (microseconds only when there are any); ``None`` stays
    ``None``. Raises ``ValueError`` for text that is no timestamp.
    """
    if stored is None:
        return None
    instant = stored if isinstance(stored, datetime) else datetime.fromisoformat(stored)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC).isoformat()
