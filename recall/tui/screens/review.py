"""The review screen: one card at a time, graded with one key.

A key posts a message to the app (``recall.tui.messages``: ``Graded``,
``SetAside``, …); the app writes it to the database at once and calls
``show_card`` with the next card. The screen only shows what it is given. It is built per grade
preset (``for_preset``) so the grade keys are ordinary bindings: in the
footer, the help panel, the palette and the keymap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Footer, Markdown

from recall.tui import messages
from recall.tui.bindings import CARD_BINDINGS, grade_bindings
from recall.tui.screens.base import RecallScreen
from recall.tui.widgets.bars import GradeBar, SessionBar
from recall.tui.widgets.card import HighlightCard

if TYPE_CHECKING:
    from recall.tui.data import Card, TodayFigures
    from recall.vocabulary import QueueFilter


def card_status(card: Card, today: date, drill: bool) -> str:
    """The card's border title: a drill, new, due (and how late) or ahead of its due day."""
    if drill:
        return "Drill: again until you know it (4+)"
    if card.due is None:
        return "New"
    late = (today - card.due).days
    if late > 0:
        return f"Due · {late} day{'s' if late != 1 else ''} late"
    if late < 0:
        return f"Ahead · due in {-late} day{'s' if late != -1 else ''}"
    return "Due"


class ReviewScreen(RecallScreen):
    """Grade today's highlights, one at a time.

    ``grades`` are the grade bar's buttons: (key as displayed, grade, caption).
    """

    HELP = """\
**Grade** how well you remembered it: saved at once. Below 4 it comes back
at the end (a drill). **↑ ↓ PgUp PgDn** scroll; **ctrl+p** lists every action.
"""
    BINDING_GROUP_TITLE = "Review"

    BINDINGS: ClassVar[list[BindingType]] = []  # filled per preset by for_preset()
    AUTO_FOCUS = "HighlightCard"

    undoable: reactive[bool] = reactive(False, bindings=True)
    """Is there a step of this session to take back? Set by the app; set here too as a step is asked for."""

    def __init__(
        self,
        grades: Sequence[tuple[str, int, str]],
        where: QueueFilter,
        mode: str = "Today",
        figures: TodayFigures | None = None,
    ) -> None:
        super().__init__()
        self.grades = grades
        self.where = where
        self.mode = mode
        self.figures = figures
        self.card: Card | None = None

    @staticmethod
    @cache
    def for_preset(preset: str) -> type[ReviewScreen]:
        """A ReviewScreen whose grade keys are those of ``preset`` ("sm2" or "four")."""
        bindings = [*grade_bindings(preset), *CARD_BINDINGS]
        return type(f"ReviewScreen_{preset}", (ReviewScreen,), {"BINDINGS": bindings})

    def compose(self) -> ComposeResult:
        yield SessionBar(self.mode, self.where.describe(), self.figures, id="session-bar")
        with Center(id="stage"):
            yield HighlightCard(id="card")
        yield GradeBar(id="grade-bar")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        grade_bar = self.query_one(GradeBar)
        grade_bar.show_grades(self.grades)
        grade_bar.display = False  # until there is a card to grade

    # -- showing (called by the app) ---------------------------------------------------

    async def show_card(self, card: Card, status: str, progress: str) -> None:
        """Show ``card``: ``status`` on its border, ``progress`` in the session bar."""
        self.card = card
        self.query_one(SessionBar).progress = progress
        self.query_one(GradeBar).display = True
        await self.query_one(HighlightCard).show(card, status)
        self.query_one(HighlightCard).focus()
        self.refresh_bindings()

    def mark_favorite(self, favorite: bool) -> None:
        """The card on show is now (or no longer) a favourite: no re-render, the same card stays."""
        if self.card is None:
            return
        self.card = replace(self.card, favorite=favorite)
        self.query_one(HighlightCard).set_favorite(favorite)
        self.refresh_bindings()

    # -- actions: each posts a message to the app ---------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("grade", "skip", "discard", "favorite"):
            return self.card is not None or None
        if action in ("open_link", "list_links"):
            return self.card is not None or None  # without a link (or a safe one) the app says why
        if action == "edit_note":
            return (self.card is not None and self.card.note_file is not None) or None
        if action == "undo":
            return self.undoable or None
        return True

    def action_grade(self, grade: int) -> None:
        self.ask_step(messages.Graded(grade))

    def action_skip(self) -> None:
        self.ask_step(messages.SetAside())

    def action_discard(self) -> None:
        self.ask_step(messages.Discarded())

    def action_favorite(self) -> None:
        self.ask_step(messages.FavoriteToggled())

    def ask_step(self, step: Message) -> None:
        """Ask the app for an undoable step on the card on show, and offer undo at once: a ``u``
        typed right behind it is kept, not refused because the app has not answered yet (the app
        hands down ``undoable`` after every step, so a refused step takes the offer back)."""
        if self.card is not None:
            self.undoable = True
            self.post_to_app(step)

    def action_undo(self) -> None:
        self.post_to_app(messages.UndoRequested())

    def action_open_link(self) -> None:
        if self.card is not None:
            self.post_to_app(messages.CardLinkRequested())

    def action_list_links(self) -> None:
        if self.card is not None:
            self.post_to_app(messages.LinksRequested())

    def action_edit_note(self) -> None:
        if self.card is not None:
            self.post_to_app(messages.NoteEditRequested())

    @on(Markdown.LinkClicked)
    def link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.post_to_app(messages.LinkClicked(event.href))
