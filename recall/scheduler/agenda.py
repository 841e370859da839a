"""`recall due`: today's queue as data, and its terminal rendering."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from recall.db.queue import queue_details
from recall.scheduler.queue import build_queue, daily_filter, forecast
from recall.text import one_line

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
        "next_due_day": coming.next_due_day.isoformat() if coming.next_due_day else None,
        "upcoming": [{"day": d.isoformat(), "count": n} for d, n in coming.by_day if n],
    }


SHOWN = 30
"""Rows of the queue printed in the terminal (``--json`` has them all)."""


def print_agenda(result: dict[str, Any]) -> None:
    """A compact rendering for the terminal. Plain text: vault text is never read as markup."""
    counts = result["counts"]
    lines = [
        f"Study day {result['study_day']}: {counts['due']} due, {counts['new']} new in the queue; "
        f"{counts['done_today']} reviewed today."
    ]
    queue = result["queue"]
    for item in queue[:SHOWN]:
        when = f"{item['overdue_days']}d late" if item["overdue_days"] else ("due" if item["due"] else "new")
        snippet = one_line(item["text"])
        snippet = snippet[:56] + "…" if len(snippet) > 57 else snippet
        lines.append(f"{item['position']:>4} {item['id']:>7}  {when:<8} {snippet:<57}  {one_line(item['title'])[:40]}")
    if len(queue) > SHOWN:
        lines.append(f"     … and {len(queue) - SHOWN} more (--json lists them all)")
    if not queue:
        lines.append("Nothing left to review today.")
    if result["upcoming"]:
        load = ", ".join(f"{_day_name(u['day'], result['study_day'])} {u['count']}" for u in result["upcoming"])
        lines.append(f"Coming up: {load}")
    elif result["next_due_day"]:
        lines.append(f"Next highlights fall due on {result['next_due_day']}.")
    print("\n".join(lines))


def _day_name(day: str, today: str) -> str:
    delta = date.fromisoformat(day) - date.fromisoformat(today)
    return "tomorrow" if delta == timedelta(days=1) else day
