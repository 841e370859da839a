"""The words recall's layers share: review kinds, highlight statuses and the pass grades.

Stored as text in the database (``reviews.kind``) and shown in exports, so each
member's value is the stored word. The grades are SuperMemo's 0-5 (docs/sm2.md).
"""

from __future__ import annotations

from enum import StrEnum
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


PASS_GRADE: Final = 3
"""SM-2: grades from here up count as recalled (repetitions go on); below it is a lapse."""
DRILL_PASS_GRADE: Final = 4
"""SM-2 step 7: highlights graded below this are drilled again the same study day."""
