"""The JSON values of the review log's lines, checked one by one: pure, no I/O, no clock.

Each checker takes a value as ``json.loads`` gave it and the field's ``name``, and returns it
(as the type recall uses) or raises ``ValueError`` naming the field and what was wrong, so
``recall.reviewlog.events`` can say ``path:line: reason`` for a bad line.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import UTC, date, datetime
from typing import Any

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def instant_text(instant: datetime) -> str:
    """An aware instant as the log writes it: UTC, microseconds, ``Z`` (``2026-03-02T09:30:00.000000Z``)."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_instant(value: object) -> datetime:
    """An ISO 8601 instant with its offset (``Z`` or ``+01:00``) as an aware UTC datetime."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})", value):
        raise ValueError(f"at must be an ISO 8601 instant with an offset, got {value!r}")
    try:
        return datetime.fromisoformat(value).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"at must be an ISO 8601 instant with an offset, got {value!r}") from None


def no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise ValueError(f"field {name!r} given twice")
        result[name] = value
    return result


def no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def kind_of(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def whole(value: object, name: str, low: int, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be a whole number {bounds}, got {value!r}")
    return value


def positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0


def boolean(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false, got {value!r}")
    return value


def text(value: object, name: str, longest: int) -> str:
    if not isinstance(value, str) or not value or len(value) > longest:
        raise ValueError(f"{name} must be a non-empty string of at most {longest} characters, got {value!r}")
    return value


def canonical_uuid(value: object, name: str) -> uuid.UUID:
    """A UUID written canonically (36 lowercase characters), so one event has one spelling."""
    try:
        if isinstance(value, str) and str(parsed := uuid.UUID(value)) == value:
            return parsed
    except ValueError:
        pass
    raise ValueError(f"{name} must be a UUID in lowercase 8-4-4-4-12 form, got {value!r}")


def iso_day(value: object, name: str) -> date:
    if isinstance(value, str) and DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{name} must be a date YYYY-MM-DD, got {value!r}")


def optional_day(value: object, name: str) -> date | None:
    return None if value is None else iso_day(value, name)


def day_text(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
