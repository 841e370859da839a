"""RecallApp: the daily review session.

Start-up paints first and loads afterwards: the review screen (with "Loading…")
is on screen before SQLAlchemy is even imported; a thread worker then opens the
database and builds the queue, and the first card follows. ``startup`` holds
the milestones (see ``recall.tui.timing``).

Messages up, calls down: the screens post what the user asks for
(``recall.tui.messages``); the app applies it to the ``Session`` (which writes
through the ``Store``) and to the card on show, turns refusals into notices, and
tells the screens what to show: the next card (``ReviewScreen.show_card``), the
next screen, and the reactive ``today_figures`` and ``undoable`` it hands down to
every screen on the stack.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.widgets import HelpPanel

from recall.tui import figures, messages
from recall.tui.bindings import APP_BINDINGS, grade_buttons, reveal_key_shown
from recall.tui.commands import RecallCommands
from recall.tui.data import NOTHING_TO_ADD, REVIEW_AHEAD, Card, Loaded, LoadResult, TodayFigures
from recall.tui.frequency import step_frequency
from recall.tui.outside import OutsideApp
from recall.tui.prompting import card_prompt, warm_up
from recall.tui.screens.empty import EmptyScreen
from recall.tui.screens.review import ReviewScreen, card_status
from recall.tui.screens.summary import SummaryScreen
from recall.tui.timing import StartupTimer
from recall.tui.widgets.bars import SessionBar
from recall.vocabulary import DRILL_PASS_GRADE, PRESETS, QueueFilter

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from recall.clock import Clock
    from recall.config import Settings
    from recall.context import Context
    from recall.tui.session import Session
    from recall.tui.store import Store


class RecallApp(OutsideApp):
    """Review today's highlights. Give it a ready ``context`` (tests) or the pieces to open one;
    ``source`` … ``favorite`` narrow the session, ``everything`` (``--all``) lifts the quality filter."""

    CSS_PATH = "app.tcss"
    TITLE = "recall"
    BINDINGS: ClassVar[list[BindingType]] = [*APP_BINDINGS]
    BINDING_GROUP_TITLE = "App"
    COMMANDS = App.COMMANDS | {RecallCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide"), (90, "-roomy")]

    today_figures: reactive[TodayFigures] = reactive(TodayFigures, init=False)
    """Today's count and streak as the session bars show them."""
    undoable: reactive[bool] = reactive(False, init=False, always_update=True)
    """Is there a step of this session to take back? Handed down after every step, also when unchanged:
    the review screen offers undo as soon as it asks for a step, and this corrects it after a refusal."""

    def __init__(
        self,
        context: Context | None = None,
        *,
        db_path: Path | None = None,
        settings: Settings | None = None,
        clock: Clock | None = None,
        source: str | None = None,
        tag: str | None = None,
        category: str | None = None,
        limit: int | None = None,
        favorite: bool = False,
        everything: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
        started: float | None = None,
    ) -> None:
        super().__init__()
        if context is None and db_path is None:
            raise ValueError("RecallApp needs a context or a db_path")
        if settings is None:
            if context is not None:
                settings = context.settings
            else:
                from recall.config import Settings

                settings = Settings()
        self.context = context
        self.db_path = db_path
        self.settings: Settings = settings
        self.clock = clock
        # the daily queue's quality filter unless --all (``everything``); recall.scheduler.queue.daily_filter
        # says the same, but importing it now would load the database layer before the first paint
        self.where = QueueFilter(source, tag, category, limit, favorite, None if everything else settings.min_words)
        self.monotonic = monotonic
        self.startup = StartupTimer(started)
        self.store: Store | None = None
        self.session: Session | None = None
        self.loaded: Loaded | None = None
        self.shown_at: float | None = None  # when the card on show was shown (``monotonic``), to time its grade
        self.recall_error: str | None = None
        self.log_warnings: list[str] = []  # what the review log's catch-up could not read, told after the app
        self._recall_clashes_told: set[str] = set()

    # -- start-up ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_keymap(dict(self.settings.keymap))  # ids checked with the settings (recall.keys)
        self.push_screen(self.new_review_screen("Today"))

    def on_ready(self) -> None:
        self.startup.mark("first_paint_ms")
        self.load_session()

    @work(thread=True, exclusive=True, group="load")
    def load_session(self) -> None:
        """Open the database and build the queue off the UI thread (SQLAlchemy's import alone is ~0.3 s)."""
        from recall.db.engine import DatabaseError, SQLAlchemyError
        from recall.tui.store import Store, open_caught_up

        words = threading.Thread(target=warm_up, args=(self.settings.prompt,), daemon=True)
        words.start()  # the cloze's word list loads beside the database
        try:
            if self.context is None:  # the command's own: caught up with the review log first
                assert self.db_path is not None
                self.context, self.log_warnings = open_caught_up(self.db_path, self.settings, self.clock)
            store = Store(self.context, self.where)
            loaded = store.load()
        except (DatabaseError, SQLAlchemyError) as error:
            self.call_from_thread(self.fail, f"cannot open the database: {error}")
            return
        words.join()
        self.call_from_thread(self.show_loaded, store, loaded)  # type: ignore[arg-type]  # textual 8 types an async callback as returning Never

    def fail(self, message: str) -> None:
        """A fatal error: leave the terminal and let the command print ``message``."""
        self.recall_error = message
        self.exit(return_code=1)

    async def show_loaded(self, store: Store, loaded: Loaded) -> None:
        from recall.tui.session import Session

        self.startup.mark("loaded_ms")
        self.store, self.loaded = store, loaded
        if loaded.kind != LoadResult.SESSION:
            self.today_figures = TodayFigures(loaded.reviewed_today, loaded.streak)
            await self.switch_screen(EmptyScreen(loaded.kind, loaded.nothing_due, self.where, self.today_figures))
            self.call_after_refresh(self._recall_first_screen_shown)
            return
        self.session = Session.start(store, loaded.ids, loaded.drill_ids, self.settings.drills)
        await self.show_current()
        self.call_after_refresh(self._recall_first_screen_shown)

    def _recall_first_screen_shown(self) -> None:
        self.startup.mark("first_card_ms")
        loaded = self.loaded
        self.startup.write(kind=loaded.kind if loaded else None, queue=len(loaded.ids) if loaded else 0)
        self.log.info(f"recall: first card in {self.startup.marks.get('first_card_ms')} ms")

    @property
    def recall_loaded(self) -> bool:
        """True once the first card (or empty state) is on screen."""
        return "first_card_ms" in self.startup.marks

    # -- the session -------------------------------------------------------------------------

    @property
    def review(self) -> ReviewScreen | None:
        """The review screen on the stack (under the summary or the stats, when they show), if any."""
        return next((s for s in reversed(self.screen_stack) if isinstance(s, ReviewScreen)), None)

    def new_review_screen(self, mode: str) -> ReviewScreen:
        """A review screen for the grade preset, its grade bar following the keymap."""
        preset, keymap = self.settings.grade_preset, self.settings.keymap
        buttons = grade_buttons(preset, keymap, self.get_key_display)
        reveal_key = reveal_key_shown(keymap, self.get_key_display)
        return ReviewScreen.for_preset(preset)(buttons, self.where, mode, self.today_figures, reveal_key)

    def watch_today_figures(self, today: TodayFigures) -> None:
        """Down into the session bar of every screen on the stack."""
        for screen in self.screen_stack:
            for bar in screen.query(SessionBar):
                bar.today = today

    def watch_undoable(self, undoable: bool) -> None:
        """Down into the screens that offer undo (their ``u`` key and its place in the footer)."""
        for screen in self.screen_stack:
            if isinstance(screen, ReviewScreen | SummaryScreen):
                screen.undoable = undoable

    async def show_current(self) -> None:
        """Show the session's current card on the review screen, or the summary when the session is done."""
        session, store, review = self.session, self.store, self.review
        if session is None or store is None or review is None:
            return
        card = None
        while card is None and session.current is not None:
            card = store.card(session.current)
            if card is None:
                session.drop_current()  # deleted meanwhile
        self.undoable = bool(session.undo_stack)
        if card is None:
            self.show_summary()
            return
        self.today_figures = figures.today(self.loaded, session)
        day = store.today()
        labels = self.recall_grade_labels(card)
        asked = card_prompt(card, self.settings.prompt)
        status = card_status(card, day, session.drilling) + (f" · {asked.why}" if asked and asked.why else "")
        await review.show_card(
            card, status, figures.progress(session), asked.markdown if asked else None, labels,
        )
        self.shown_at = self.monotonic()

    def recall_grade_labels(self, card: Card) -> dict[int, str]:
        """What each grade key would do to ``card`` now (the session's current card): "15d", "again"."""
        session, store, review = self.session, self.store, self.review
        assert session is not None and store is not None and review is not None
        grades = (grade for _, grade, _ in review.grades)
        return figures.grade_labels(card, grades, store.today(), drill=session.drilling, drills=self.settings.drills,
                                    load=store.due_load if card.scheduler.balance else None)

    @property
    def card_on_show(self) -> Card | None:
        """The card the review screen shows, while the session has one to review."""
        review = self.review
        return review.card if review is not None and self.session is not None and not self.session.finished else None

    def apply(self, step: Callable[[Session], object]) -> str:
        """Run one session step on the current card: "done", "dropped" (the card can no longer be
        reviewed and is left out), or "" when it was refused (a notice says why) or there is no card."""
        from recall.tui.store import StoreError

        session = self.session
        if session is None:
            return ""
        try:
            if session.current is None:
                return ""  # typed ahead of the session's end
            step(session)
        except StoreError as error:
            if error.gone:
                self.tell(f"{error} (left out of this session)", severity="warning")
                session.drop_current()
                return "dropped"
            self.tell(str(error), title="Not saved", severity="error", timeout=8)
            return ""
        finally:
            self.undoable = bool(session.undo_stack)
        return "done"

    async def on_graded(self, message: messages.Graded) -> None:
        seconds = None if self.shown_at is None else round(max(0.0, self.monotonic() - self.shown_at), 2)
        outcome = self.apply(lambda s: s.grade(message.grade, seconds))
        if outcome == "done":
            self.tell_when_back(message.grade)
            self.tell_if_graded_elsewhere()
        if outcome:
            await self.show_current()

    async def on_set_aside(self, message: messages.SetAside) -> None:
        if self.apply(lambda s: s.skip()):
            self.tell("Skipped until tomorrow.", timeout=2)
            await self.show_current()

    async def on_discarded(self, message: messages.Discarded) -> None:
        if self.apply(lambda s: s.discard()):
            self.tell("Discarded. Press u to bring it back.", timeout=3)
            await self.show_current()

    async def on_favorite_toggled(self, message: messages.FavoriteToggled) -> None:
        card, review = self.card_on_show, self.review
        if card is None or review is None:
            return
        favorite = not card.favorite
        outcome = self.apply(lambda s: s.set_favorite(favorite))
        if outcome == "dropped":
            await self.show_current()
        elif outcome == "done":
            review.mark_favorite(favorite)

    async def on_frequency_stepped(self, message: messages.FrequencyStepped) -> None:
        await step_frequency(self, message.more)

    def tell_when_back(self, grade: int) -> None:
        """After a grade, on the line above the keys: the key pressed and when the highlight comes
        back ("Good · next: in 15 days, Tue 23 Jun"); a drill's grade is named only."""
        session, store, review = self.session, self.store, self.review
        if session is None or store is None or review is None or not session.undo_stack:
            return
        caption = self.grade_captions().get(grade, str(grade))
        again = self.settings.drills and grade < DRILL_PASS_GRADE
        notice = figures.graded_notice(session.undo_stack[-1], store.today(), again)
        review.show_after_grade(f"{caption} · {notice}" if notice else f"{caption} · drill")

    def grade_captions(self) -> dict[int, str]:
        """Grade -> its key's caption in the preset in use ("Good")."""
        return {button.grade: button.caption for button in PRESETS[self.settings.grade_preset]}

    def tell_if_graded_elsewhere(self) -> None:
        """After a grade: if another session (a second window, `recall rate`) had already
        graded this highlight today, the grade was logged as a drill; say so, and count
        that session's grades in today's figures (today's count and the streak)."""
        session, loaded, store = self.session, self.loaded, self.store
        if session is None or loaded is None or store is None or not session.state.graded[-1].elsewhere:
            return
        loaded.reviewed_today = store.reviewed_today() - len(session.reviews)
        loaded.streak = store.streak() if loaded.reviewed_today else loaded.streak
        self.tell("Already graded today in another session: logged as a drill.", severity="warning", timeout=6)

    async def on_undo_requested(self, message: messages.UndoRequested) -> None:
        from recall.tui.store import StoreError

        session = self.session
        if session is None or not session.undo_stack:
            self.undoable = False  # takes back the review screen's offer, if it made one
            self.tell("Nothing to undo in this session.", timeout=2)
            return
        try:
            step = session.undo()
        except StoreError as error:
            self.tell(str(error), title="Not undone", severity="error", timeout=8)
            return
        if isinstance(self.screen, SummaryScreen):
            await self.pop_screen()
        await self.show_current()
        if step is not None and self.review is not None:
            # On the line above the keys, as a grade's notice is: a toast would cover the keys.
            self.review.show_after_grade(f"Took back the {figures.describe(step, self.grade_captions())}.")

    def today_count(self) -> int:
        """Highlights reviewed today: before this session, and in it."""
        return figures.today(self.loaded, self.session).reviewed

    def live_streak(self) -> int:
        """The streak as it stands: graded something today and not before? Then today counts too."""
        return figures.today(self.loaded, self.session).streak

    def show_summary(self) -> None:
        """Push the summary over the review screen; its session bar shows the day counted afresh."""
        assert self.session is not None and self.store is not None and self.loaded is not None
        summary = figures.summary(self.session, self.loaded, self.store)
        self.today_figures = summary.today
        self.push_screen(SummaryScreen(summary, self.store.today(), self.where, self.undoable, self.grade_captions()))

    async def on_extra_session_requested(self, message: messages.ExtraSessionRequested) -> None:
        """Review ahead or take new highlights, from the nothing-due screen."""
        from recall.tui.session import Session

        assert self.store is not None
        ids = self.store.ahead_ids() if message.mode == REVIEW_AHEAD else self.store.extra_new_ids()
        if not ids:
            self.tell(NOTHING_TO_ADD[message.mode], timeout=4)
            return
        self.session = Session.start(self.store, ids, [], self.settings.drills)
        await self.switch_screen(self.new_review_screen(message.mode))
        await self.show_current()

    def farewell(self) -> str | None:
        """One line for the terminal after the app closes."""
        return figures.farewell(self.session, figures.today(self.loaded, self.session))

    # -- keys that work everywhere ----------------------------------------------------------

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        """A keymap that gives one key to two actions: say so once, so a dead key is not a mystery."""
        ids = sorted(b.id or b.action for b in clashed_bindings)
        new = [i for i in ids if i not in self._recall_clashes_told]
        if new:
            self._recall_clashes_told.update(new)
            self.tell(
                f"config.toml [keymap] takes a key already in use: {', '.join(ids)}; check the keymap",
                severity="warning", timeout=10,
            )

    def action_show_stats(self) -> None:
        """The stats screen (streaks, heatmap, forecast) over whatever screen is showing."""
        from recall.tui.screens.stats import StatsScreen

        if self.store is None:
            self.tell("Still loading; try again in a moment.", timeout=2)
        elif not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen(self.store.context))

    def action_toggle_help(self) -> None:
        try:
            self.screen.query_one(HelpPanel)
        except NoMatches:
            self.action_show_help_panel()
        else:
            self.action_hide_help_panel()
