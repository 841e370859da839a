"""Whole review sessions on an imported copy of sample_vault/, checked in the database."""

from __future__ import annotations

from datetime import date, timedelta

from review_support import highlight, make_app, notices, ready, reviews, screen_text

from recall.config import Settings
from recall.scheduler.queue import QueueFilter, build_queue
from recall.tui.screens.empty import EmptyScreen
from recall.tui.screens.review import ReviewScreen
from recall.tui.screens.summary import SummaryScreen

DAY = date(2026, 3, 2)  # the study day of FIXED_NOW in UTC
SIZE = (100, 32)


def queue_ids(engine, new_per_day: int = Settings().new_per_day, **where) -> list[int]:
    return build_queue(engine, DAY, new_per_day, 200, QueueFilter(**where)).highlight_ids


async def test_a_whole_session_grades_every_card_and_ends_on_the_summary(imported) -> None:
    expected = queue_ids(imported, 4)
    app = make_app(imported, new_per_day=4, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "1 of 4" in screen_text(app)
        await pilot.press("5", "4", "3", "4")
        assert isinstance(app.screen, SummaryScreen)
        summary = app.screen.summary
    assert reviews(imported) == [
        (expected[0], 5, "review", "2026-03-02", 2.5),
        (expected[1], 4, "review", "2026-03-02", 2.5),
        (expected[2], 3, "review", "2026-03-02", 2.5),
        (expected[3], 4, "review", "2026-03-02", 2.5),
    ]
    assert highlight(imported, expected[0])[:4] == (1, 260, 1, "2026-03-03")  # SM-2: first success -> 1 day
    assert highlight(imported, expected[2])[:4] == (1, 236, 1, "2026-03-03")
    assert (summary.reviewed, summary.grades, summary.drills, summary.seconds) == (4, ((5, 1), (4, 2), (3, 1)), 0, 10.0)
    assert (summary.streak_before, summary.streak_after, summary.reviewed_today) == (0, 1, 4)
    assert (summary.outlook.tomorrow, summary.outlook.week) == (4, 4)


async def test_quitting_mid_session_keeps_every_grade_given(imported) -> None:
    expected = queue_ids(imported)
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("5", "1", "q")
    assert app.return_code == 0
    assert [(r[0], r[1], r[2]) for r in reviews(imported)] == [(expected[0], 5, "review"), (expected[1], 1, "review")]
    assert app.farewell() == "Reviewed 2 highlights; 2 today, streak 1."


async def test_undo_takes_back_grades_in_order_and_shows_the_card_again(imported) -> None:
    expected = queue_ids(imported)
    before = highlight(imported, expected[0])
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "2")
        assert app.review.card.id == expected[2]
        await pilot.press("u")
        assert app.review.card.id == expected[1]
        await pilot.press("u")
        assert app.review.card.id == expected[0]
        assert "1 of 10" in screen_text(app)
        await pilot.press("u")  # nothing left to undo: no change
        assert app.review.card.id == expected[0]
        await pilot.press("3")
    assert [(r[0], r[1]) for r in reviews(imported)] == [(expected[0], 3)]
    assert highlight(imported, expected[1]) == highlight(imported, expected[3])  # both untouched, new
    assert before[:4] == (0, 250, 0, None)


async def test_skip_discard_and_favourite_are_written_and_undone(imported) -> None:
    first, second, third = queue_ids(imported)[:3]
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f")
        assert highlight(imported, first).favorite == 1
        assert app.review.card.id == first and app.review.card.favorite
        await pilot.press("s")
        assert highlight(imported, first).skipped_until == "2026-03-02"
        await pilot.press("d")
        assert highlight(imported, second).discarded == 1
        assert app.review.card.id == third
        assert "3 of 10" in screen_text(app)
        await pilot.press("u")  # discard
        assert highlight(imported, second).discarded == 0
        assert app.review.card.id == second
        await pilot.press("u")  # skip
        assert highlight(imported, first).skipped_until is None
        await pilot.press("u")  # favourite
        assert highlight(imported, first).favorite == 0
        assert app.review.card.id == first
    assert reviews(imported) == []
    assert highlight(imported, first)[:4] == (0, 250, 0, None)  # never touched the schedule


