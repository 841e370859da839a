"""The stats screen opens from the review app (key and palette) and closes back to the card."""

from __future__ import annotations

from review_support import make_app, ready, screen_text

from recall.tui.screens.review import ReviewScreen
from recall.tui.screens.stats import StatsScreen

SIZE = (100, 36)


async def test_t_opens_stats_with_todays_streak_and_escape_returns(imported) -> None:
    app = make_app(imported, new_per_day=3, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await pilot.press("t")
        assert isinstance(app.screen, StatsScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.stats_report.streaks.current == 1
        assert app.screen.stats_report.today_figures.reviews == 1
        assert "Streak" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)
        assert "2 of 3" in screen_text(app)


async def test_stats_is_in_the_command_palette(imported) -> None:
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"stats")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
