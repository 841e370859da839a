"""`recall due`: today's queue as data (its terminal rendering is ``agenda_view``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from recall.db.queue import queue_details
from recall.scheduler.agenda_view import SHOWN, print_agenda
from recall.scheduler.queue import build_queue, daily_filter, forecast

if TYPE_CHECKING:
    from recall.context import Context

FORECAST_DAYS = 7


def agenda(
    context: Context, source: str | None = None, tag: str | None = None, category: str | None = None,
    limit: int | None = None, favorite: bool = False, everything: bool = False,
) -> dict[str, Any]:
    """The queue for today with counts and the coming days' load, JSON-ready.

    ``everything`` (``--all``) lifts the quality filter; otherwise ``counts`` says how many
    highlights it left out: ``left_out_due`` (due today or overdue) and ``left_out_new``.
    """
    today = context.today()
    settings = context.settings
    where = daily_filter(
        settings.min_words, everything, source=source, tag=tag, category=category, limit=limit, favorite=favorite
    )
    queue = build_queue(context.engine, today, settings.new_per_day, settings.reviews_per_day, where)
    details = queue_details(context.engine, queue.highlight_ids)
    items = []
    for position, highlight_id in enumerate(queue.highlight_ids, 1):
        row = details[highlight_id]
        due = row["due"]
        items.append(
            {"position": position, "id": highlight_id, "kind": "due" if due else "new",
             "due": due.isoformat() if due else None, "overdue_days": (today - due).days if due else None,
             "title": row["title"], "author": row["author"], "location": row["location"], "text": row["text"]}
        )
    with context.engine.connect() as connection:
        coming = forecast(connection, today, FORECAST_DAYS, daily_filter(settings.min_words, everything))
    return {
        "study_day": today.isoformat(),
        "counts": {
            "due": queue.due_count, "new": queue.new_count, "done_today": queue.reviewed_today,
            "new_today": queue.new_today, "due_total": queue.due_total, "new_available": queue.new_available,
            "left_out_due": queue.left_out_due, "left_out_new": queue.left_out_new,
        },
        "queue": items,
        "break": None if queue.on_break is None else {
            "start": queue.on_break.start.isoformat(), "end": queue.on_break.end.isoformat(),
        },
        "next_due_day": coming.next_due_day.isoformat() if coming.next_due_day else None,
        "upcoming": [{"day": d.isoformat(), "count": n} for d, n in coming.by_day if n],
    }


# The terminal rendering lives beside: ``recall due`` calls it from here.
__all__ = ["FORECAST_DAYS", "SHOWN", "agenda", "print_agenda"]
