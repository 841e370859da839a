"""The stats screen of the review app: pushed with just a context, closed with escape or q."""

from __future__ import annotations

import pytest
import statslog
from statslog import NEW_YORK, TODAY
from support import FIXED_NOW
from textual.app import App

from recall.clock import FixedClock
from recall.config import Settings
from recall.context import Context
from recall.tui.screens.stats import StatsScreen
from recall.tui.widgets.heatmap import Heatmap

SIZE = (100, 32)


class StatsApp(App[None]):
    """The smallest host: it pushes the screen the way the review app does."""

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.recall_context = context

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.recall_context))


@pytest.fixture
def context(engine) -> Context:
    statslog.insert_library(engine)
    statslog.insert_rows(engine, statslog.generate())
    return Context(engine, Settings(timezone=NEW_YORK, rollover_hour=4), FixedClock(FIXED_NOW))


async def loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_screen_shows_the_report_and_closes(context: Context) -> None:
    app = StatsApp(context)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.stats_report is not None
        assert (screen.stats_report.today, screen.stats_report.streaks.current) == (TODAY, 10)
        heatmap = screen.query_one(Heatmap)
        assert heatmap.today == TODAY and heatmap.counts[statslog.date(2026, 3, 1)] == 3
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)
        app.push_screen(StatsScreen(context))
        await loaded(pilot)
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("q")
        assert not isinstance(app.screen, StatsScreen)


async def test_refresh_counts_again(context: Context) -> None:
    app = StatsApp(context)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        first = app.screen.stats_report
        context.clock.advance(days=1)  # study day 3 March: the streak is over
        await pilot.press("r")
        await loaded(pilot)
        assert app.screen.stats_report is not first
        assert app.screen.stats_report.streaks.current == 0


def test_stats_screen_snapshot(snap_compare, context: Context) -> None:
    assert snap_compare(StatsApp(context), terminal_size=SIZE, run_before=loaded)
