"""`recall due` in the terminal: today's queue as a table fitted to the terminal's width.

Columns are measured in display cells (``recall.columns``: CJK and emoji take two), so a row
never wraps; highlight text is shown as the plain text its Markdown reads as
(``recall.plain``) and, like titles, literally (``recall.text.one_line``).
"""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from typing import Any

from recall.columns import cut_end, cut_middle, pad, terminal_width, width
from recall.plain import plain_text
from recall.text import one_line

SHOWN = 30
"""Rows of the queue printed in the terminal (``--json`` has them all)."""
GAP = "  "
WHEN_WIDTH = len("999d late")


def _when(item: dict[str, Any]) -> str:
    if item["overdue_days"]:
        return f"{item['overdue_days']}d late"
    return "due" if item["due"] else "new"


def agenda_lines(result: dict[str, Any], cells: int) -> list[str]:
    """The lines of ``recall due`` for an ``agenda`` result, none wider than ``cells`` cells:
    the day's counts, a header (#, Id, When, Highlight, Source), up to ``SHOWN`` rows, then
    what is left and the coming days' load (wrapped at ``cells``)."""
    counts = result["counts"]
    lines = textwrap.wrap(
        f"Study day {result['study_day']}: {counts['due']} due, {counts['new']} new in the queue; "
        f"{counts['done_today']} reviewed today.", cells,
    )
    queue = result["queue"]
    shown = queue[:SHOWN]
    if shown:
        position_w = max(len("#"), *(len(str(item["position"])) for item in shown))
        id_w = max(len("Id"), *(len(str(item["id"])) for item in shown))
        when_w = max(len("When"), *(len(_when(item)) for item in shown))
        snippets = [one_line(plain_text(item["text"])) for item in shown]
        titles = [one_line(item["title"]) for item in shown]
        fixed = position_w + id_w + when_w + 4 * len(GAP)
        wanted_title = max(len("Source"), *(width(t) for t in titles))
        available = cells - fixed
        title_w = min(wanted_title, max(12, available // 3))  # the highlight gets the most room
        text_w = available - title_w
        if text_w < 12:  # very narrow: the highlight alone
            text_w, title_w = max(8, available + len(GAP)), 0

        def row(position: str, ident: str, when: str, text: str, title: str) -> str:
            parts = [pad(position, position_w, right=True), pad(ident, id_w, right=True), pad(when, when_w),
                     pad(cut_end(text, text_w), text_w)]
            if title_w:
                parts.append(cut_middle(title, title_w))
            return GAP.join(parts).rstrip()

        lines.append(row("#", "Id", "When", "Highlight", "Source"))
        for item, snippet, title in zip(shown, snippets, titles, strict=True):
            lines.append(row(str(item["position"]), str(item["id"]), _when(item), snippet, title))
    if len(queue) > SHOWN:
        lines.append(f"… and {len(queue) - SHOWN} more (--json lists them all)")
    if result.get("break"):
        lines += textwrap.wrap(
            f"A break until {result['break']['end']}: nothing is due and nothing new is drawn "
            "(`recall break --cancel` ends it).", cells,
        )
    elif not queue:
        lines.append("Nothing left to review today.")
    if result["upcoming"]:
        load = ", ".join(f"{_day_name(u['day'], result['study_day'])} {u['count']}" for u in result["upcoming"])
        lines += textwrap.wrap(f"Coming up: {load}", cells, subsequent_indent="  ")
    elif result["next_due_day"]:
        lines.append(f"Next highlights fall due on {result['next_due_day']}.")
    return lines


def print_agenda(result: dict[str, Any], cells: int | None = None) -> None:
    """Print ``agenda_lines`` for ``result`` at ``cells`` cells (None: the terminal's width).
    Plain text: vault text is never read as markup."""
    print("\n".join(agenda_lines(result, cells or terminal_width())))


def _day_name(day: str, today: str) -> str:
    delta = date.fromisoformat(day) - date.fromisoformat(today)
    return "tomorrow" if delta == timedelta(days=1) else day
