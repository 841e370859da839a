"""`recall show`: one highlight in full, with every grade it was given."""

from __future__ import annotations

from typing import Any

from recall.db import history
from recall.db.engine import Engine
from recall.scheduler.actions import HighlightNotFound


def highlight_history(engine: Engine, highlight_id: int) -> dict[str, Any]:
    """The highlight ``highlight_id`` as ``recall.db.history.highlight_record`` gives it, plus
    ``reviews``: every row of its review log, oldest first, keyed as ``REVIEW_COLUMNS`` without
    the highlight's own id and key. JSON-ready.

    Raises ``HighlightNotFound`` (exit 4) when no highlight has that id.
    """
    record = history.highlight_record(engine, highlight_id)
    if record is None:
        raise HighlightNotFound(f"no highlight with id {highlight_id}")
    record["reviews"] = [
        {key: value for key, value in row.items() if key not in ("highlight_id", "highlight_key")}
        for row in history.review_log(engine, highlight_id)
    ]
    return record
