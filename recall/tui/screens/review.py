"""The review screen: one card at a time, graded with one key.

Every action is written to the database at the keypress (``Session`` →
``Store`` → ``recall.scheduler.actions``); the screen only shows what the
session says. It is built per grade preset (``for_preset``) so the grade keys
are ordinary bindings: in the footer, the help panel, the palette and the keymap.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center
from textual.widgets import Footer, Markdown

from recall.tui.bindings import CARD_BINDINGS, grade_bindings
from recall.tui.screens.base import RecallScreen
from recall.tui.widgets.bars import GradeBar, SessionBar
from recall.tui.widgets.card import HighlightCard

if TYPE_CHECKING:
    from recall.tui.app import RecallApp
    from recall.tui.data import Card


def card_status(card: Card, today: date, drill: bool) -> str:
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
    """Grade today's highlights, one at a time."""

    HELP = """\
**Grade** how well you remembered it: saved at once. Below 4 it comes back
at the end (a drill). **↑ ↓ PgUp PgDn** scroll; **ctrl+p** lists every action.
"""
    BINDING_GROUP_TITLE = "Review"

    BINDINGS: ClassVar[list[BindingType]] = []  # filled per preset by for_preset()
    AUTO_FOCUS = "HighlightCard"

    def __init__(self, mode: str = "Today") -> None:
        super().__init__()
        self.mode = mode
        self.card: Card | None = None
        self.shown_at: float | None = None

    @staticmethod
    @cache
    def for_preset(preset: str) -> type[ReviewScreen]:
        """A ReviewScreen whose grade keys are those of ``preset`` ("sm2" or "four")."""
        bindings = [*grade_bindings(preset), *CARD_BINDINGS]
        return type(f"ReviewScreen_{preset}", (ReviewScreen,), {"BINDINGS": bindings})

    @property
    def recall(self) -> RecallApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield SessionBar(id="session-bar")
        with Center(id="stage"):
            yield HighlightCard(id="card")
        yield GradeBar(id="grade-bar")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        grade_bar = self.query_one(GradeBar)
        grade_bar.show_grades(self.recall.grade_buttons())
        grade_bar.display = False  # until there is a card to grade
        self.update_bar()

    # -- showing -----------------------------------------------------------------------

    async def show_current(self) -> None:
        """Show the session's current card, or the summary when it is done."""
        app = self.recall
        session, store = app.session, app.store
        if session is None or store is None:
            return
        card = None
        while card is None and session.current is not None:
            card = store.card(session.current)
            if card is None:
                session.drop_current()  # deleted meanwhile
        self.card = card
        if card is None:
            app.show_summary()
            return
        status = card_status(card, store.today(), session.drilling)
        self.update_bar()
        self.query_one(GradeBar).display = True
        await self.query_one(HighlightCard).show(card, status)
        self.query_one(HighlightCard).focus()
        self.refresh_bindings()
        self.shown_at = app.monotonic()

    def update_bar(self) -> None:
        app = self.recall
        session = app.session
        if session is None:
            progress, today, streak = "", 0, 0
        else:
            drills = f"drills · {session.drills_left} left"
            progress = drills if session.drilling else f"{session.position} of {session.main_total}"
            today, streak = app.today_count(), app.live_streak()
        self.query_one(SessionBar).update(self.mode, app.where.describe(), progress, today, streak)

    # -- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("grade", "skip", "discard", "favorite"):
            return self.card is not None or None
        if action == "open_link":
            return (self.card is not None and bool(self.card.link)) or None  # unsafe ones are refused, saying why
        if action == "edit_note":
            return (self.card is not None and self.card.note_file is not None) or None
        if action == "undo":
            return bool(self.recall.session and self.recall.session.undo_stack) or None
        return True

    async def action_grade(self, grade: int) -> None:
        if self.card is None:
            return
        seconds = None
        if self.shown_at is not None:
            seconds = round(max(0.0, self.recall.monotonic() - self.shown_at), 2)
        outcome = self.recall.apply(lambda s: s.grade(grade, seconds))
        if outcome == "done":
            self.recall.tell_if_graded_elsewhere()
        if outcome:
            await self.show_current()

    async def action_skip(self) -> None:
        if self.card is not None and self.recall.apply(lambda s: s.skip()):
            self.recall.tell("Skipped until tomorrow.", timeout=2)
            await self.show_current()

    async def action_discard(self) -> None:
        if self.card is not None and self.recall.apply(lambda s: s.discard()):
            self.recall.tell("Discarded. Press u to bring it back.", timeout=3)
            await self.show_current()

    async def action_favorite(self) -> None:
        if self.card is None:
            return
        favorite = not self.card.favorite
        outcome = self.recall.apply(lambda s: s.set_favorite(favorite))
        if outcome == "dropped":
            await self.show_current()
        elif outcome == "done":
            self.card = replace(self.card, favorite=favorite)
            self.query_one(HighlightCard).set_favorite(favorite)  # same card: no re-render, timing goes on
            self.refresh_bindings()

    async def action_undo(self) -> None:
        await self.recall.undo()

    def action_open_link(self) -> None:
        if self.card is not None:
            self.recall.open_link(self.card.link)

    def action_edit_note(self) -> None:
        if self.card is not None:
            self.recall.edit_note(self.card)

    @on(Markdown.LinkClicked)
    def link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.recall.open_link(event.href)
