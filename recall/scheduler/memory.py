"""What FSRS's memory state says today: each highlight's retrievability, for the exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from recall.db.engine import Engine
from recall.reviewlog.collection import current_settings
from recall.reviewlog.events import Snapshot
from recall.scheduling import retrievability


def with_retrievability(engine: Engine, rows: Iterable[dict[str, Any]], day: date) -> Iterator[dict[str, Any]]:
    """``rows`` (``export_highlights``'s: ``stability`` in days, ``difficulty``, ``last_review`` as
    ``YYYY-MM-DD``) with ``retrievability`` filled in: the probability (0-1, four places) that the
    highlight is recalled on study day ``day`` under the collection's FSRS weights; None where it has
    no memory state (SM-2 schedules, or never reviewed). Lazy: rows are read as they are written."""
    with engine.connect() as connection:
        settings = current_settings(connection)
    for row in rows:
        if row["stability"] is not None and row["last_review"] is not None:
            state = Snapshot(stability=row["stability"], difficulty=row["difficulty"],
                             reviewed=date.fromisoformat(row["last_review"]))
            recalled = retrievability(state, day, settings)
            row["retrievability"] = None if recalled is None else round(recalled, 4)
        yield row
