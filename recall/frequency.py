"""How often a source (a book, an article …) comes back: its frequency level (issue 14). Pure: no I/O.

A source's level is the collection's, kept in the review log (a ``frequency`` event, key
``event_key(source key)``), so every device schedules its highlights alike. The level in effect
at a grade shapes that grade's due day (``recall.scheduling.graded``); setting a level never moves
a due day already set.

- **SM-2** keeps its own interval exact in the state and the due day becomes
  ``day + max(1, ceil(interval × factor))`` (``sm2_days``): ``more`` ×½, ``normal`` ×1, ``less`` ×2,
  ``rarely`` ×4.
- **FSRS** schedules the grade at the source's own desired retention: the one whose interval is
  that multiple of the interval at the collection's retention (``recall.scheduling.level_retention``).
- ``never`` suspends the source: its highlights leave the daily queue with their schedules kept,
  until another level is set (a grade given meanwhile, on a device that had not heard of it,
  is scheduled as ``normal``).
"""

from __future__ import annotations

import hashlib
import math
from enum import StrEnum
from fractions import Fraction
from typing import Final

SOURCE_PREFIX: Final = "source:"  # the key of a frequency event (and of an undo of one) starts with it


class Level(StrEnum):
    """A source's frequency, most often first; the value is what the log, the database and the CLI spell."""

    MORE = "more"
    NORMAL = "normal"
    LESS = "less"
    RARELY = "rarely"
    NEVER = "never"


LEVELS: Final = tuple(Level)  # most often first: ``+`` steps left, ``-`` steps right
FACTORS: Final = {
    Level.MORE: Fraction(1, 2), Level.NORMAL: Fraction(1), Level.LESS: Fraction(2), Level.RARELY: Fraction(4),
    Level.NEVER: Fraction(1),  # suspended: nothing is scheduled for it; a grade that comes anyway is scheduled as normal
}


def event_key(source_key: str) -> str:
    """The review log's key for the source whose identity key (``sources.key``, its normalised title
    and author) is ``source_key``: ``source:`` and a 24-hex digest of it, as short as a highlight's key
    and holding none of the title's text (a title can be longer than an event's key may be)."""
    digest = hashlib.blake2b(source_key.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    return SOURCE_PREFIX + digest


def is_source_key(key: str) -> bool:
    """Does the review log's ``key`` name a source (a frequency event, or an undo of one)?"""
    return key.startswith(SOURCE_PREFIX)


def parse_level(text: str) -> Level:
    """The level typed (any case); ``ValueError`` naming the levels otherwise."""
    try:
        return Level(text.strip().lower())
    except ValueError:
        raise ValueError(f"frequency must be one of {', '.join(LEVELS)}, got {text!r}") from None


def stepped(level: Level, more: bool) -> Level | None:
    """The next level towards ``more`` often (``+``) or less often (``-``, down to ``never``); None at the end."""
    place = LEVELS.index(level) + (-1 if more else 1)
    return LEVELS[place] if 0 <= place < len(LEVELS) else None


def sm2_days(interval: int, level: Level) -> int:
    """Days from a review to its due day under SM-2 for a source at ``level``: SM-2's ``interval``
    times the level's factor, rounded up, at least 1 (exact: the factors are fractions)."""
    factor = FACTORS[level]
    return max(1, math.ceil(interval * factor)) if factor != 1 else interval


def factor_text(level: Level) -> str:
    """The factor as people read it: "×0.5", "×1", "×2", "×4"."""
    factor = FACTORS[level]
    return f"×{float(factor):g}"
