"""RecallApp: the daily review session.

Start-up paints first and loads afterwards: the review screen (with "Loading…")
is on screen before SQLAlchemy is even imported; a thread worker then opens the
database and builds the queue, and the first card follows. ``startup`` holds
the milestones (see ``recall.tui.timing``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.widgets import HelpPanel

from recall.tui import figures
from recall.tui.bindings import APP_BINDINGS, grade_buttons
from recall.tui.commands import RecallCommands
from recall.tui.data import Filter, Loaded
from recall.tui.outside import OutsideApp
from recall.tui.screens.empty import EmptyScreen
from recall.tui.screens.review import ReviewScreen
from recall.tui.screens.summary import SummaryScreen
from recall.tui.timing import StartupTimer

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from recall.clock import Clock
    from recall.config import Settings
    from recall.context import Context
    from recall.tui.session import Session
    from recall.tui.store import Store


class RecallApp(OutsideApp):
    """Review today's highlights. Give it a ready ``context`` (tests) or the pieces to open one."""

    CSS_PATH = "app.tcss"
    TITLE = "recall"
    BINDINGS: ClassVar[list[BindingType]] = [*APP_BINDINGS]
    BINDING_GROUP_TITLE = "App"
    COMMANDS = App.COMMANDS | {RecallCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]

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
        self.where = Filter(source, tag, category, limit)
        self.monotonic = monotonic
        self.startup = StartupTimer(started)
        self.store: Store | None = None
        self.session: Session | None = None
        self.loaded: Loaded | None = None
        self.recall_error: str | None = None
        self.review: ReviewScreen | None = None
        self._recall_clashes_told: set[str] = set()

    # -- start-up ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_keymap(dict(self.settings.keymap))  # ids checked with the settings (recall.keys)
        self.review = ReviewScreen.for_preset(self.settings.grade_preset)()
        self.push_screen(self.review)

    def on_ready(self) -> None:
        self.startup.mark("first_paint_ms")
        self.load_session()

    @work(thread=True, exclusive=True, group="load")
    def load_session(self) -> None:
        """Open the database and build the queue off the UI thread (SQLAlchemy's import alone is ~0.3 s)."""
        from recall.db.engine import DatabaseError, SQLAlchemyError
        from recall.tui.store import Store

        try:
            store = Store(self.context or self._recall_open_context(), self.where)
            loaded = store.load()
        except (DatabaseError, SQLAlchemyError) as error:
            self.call_from_thread(self.fail, f"cannot open the database: {error}")
            return
        self.call_from_thread(self.show_loaded, store, loaded)  # type: ignore[arg-type]  # textual 8 types an async callback as returning Never

    def _recall_open_context(self) -> Context:
        from recall.clock import clock_from_env
        from recall.context import Context
        from recall.db.engine import open_db

        assert self.db_path is not None
        self.context = Context(open_db(self.db_path), self.settings, self.clock or clock_from_env())
        return self.context

    def fail(self, message: str) -> None:
        """A fatal error: leave the terminal and let the command print ``message``."""
        self.recall_error = message
        self.exit(return_code=1)

    async def show_loaded(self, store: Store, loaded: Loaded) -> None:
        from recall.tui.session import Session

        self.startup.mark("loaded_ms")
        self.store, self.loaded = store, loaded
        if loaded.kind != "session":
            await self.switch_screen(EmptyScreen(loaded.kind, loaded.nothing_due, self.where))
            self.call_after_refresh(self._recall_first_screen_shown)
            return
        self.session = Session.start(store, loaded.ids, loaded.drill_ids, self.settings.drills)
        assert self.review is not None
        await self.review.show_current()
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

    def grade_buttons(self) -> list[tuple[str, int, str]]:
        """(key as displayed, grade, caption) for the grade bar, following the keymap."""
        return grade_buttons(self.settings.grade_preset, self.settings.keymap, self.get_key_display)

    def apply(self, step: Callable[[Session], object]) -> str:
        """Run one session step: "done", "dropped" (the card can no longer be reviewed and is left out),
        or "" when it was refused (a notification says why)."""
        from recall.tui.store import StoreError

        assert self.session is not None
        try:
            step(self.session)
        except StoreError as error:
            if error.gone:
                self.tell(f"{error} (left out of this session)", severity="warning")
                self.session.drop_current()
                return "dropped"
            self.tell(str(error), title="Not saved", severity="error", timeout=8)
            return ""
        return "done"

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

    async def undo(self) -> None:
        from recall.tui.store import StoreError

        session = self.session
        if session is None or not session.undo_stack:
            self.tell("Nothing to undo in this session.", timeout=2)
            return
        try:
            step = session.undo()
        except StoreError as error:
            self.tell(str(error), title="Not undone", severity="error", timeout=8)
            return
        if isinstance(self.screen, SummaryScreen):
            await self.pop_screen()
        assert self.review is not None
        await self.review.show_current()
        if step is not None:
            self.tell(f"Took back the {figures.describe(step)}.", timeout=2)

    def today_count(self) -> int:
        """Highlights reviewed today: before this session, and in it."""
        return figures.today(self.loaded, self.session).reviewed

    def live_streak(self) -> int:
        """The streak as it stands: graded something today and not before? Then today counts too."""
        return figures.today(self.loaded, self.session).streak

    def show_summary(self) -> None:
        assert self.session is not None and self.store is not None and self.loaded is not None
        summary = figures.summary(self.session, self.loaded, self.store)
        self.push_screen(SummaryScreen(summary, self.store.today()))

    async def start_extra(self, mode: str) -> None:
        """Review ahead or take new highlights, from the nothing-due screen."""
        from recall.tui.session import Session

        assert self.store is not None
        ids = self.store.ahead_ids() if mode == "Review ahead" else self.store.extra_new_ids()
        if not ids:
            self.tell("Nothing to add.", timeout=2)
            return
        self.session = Session.start(self.store, ids, [], self.settings.drills)
        self.review = ReviewScreen.for_preset(self.settings.grade_preset)(mode)
        await self.switch_screen(self.review)
        await self.review.show_current()

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
