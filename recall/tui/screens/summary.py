"""The end of a session: what was done, the streak, and what comes next."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Footer, Static

from recall.tui.bindings import SUMMARY_BINDINGS
from recall.tui.messages import UndoRequested
from recall.tui.screens.base import RecallScreen
from recall.tui.widgets.bars import SessionBar, plural
from recall.vocabulary import GRADE_CAPTIONS

if TYPE_CHECKING:
    from recall.tui.data import Summary
    from recall.vocabulary import QueueFilter


def duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def day_label(day: date, today: date) -> str:
    if day == today + timedelta(days=1):
        return "tomorrow"
    return day.strftime("%a %-d %b") if (day - today).days < 7 else day.strftime("%-d %b %Y")


def tomorrow_text(due: int, new: int) -> str:
    """Tomorrow's queue: "12 highlights due", or "15 highlights: 5 due, 10 new"."""
    if not new:
        return plural(due, "highlight") + " due"
    return plural(due + new, "highlight") + f": {due} due, {new} new"


def outlook_rows(summary: Summary, today: date) -> list[tuple[str, str]]:
    """The rows after today's: tomorrow's queue (today's leftovers included), then what falls due in the week."""
    outlook = summary.outlook
    rows = [("Tomorrow", tomorrow_text(summary.tomorrow_due, summary.tomorrow_new))]
    rows.append(("Next 7 days", plural(outlook.week, "highlight") + " falling due"))
    if outlook.by_day:
        rows.append(("", ", ".join(f"{n} on {d.strftime('%a')}" for d, n in outlook.by_day)))
    elif outlook.next_due:
        rows.append(("Next due", day_label(outlook.next_due, today)))
    return rows


def grade_tally(summary: Summary, captions: Mapping[int, str]) -> str:
    """How the session's reviews were graded, by the keys' captions: "2 Good · 1 Again"."""
    return " · ".join(f"{count} {captions.get(grade, grade)}" for grade, count in summary.grades)


def summary_table(summary: Summary, today: date, captions: Mapping[int, str]) -> Content:
    tally = grade_tally(summary, captions)
    rows = [
        ("Reviewed", plural(summary.reviewed, "highlight") + (f": {tally}" if tally else "")),
        ("Drills", plural(summary.drills, "drill")),
    ]
    if summary.skipped or summary.discarded:
        rows.append(("Set aside", f"{summary.skipped} skipped · {summary.discarded} discarded"))
    rows.append(("Time", duration(summary.seconds)))
    streak = plural(summary.streak_after, "day")
    if summary.streak_after != summary.streak_before:
        streak = f"{summary.streak_before} → {streak}"
    rows.append(("Streak", streak))
    rows.append(("Today", plural(summary.reviewed_today, "highlight") + " reviewed"))
    rows.extend(outlook_rows(summary, today))
    width = max(len(label) for label, _ in rows) + 3
    lines = [Content.assemble((label.ljust(width), "$text-muted"), value) for label, value in rows]
    return Content("\n").join(lines)


def closing_words(summary: Summary) -> str:
    """The line under the summary: "N still due today" while the day's queue holds highlights,
    "See you tomorrow" only when nothing is left for today."""
    if summary.left_today:
        return f"Every grade is saved. {summary.left_today} still due today."
    return "Every grade is saved. See you tomorrow."


class SummaryScreen(RecallScreen):
    """Shown when the last card of the session is graded."""

    HELP = """\
## Session done

Everything is saved. **u** takes back the last grade (and shows that card
again); **q** quits. Highlights still due today wait for the next `recall review`.
"""
    BINDINGS: ClassVar[list[BindingType]] = [*SUMMARY_BINDINGS]
    AUTO_FOCUS = "#summary"

    undoable: reactive[bool] = reactive(False, bindings=True)
    """Is there a step of this session to take back? Set by the app."""

    def __init__(
        self, summary: Summary, today: date, where: QueueFilter, undoable: bool = False,
        captions: Mapping[int, str] = GRADE_CAPTIONS,
    ) -> None:
        """``captions``: each grade's caption in the preset in use ("Good"), for the tally."""
        super().__init__()
        self.captions = captions
        self.summary = summary
        self.today = today
        self.where = where
        self.set_reactive(SummaryScreen.undoable, undoable)

    def compose(self) -> ComposeResult:
        yield SessionBar("Summary", self.where.describe(), self.summary.today)
        with VerticalScroll(id="summary", classes="panel-screen"):
            with Center():
                yield Static(Content.styled("Session complete", "bold $accent"), classes="panel-title")
            with Center():
                yield Static(summary_table(self.summary, self.today, self.captions), classes="panel", id="summary-table")
            with Center():
                yield Static(Content(closing_words(self.summary)), classes="panel-hint", id="summary-hint")
        yield Footer(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self.undoable or None
        return True

    def action_undo(self) -> None:
        self.post_to_app(UndoRequested())
