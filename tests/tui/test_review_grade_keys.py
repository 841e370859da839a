"""Every grade key says what it will do, and does it: the interval on each key is the one
the grade then writes, the notice after a grade says when the highlight comes back, and a
drill's keys say "again" or "done" (its schedule no longer moves)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from review_support import highlight, make_app, ready, seed
from textual.widgets import Static

from recall.scheduler.actions import rate
from recall.tui.widgets.bars import GradeBar

DAY = date(2026, 3, 2)
SIZE = (100, 30)


def grade_bar(app) -> str:
    return app.review.query_one(GradeBar).render().plain


def after_grade(app) -> str:
    """The line above the keys: what the last grade did."""
    return str(app.review.query_one("#after-grade", Static).render())


def shown_days(bar: str, caption: str) -> int:
    """The interval the bar shows after ``caption``: "Good 15d" -> 15."""
    label = bar.split(caption + " ", 1)[1].split()[0]
    assert label.endswith("d"), bar
    return int(label[:-1])


def one_due(engine, tmp_path, **fields) -> int:
    item = {"text": "The apprentice who writes down why a cut went wrong learns twice.", **fields}
    return seed(engine, tmp_path, [{"title": "The Slow Apprentice", "highlights": [item]}])[0]


async def test_each_key_shows_the_interval_its_grade_then_writes(engine, tmp_path, log_writer) -> None:
    """Press each key in turn (undoing in between): the interval written is the one the key showed."""
    highlight_id = one_due(engine, tmp_path)
    # Its history, through the review log (undo replays it from there): 1, 6 and 15 days at EF 2.50.
    for days_before in (22, 21, 15):
        day = DAY - timedelta(days=days_before)
        rate(engine, highlight_id, 4, datetime(day.year, day.month, day.day, 9, tzinfo=UTC), day, log=log_writer)
    app = make_app(engine, grade_preset="four")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        bar = grade_bar(app)
        promised = {key: shown_days(bar, caption) for key, caption in
                    (("1", "Again"), ("2", "Hard"), ("3", "Good"), ("4", "Easy"))}
        # docs/sm2.md: a lapse starts over at 1 day; a pass multiplies by the ease factor before this grade
        assert promised == {"1": 1, "2": 38, "3": 38, "4": 38}, bar  # ceil(15 x 2.5)
        for key, days in promised.items():
            await pilot.press(key)
            written = highlight(engine, highlight_id)
            assert written.interval == days and written.due == (DAY + timedelta(days=days)).isoformat(), key
            await pilot.press("u")
            await pilot.pause()
            assert highlight(engine, highlight_id).interval == 15


async def test_a_new_highlight_shows_sm2s_first_intervals(engine, tmp_path) -> None:
    one_due(engine, tmp_path)
    app = make_app(engine, grade_preset="four", drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        bar = grade_bar(app)
        assert [shown_days(bar, c) for c in ("Again", "Hard", "Good", "Easy")] == [1, 1, 1, 1], bar


async def test_the_line_after_a_grade_says_when_it_comes_back_and_then_what_undo_took_back(engine, tmp_path) -> None:
    one_due(engine, tmp_path, due=DAY.isoformat(), repetitions=2, interval=6)
    app = make_app(engine, grade_preset="four")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        days = shown_days(grade_bar(app), "Good")
        assert after_grade(app) == ""
        await pilot.press("3")
        back = DAY + timedelta(days=days)
        assert after_grade(app) == f"Good · next: in {days} days, {back:%a} {back.day} {back:%b}"
        await pilot.press("u")
        await pilot.pause()
        assert after_grade(app) == "Took back the grade Good."


async def test_again_says_it_comes_back_today_too_and_the_drill_keys_say_so(engine, tmp_path) -> None:
    highlight_id = one_due(engine, tmp_path, due=DAY.isoformat(), repetitions=2, interval=6)
    app = make_app(engine, grade_preset="four")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("1")
        assert after_grade(app) == "Again · next: tomorrow, Tue 3 Mar; again later today"
        await pilot.pause()
        assert app.review.card.id == highlight_id  # the drill
        bar = grade_bar(app)
        assert "Again again" in bar and "Hard again" in bar and "Good done" in bar and "Easy done" in bar, bar
        before = highlight(engine, highlight_id)
        await pilot.press("3")
        assert highlight(engine, highlight_id) == before  # a drill never moves the schedule
        assert after_grade(app) == "Good · drill"
        assert app.session.finished
