"""The review screen: one card at a time, graded with one key.

A key posts a message to the app (``recall.tui.messages``: ``Graded``,
``SetAside``, …); the app writes it to the database at once and calls
``show_card`` with the next card. The screen only shows what it is given. It is built per grade
preset (``for_preset``) so the grade keys are ordinary bindings: in the
footer, the help panel, the palette and the keymap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
from textual.widgets import Footer, Markdown, Static

from recall.tui import messages
from recall.tui.bindings import CARD_BINDINGS, grade_bindings
from recall.tui.screens.base import RecallScreen
from recall.tui.text import literal
from recall.tui.widgets.bars import GradeBar, SessionBar
from recall.tui.widgets.card import HighlightCard

if TYPE_CHECKING:
    from recall.tui.data import Card, TodayFigures
    from recall.vocabulary import QueueFilter


def card_status(card: Card, today: date, drill: bool) -> str:
    """The card's border title: a drill, new, due (and how late) or ahead of its due day."""
    if drill:
        return "Drill: again until you grade it Good or better"
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
**Space** reveals the card. **Grade** how well you remembered
it: each key shows when it comes back.
"""
    BINDING_GROUP_TITLE = "Review"

    BINDINGS: ClassVar[list[BindingType]] = []  # filled per preset by for_preset()
    AUTO_FOCUS = "HighlightCard"

    undoable: reactive[bool] = reactive(False, bindings=True)
    """Is there a step of this session to take back? Set by the app; set here too as a step is asked for."""
    revealed: reactive[bool] = reactive(True, bindings=True)
    """Is the card on show whole? False while it shows its prompt."""

    def __init__(
        self,
        grades: Sequence[tuple[str, int, str]],
        where: QueueFilter,
        mode: str = "Today",
        figures: TodayFigures | None = None,
        reveal_key: str = "space",
    ) -> None:
        super().__init__()
        self.grades = grades
        self.where = where
        self.mode = mode
        self.figures = figures
        self.reveal_key = reveal_key
        self.card: Card | None = None
        self.outcomes: Mapping[int, str] = {}

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
        yield Static(id="after-grade", markup=False)
        yield GradeBar(id="grade-bar")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        grade_bar = self.query_one(GradeBar)
        grade_bar.show_grades(self.grades)
        grade_bar.display = False  # until there is a card to grade

    # -- showing (called by the app) ---------------------------------------------------

    async def show_card(
        self, card: Card, status: str, progress: str, prompt: str | None = None, outcomes: Mapping[int, str] | None = None
    ) -> None:
        """Show ``card``: ``status`` on its border, ``progress`` in the session bar, its ``prompt``
        (Markdown) until the reveal (None: whole at once), and ``outcomes`` (a label per grade) on the keys."""
        self.card = card
        self.outcomes = outcomes or {}
        self.revealed = prompt is None
        self.query_one(SessionBar).progress = progress
        self._draw_grades()
        self.query_one(GradeBar).display = True
        await self.query_one(HighlightCard).show(card, status, prompt)
        self.query_one(HighlightCard).focus()
        self.refresh_bindings()

    def show_after_grade(self, text: str) -> None:
        """What the last grade did, on the line above the keys ("" clears it)."""
        self.query_one("#after-grade", Static).update(literal(text))

    def _draw_grades(self) -> None:
        self.query_one(GradeBar).show_grades(self.grades, self.outcomes, None if self.revealed else self.reveal_key)

    async def action_reveal(self) -> None:
        """The whole highlight in place of its prompt; the grade keys act from now on."""
        if self.card is not None and not self.revealed:
            self.revealed = True
            self._draw_grades()
            await self.query_one(HighlightCard).reveal(self.card)

    def retune(self, card: Card, outcomes: Mapping[int, str]) -> None:
        """The card on show, its source now at another frequency: the same card stays (revealed or
        not), its grade keys show ``outcomes``."""
        self.card = card
        self.outcomes = outcomes
        self._draw_grades()
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
        if action == "reveal":
            return self.card is not None and not self.revealed  # out of the footer once revealed
        if action in ("grade", "skip", "discard", "favorite", "more_often", "less_often"):
            return self.card is not None or None
        if action in ("open_link", "list_links"):
            return self.card is not None or None  # without a link (or a safe one) the app says why
        if action == "edit_note":
            return (self.card is not None and self.card.note_file is not None) or None
        if action == "undo":
            return self.undoable or None
        return True

    def action_grade(self, grade: int) -> None:
        if not self.revealed:
            self.show_after_grade(f"{self.reveal_key} reveals the highlight first")
            return
        self.ask_step(messages.Graded(grade))

    def action_skip(self) -> None:
        self.ask_step(messages.SetAside())

    def action_discard(self) -> None:
        self.ask_step(messages.Discarded())

    def action_favorite(self) -> None:
        self.ask_step(messages.FavoriteToggled())

    def action_more_often(self) -> None:
        self.ask_step(messages.FrequencyStepped(more=True))

    def action_less_often(self) -> None:
        self.ask_step(messages.FrequencyStepped(more=False))

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
