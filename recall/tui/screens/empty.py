"""Screens for when there is nothing to review: they say why, and what to do instead."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from recall.tui.bindings import EMPTY_BINDINGS
from recall.tui.data import AHEAD, EXTRA_NEW, LEARN_NEW, REVIEW_AHEAD, LoadResult
from recall.tui.messages import ExtraSessionRequested
from recall.tui.screens.base import RecallScreen
from recall.tui.screens.summary import day_label
from recall.tui.text import one_line
from recall.tui.widgets.bars import SessionBar, plural

if TYPE_CHECKING:
    from recall.tui.data import NothingDue, TodayFigures
    from recall.vocabulary import QueueFilter


def nothing_imported_text() -> Content:
    return Content.assemble(
        "Import the highlights you sync into your Obsidian vault:\n\n",
        ("    recall import PATH/TO/VAULT", "bold $accent"),
        "\n\nthen run ",
        ("recall review", "bold"),
        " again. Try it on the bundled ",
        ("sample_vault", "bold"),
        " folder.",
    )


def nothing_due_text(info: NothingDue, where: QueueFilter) -> Content:
    lines: list[Content] = []
    scope = one_line(where.describe())
    if info.break_until is not None:
        lines.append(Content(f"A break until {info.break_until}: nothing is due and nothing new is drawn."))
    elif info.reviewed_today:
        lines.append(Content(f"You reviewed {plural(info.reviewed_today, 'highlight')} today."))
    else:
        lines.append(Content("Nothing is due today" + (f" ({scope})." if scope else ".")))
    if info.capped:
        lines.append(Content(f"{plural(info.capped, 'due highlight')} held back by today's review limit."))
    outlook = info.outlook
    if outlook.next_due:
        count = outlook.tomorrow if outlook.tomorrow else sum(n for d, n in outlook.by_day if d == outlook.next_due)
        when = day_label(outlook.next_due, info.day)
        lines.append(
            Content(f"Next: {plural(count, 'highlight')} fall{'s' if count == 1 else ''} due {when}.")
            if count
            else Content(f"Next highlights fall due on {when}.")
        )
        if outlook.week:
            lines.append(Content(f"{plural(outlook.week, 'highlight')} in the next 7 days."))
    elif not info.new_waiting:
        lines.append(Content("Nothing is scheduled yet."))
    if info.new_waiting:
        lines.append(Content(f"{plural(info.new_waiting, 'new highlight')} waiting beyond today's new limit."))
    offers = []
    if info.ahead:
        ahead = min(info.ahead, where.limit if where.limit is not None else AHEAD)
        offers.append(
            Content.assemble(("a", "bold $accent"), f"  review ahead: the {plural(ahead, 'highlight')} due soonest")
        )
    if info.new_waiting:
        extra = min(info.new_waiting, where.limit if where.limit is not None else EXTRA_NEW)
        offers.append(Content.assemble(("n", "bold $accent"), f"  learn {plural(extra, 'new highlight')} now"))
    if offers:
        lines.append(Content(""))
        lines.extend(offers)
    return Content("\n").join(lines)


class EmptyScreen(RecallScreen):
    """Nothing imported yet, or nothing due today."""

    HELP = """\
## Nothing to review

When nothing is due you can **review ahead** (the highlights due soonest;
SM-2 schedules them from today) or take **new** highlights beyond the daily
limit (`new_per_day` in `recall config`).
"""
    BINDINGS: ClassVar[list[BindingType]] = [*EMPTY_BINDINGS]
    AUTO_FOCUS = "#empty"

    def __init__(self, kind: LoadResult, info: NothingDue | None, where: QueueFilter, figures: TodayFigures) -> None:
        super().__init__()
        self.kind = kind
        self.info = info
        self.where = where
        self.figures = figures

    def compose(self) -> ComposeResult:
        if self.kind == LoadResult.NOTHING_IMPORTED:
            title, body = "Nothing imported yet", nothing_imported_text()
        else:
            assert self.info is not None
            title = "All caught up" if self.info.reviewed_today else "Nothing due today"
            body = nothing_due_text(self.info, self.where)
        yield SessionBar("Welcome" if self.kind == LoadResult.NOTHING_IMPORTED else "Today", self.where.describe(), self.figures)
        with VerticalScroll(id="empty", classes="panel-screen"):
            with Center():
                yield Static(Content.styled(title, "bold $accent"), classes="panel-title")
            with Center():
                yield Static(body, classes="panel", id="empty-text")
        yield Footer(compact=True)

    # a and n are always there: with nothing to add, the app says so
    def action_review_ahead(self) -> None:
        self.post_to_app(ExtraSessionRequested(REVIEW_AHEAD))

    def action_more_new(self) -> None:
        self.post_to_app(ExtraSessionRequested(LEARN_NEW))
