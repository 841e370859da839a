"""The end of a session: "N still due today" while the day's queue holds highlights, "See you
tomorrow" only when nothing is left, and a Tomorrow row that counts tomorrow's whole queue
(today's leftovers included); and sessions narrowed to favourites or widened with --all.
Seeded data on a real SQLite file, fixed clock, driven with Pilot."""

from __future__ import annotations

from datetime import date

from review_support import make_app, ready, reviews, screen_text, seed
from support import FIXED_NOW

from recall.db.engine import writing
from recall.scheduler.actions import set_favorite
from recall.tui.screens.summary import SummaryScreen

DAY = date(2026, 3, 2)
SIZE = (100, 32)


def five_due(engine, tmp_path) -> list[int]:
    """Five highlights due today (seen once: a 4 sends each 6 days on) and two new ones."""
    due = [
        {"text": f"Due highlight number {n} says enough words.", "due": DAY.isoformat(), "repetitions": 1,
         "interval": 1}
        for n in range(5)
    ]
    new = [{"text": f"New highlight number {n} says enough words."} for n in range(2)]
    return seed(engine, tmp_path, [{"title": "Book", "highlights": due + new}])


def hint(app) -> str:
    return str(app.screen.query_one("#summary-hint").render())


async def test_a_session_cut_short_says_how_many_are_still_due_today(engine, tmp_path) -> None:
    five_due(engine, tmp_path)
    app = make_app(engine, limit=2, new_per_day=0, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "4")
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "3 still due today" in text
        assert "See you tomorrow" not in text
        # tomorrow: the three left today are still due; the two graded went 6 days on
        assert "Tomorrow" in text and "3 highlights due" in text
        assert (app.screen.summary.tomorrow_due, app.screen.summary.tomorrow_new) == (3, 0)


async def test_see_you_tomorrow_only_when_nothing_is_left_today(engine, tmp_path) -> None:
    five_due(engine, tmp_path)
    app = make_app(engine, new_per_day=2, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press(*"4444444")
        assert isinstance(app.screen, SummaryScreen)
        assert hint(app) == "Every grade is saved. See you tomorrow."
        assert "still due today" not in screen_text(app)
        # the two new ones were graded 4 (due tomorrow); no new ones are left for tomorrow
        assert (app.screen.summary.tomorrow_due, app.screen.summary.tomorrow_new) == (2, 0)
        assert "2 highlights due" in screen_text(app)


async def test_tomorrow_counts_new_highlights_and_todays_skips(engine, tmp_path) -> None:
    five_due(engine, tmp_path)
    app = make_app(engine, limit=1, new_per_day=1, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("s")  # skipped: back tomorrow, and not due today any more
        assert isinstance(app.screen, SummaryScreen)
        # today: 4 due + 1 new still in the queue; tomorrow: the 5 due (the skip back) + 1 new
        assert hint(app) == "Every grade is saved. 5 still due today."
        assert "6 highlights: 5 due, 1 new" in screen_text(app)


async def test_a_narrowed_session_that_is_done_still_tells_what_the_day_holds(engine, tmp_path, log_writer) -> None:
    ids = five_due(engine, tmp_path)
    set_favorite(engine, ids[0], FIXED_NOW, DAY, favorite=True, log=log_writer)
    app = make_app(engine, favorite=True, new_per_day=0, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "favourites" in screen_text(app)  # the session bar names the filter
        assert app.session.state.pending == (ids[0],)
        await pilot.press("4")
        assert isinstance(app.screen, SummaryScreen)
        assert hint(app) == "Every grade is saved. 4 still due today."


async def test_all_reviews_the_fragments_the_daily_queue_leaves_out(engine, tmp_path) -> None:
    ids = seed(engine, tmp_path, [{"title": "Book", "highlights": [
        {"text": "A highlight long enough to review."},
        {"text": "Too short."},
        {"text": "![](https://example.com/only-an-image.png)"},
    ]}])
    with writing(engine) as c:  # seeded rows are not measured; measure them as the import would
        for highlight_id, words, placeholder in ((ids[0], 6, 0), (ids[1], 2, 0), (ids[2], 0, 1)):
            c.exec_driver_sql("UPDATE highlights SET words = ?, placeholder = ? WHERE id = ?",
                              (words, placeholder, highlight_id))
    daily = make_app(engine, drills=False)
    async with daily.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert daily.session.state.pending == (ids[0],)
        await pilot.press("4")
        assert hint(daily) == "Every grade is saved. See you tomorrow."  # fragments are not "due"
    everything = make_app(engine, everything=True, drills=False)
    async with everything.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert set(everything.session.state.pending) == {ids[1], ids[2]}
        await pilot.press("4", "4")
    assert {r[0] for r in reviews(engine)} == set(ids)
