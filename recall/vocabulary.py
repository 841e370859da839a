"""The words recall's layers share: review kinds, highlight statuses, the grades and their keys.

Stored as text in the database (``reviews.kind``) and shown in exports, so each
member's value is the stored word. The grades are SuperMemo's 0-5 (docs/sm2.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class ReviewKind(StrEnum):
    """A row of the review log: the first grade of a highlight on a study day changes its
    schedule (``REVIEW``); later grades that day are practice only (``DRILL``)."""

    REVIEW = "review"
    DRILL = "drill"


class HighlightStatus(StrEnum):
    """Where a highlight stands: in the queue, gone from the vault, or set aside by the user
    (discarded wins over retired)."""

    ACTIVE = "active"
    RETIRED = "retired"
    DISCARDED = "discarded"


class PromptStyle(StrEnum):
    """What a review card asks before the reveal (setting ``prompt``): a cloze (a few key words
    blanked), a cue (the source and the first words), or the full highlight (rereading)."""

    CLOZE = "cloze"
    CUE = "cue"
    FULL = "full"


MIN_GRADE: Final = 0
MAX_GRADE: Final = 5
@dataclass(frozen=True)
class QueueFilter:
    """How a session or ``recall due`` is narrowed: source (a title substring, any case, or a
    source id typed as a whole number), tag, category (``#`` optional), favourites only, and at
    most ``limit`` highlights.

    ``min_words`` is the quality filter: a number leaves out highlights of fewer words than it
    and placeholders (an image alone, ``AirrQuote``); None, as ``--all`` asks, keeps them.
    """

    source: str | None = None
    tag: str | None = None
    category: str | None = None
    limit: int | None = None
    favorite: bool = False
    min_words: int | None = None

    @property
    def source_id(self) -> int | None:
        """The source as an id, when it is typed as one: ASCII digits within SQLite's integers."""
        text = (self.source or "").strip()
        if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
            return None
        return int(text)

    def describe(self) -> str:
        """The filter in words, for the session bar: 'source “Deep Work” · tag #focus · favourites · at most 5'.

        The quality filter is the daily queue's own, so it is not named."""
        parts = []
        if self.source:
            parts.append(f"source “{self.source}”")
        if self.tag:
            parts.append("tag #" + self.tag.lstrip("#"))
        if self.category:
            parts.append("category " + self.category.lstrip("#"))
        if self.favorite:
            parts.append("favourites")
        if self.limit is not None:
            parts.append(f"at most {self.limit}")
        return " · ".join(parts)


MAX_ID: Final = 2**63 - 1
"""The largest id SQLite can store (a signed 64-bit integer)."""


PASS_GRADE: Final = 3
"""SM-2: grades from here up count as recalled (repetitions go on); below it is a lapse."""
DRILL_PASS_GRADE: Final = 4
"""SM-2 step 7: highlights graded below this are drilled again the same study day."""

GRADE_CAPTIONS: Final[Mapping[int, str]] = MappingProxyType(
    {0: "Blackout", 1: "Wrong", 2: "Almost", 3: "Hard", 4: "Good", 5: "Perfect"}
)
"""Short captions for the six SM-2 grades, fit for a footer."""

GRADE_DESCRIPTIONS: Final[Mapping[int, str]] = MappingProxyType(
    {
        0: "complete blackout",
        1: "incorrect response; the correct one remembered on seeing it",
        2: "incorrect response; where the correct one seemed easy to recall",
        3: "correct response recalled with serious difficulty",
        4: "correct response after a hesitation",
        5: "perfect response",
    }
)
"""SuperMemo's own wording for each grade (help panel, docs)."""


@dataclass(frozen=True, slots=True)
class GradeButton:
    """One key of a grade preset: press ``key`` to give ``grade``, shown as ``caption``."""

    key: str
    grade: int
    caption: str


PRESETS: Final[Mapping[str, tuple[GradeButton, ...]]] = MappingProxyType(
    {
        "sm2": tuple(GradeButton(str(q), q, GRADE_CAPTIONS[q]) for q in range(MIN_GRADE, MAX_GRADE + 1)),
        "four": (
            GradeButton("1", 2, "Again"),
            GradeButton("2", 3, "Hard"),
            GradeButton("3", 4, "Good"),
            GradeButton("4", 5, "Easy"),
        ),
    }
)
"""The grade keys the review screen offers; which preset is a setting (``grade_preset``)."""