async def test_skipped_and_discarded_highlights_stay_out_of_the_next_session(imported) -> None:
    first, second = queue_ids(imported)[:2]
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("s", "d", "q")
    again = make_app(imported)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert first not in again.session.state.pending
        assert second not in again.session.state.pending


async def test_drills_bring_back_low_grades_until_they_score_four(imported) -> None:
    a, b, c = queue_ids(imported, 3)
    app = make_app(imported, new_per_day=3)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("2", "4", "5")
        assert app.review.card.id == a
        assert "drills · 1 left" in screen_text(app)
        assert "Drill" in screen_text(app)
        await pilot.press("3")  # still below 4: again
        assert app.review.card.id == a
        await pilot.press("4")
        assert isinstance(app.screen, SummaryScreen)
        assert (app.screen.summary.reviewed, app.screen.summary.drills) == (3, 2)
    assert [(r[0], r[1], r[2]) for r in reviews(imported)] == [
        (a, 2, "review"), (b, 4, "review"), (c, 5, "review"), (a, 3, "drill"), (a, 4, "drill"),
    ]
    assert highlight(imported, a)[:4] == (0, 218, 1, "2026-03-03")  # the first grade (2) only: EF -0.32


async def test_undo_of_a_drill_grade_brings_the_drill_back(imported) -> None:
    (a,) = queue_ids(imported, 1)
    app = make_app(imported, new_per_day=1)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("1", "5")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("u")
        assert isinstance(app.screen, ReviewScreen)
        assert app.review.card.id == a and app.session.drilling
        await pilot.press("4")
    assert [(r[1], r[2]) for r in reviews(imported)] == [(1, "review"), (4, "drill")]


async def test_with_drills_off_a_low_grade_is_not_asked_again(imported) -> None:
    app = make_app(imported, new_per_day=2, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("0", "1")
        assert isinstance(app.screen, SummaryScreen)
    assert [r[2] for r in reviews(imported)] == ["review", "review"]


async def test_a_restart_mid_drill_asks_the_unfinished_drill_at_the_end(imported) -> None:
    a, b = queue_ids(imported, 2)
    app = make_app(imported, new_per_day=2)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("2", "q")
    again = make_app(imported, new_per_day=2)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert again.session.state.pending == (b, a)
        assert "1 of 1" in screen_text(again)
        await pilot.press("4", "4")
        assert isinstance(again.screen, SummaryScreen)
    assert [(r[0], r[1], r[2]) for r in reviews(imported)] == [(a, 2, "review"), (b, 4, "review"), (a, 4, "drill")]


async def test_the_four_button_preset_maps_keys_to_grades_two_to_five(imported) -> None:
    ids = queue_ids(imported, 4)
    app = make_app(imported, new_per_day=4, grade_preset="four", drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "Again" in screen_text(app) and "Blackout" not in screen_text(app)
        await pilot.press("0", "5")  # not grade keys in this preset
        assert reviews(imported) == []
        await pilot.press("1", "2", "3", "4")
    assert [(r[0], r[1]) for r in reviews(imported)] == list(zip(ids, [2, 3, 4, 5], strict=True))


async def test_keys_follow_the_keymap(imported) -> None:
    first, second = queue_ids(imported)[:2]
    app = make_app(imported, keymap={"grade_4": "g", "skip": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4")  # rebound away
        assert reviews(imported) == []
        await pilot.press("g", "x")
        grade_bar = next(line for line in screen_text(app).splitlines() if "Blackout" in line)
        assert " g Good " in grade_bar  # the grade bar shows the new key
    assert [(r[0], r[1]) for r in reviews(imported)] == [(first, 4)]
    assert highlight(imported, second).skipped_until == "2026-03-02"


async def test_filters_narrow_the_session(imported) -> None:
    for where in ({"tag": "orange"}, {"category": "podcasts"}, {"source": "slow apprentice"}):
        expected = queue_ids(imported, **where)
        assert expected, where
        app = make_app(imported, drills=False, **where)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            assert f"1 of {len(expected)}" in screen_text(app)
            assert app.session.state.pending == tuple(expected)
            await pilot.press("q")


async def test_limit_sizes_the_session(imported) -> None:
    app = make_app(imported, limit=2, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "1 of 2" in screen_text(app)
        await pilot.press("5", "5")
        assert isinstance(app.screen, SummaryScreen)
    assert len(reviews(imported)) == 2


async def test_a_tag_session_grades_only_that_tag(imported) -> None:
    app = make_app(imported, tag="orange", drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press(*["5"] * app.session.main_total)
        assert isinstance(app.screen, SummaryScreen)
    with imported.connect() as c:
        tagged = {r[0] for r in c.exec_driver_sql(
            "SELECT h.id FROM highlights h, json_each(h.tags) t WHERE t.value = 'orange'")}
    assert {r[0] for r in reviews(imported)} == tagged


async def test_nothing_imported_says_how_to_import(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, EmptyScreen)
        assert "recall import PATH/TO/VAULT" in screen_text(app)
        await pilot.press("a", "n", "5")  # no session to start, nothing to grade
        assert isinstance(app.screen, EmptyScreen)


async def test_nothing_due_says_what_comes_next_and_offers_new_ones(imported) -> None:
    first = make_app(imported, new_per_day=2, drills=False)
    async with first.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "5")
    graded = [r[0] for r in reviews(imported)]
    app = make_app(imported, new_per_day=2)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, EmptyScreen)
        text = screen_text(app)
        assert "You reviewed 2 highlights today." in text
        assert "Next: 2 highlights fall due tomorrow." in text
        assert "new highlights now" in text
        assert "review ahead" not in text  # both were graded today already
        await pilot.press("a")
        assert isinstance(app.screen, EmptyScreen)
        await pilot.press("n")
        assert isinstance(app.screen, ReviewScreen) and app.session.main_total == 10
        assert app.session.current not in graded
        await pilot.press("3")
    extra = reviews(imported)[2]
    assert extra[0] not in graded and (extra[1], extra[2]) == (3, "review")


async def test_review_ahead_takes_the_highlights_due_soonest(imported) -> None:
    from recall.db.engine import writing

    a, b, c = queue_ids(imported)[:3]
    with writing(imported) as connection:
        for highlight_id, due in ((a, "2026-03-07"), (b, "2026-03-04"), (c, "2026-03-20")):
            connection.exec_driver_sql(
                "UPDATE highlights SET repetitions = 2, interval = 6, due = ? WHERE id = ?", (due, highlight_id)
            )
    app = make_app(imported, new_per_day=0, limit=2)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, EmptyScreen)
        text = screen_text(app)
        assert "Nothing is due today (at most 2)." in text
        assert "Next: 1 highlight falls due Wed 4 Mar." in text
        assert "2 highlights in the next 7 days." in text
        await pilot.press("a")
        assert app.session.state.pending == (b, a)
        assert "Ahead · due in 2 days" in screen_text(app)
        await pilot.press("5")
    assert [(r[0], r[1], r[2]) for r in reviews(imported)] == [(b, 5, "review")]
    assert highlight(imported, b)[:4] == (3, 260, 15, "2026-03-17")  # ceil(6 * 2.50) days from today


async def test_streak_counts_consecutive_study_days(imported, log_writer) -> None:
    from support import FIXED_NOW

    from recall.scheduler.actions import rate

    ids = queue_ids(imported, new_per_day=20)
    for back, highlight_id in ((3, ids[10]), (2, ids[11]), (1, ids[12])):
        rate(imported, highlight_id, 4, FIXED_NOW - timedelta(days=back), DAY - timedelta(days=back), log=log_writer)
    app = make_app(imported, limit=1, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "streak 3 days" in screen_text(app)
        await pilot.press("4")
        assert (app.screen.summary.streak_before, app.screen.summary.streak_after) == (3, 4)
        assert "3 → 4 days" in screen_text(app)


async def test_help_panel_toggles_and_palette_runs_actions(imported) -> None:
    from textual.widgets import HelpPanel

    first = queue_ids(imported)[0]
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert app.screen.query(HelpPanel)
        assert "Blackout" in screen_text(app)
        await pilot.press("question_mark")
        assert not app.screen.query(HelpPanel)
        await pilot.press("ctrl+p")
        await pilot.press(*"skip")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert highlight(imported, first).skipped_until == "2026-03-02"


async def test_a_highlight_discarded_elsewhere_is_left_out_with_a_notice(imported, log_writer) -> None:
    from support import FIXED_NOW

    from recall.scheduler.actions import discard

    first, second = queue_ids(imported)[:2]
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        notes = notices(app)
        discard(imported, first, FIXED_NOW, DAY, log=log_writer)  # another `recall` process
        await pilot.press("4")
        assert app.review.card.id == second
        await pilot.press("5")
    assert [(r[0], r[1]) for r in reviews(imported)] == [(second, 5)]
    assert any("discarded" in note for note in notes)


async def test_undo_never_takes_back_a_grade_given_elsewhere(imported, log_writer) -> None:
    from support import FIXED_NOW

    from recall.scheduler.actions import rate

    first, second, third = queue_ids(imported)[:3]
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        notes = notices(app)
        await pilot.press("4")
        rate(imported, third, 1, FIXED_NOW, DAY, log=log_writer)  # `recall rate` in another terminal
        await pilot.press("u")
        assert app.review.card.id == second  # nothing undone
    assert [(r[0], r[1]) for r in reviews(imported)] == [(first, 4), (third, 1)]
    assert any("recall undo" in note for note in notes)


async def test_undo_never_takes_back_a_grade_that_reused_an_undone_id(imported, log_writer) -> None:
    """The app grades; `recall undo` in a shell takes that grade back; `recall rate` grades
    another highlight. Review ids are never reused, so the app's `u` refuses instead of
    deleting the other grade."""
    from support import FIXED_NOW

    from recall.scheduler.actions import rate
    from recall.scheduler.undo import undo_last

    first, second, third = queue_ids(imported)[:3]
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        notes = notices(app)
        await pilot.press("4")
        assert undo_last(imported, FIXED_NOW, DAY, log=log_writer) is not None  # `recall undo` in a shell
        rate(imported, third, 1, FIXED_NOW, DAY, log=log_writer)  # `recall rate` in another terminal
        await pilot.press("u")
        assert app.review.card.id == second  # nothing undone
    assert [(r[0], r[1]) for r in reviews(imported)] == [(third, 1)]
    assert any("recall undo" in note for note in notes)


async def test_a_grade_given_first_in_another_session_is_told_and_counted(imported, log_writer) -> None:
    from support import FIXED_NOW

    from recall.scheduler.actions import rate

    first, second = queue_ids(imported)[:2]
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        notes = notices(app)
        rate(imported, first, 5, FIXED_NOW, DAY, log=log_writer)  # the same card, graded in a second window
        await pilot.press("3")
        assert notes == ["Already graded today in another session: logged as a drill."]
        assert app.today_count() == 1  # the other session's grade; ours was a drill
        assert app.live_streak() == 1  # today counts: the other session graded
        assert app.review.card.id == second
        await pilot.press("4")
        assert app.today_count() == 2
    assert [(r[0], r[1], r[2]) for r in reviews(imported)] == [(first, 5, "review"), (first, 3, "drill"), (second, 4, "review")]
