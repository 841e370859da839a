"""The review's `+` and `-` (issue 14): the card's source one level more or less often, written to
the review log first; the notice says what it does; the card stays with its grade keys retuned and
the next card of that source is labelled with the factor; `never` takes the source's cards out of
the session; `u` takes a change back like any step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from review_support import make_app, notices, ready, screen_text, seed
from support import FIXED_NOW
from textual.widgets import Static

from recall.frequency import Level, event_key
from recall.reviewlog.events import EventType
from recall.reviewlog.files import read_log
from recall.scheduler.actions import rate

SIZE = (100, 32)
DAY = FIXED_NOW.date()


def library(engine, vault: Path, log_writer) -> dict[str, int]:
    """Two highlights of 'Deep Work' due 3 and 2 days ago, one of 'Small Poems' due yesterday; each
    after two Good reviews given through the review log (a level replays its source from there):
    interval 6, so a Good gives SM-2's 15 days. Returns name → highlight id."""
    first, second, poem = seed(engine, vault, [
        {"title": "Deep Work", "author": "Cal Newport", "highlights": [
            {"text": "Clarity about what matters provides clarity about what does not."},
            {"text": "Who you are, what you think, feel, and do, what you love, is the sum of what you focus on."},
        ]},
        {"title": "Small Poems", "highlights": [{"text": "A room is a sentence the house keeps saying, over and over."}]},
    ])
    for late, highlight_id in ((3, first), (2, second), (1, poem)):
        for back in (late + 7, late + 6):  # 1 day, then 6: due `late` days ago
            day = DAY - timedelta(days=back)
            rate(engine, highlight_id, 4, datetime(day.year, day.month, day.day, 9, tzinfo=UTC), day, log=log_writer)
    return {"first": first, "second": second, "poem": poem}


def said(app) -> str:
    """The line above the keys: what the last step did."""
    return str(app.review.query_one("#after-grade", Static).render())


def logged(vault: Path) -> list:
    return [located.event for located in read_log(vault / "recall-log", {}).events]


def level_of(engine, title: str) -> str:
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT frequency FROM sources WHERE title = ?", (title,)).scalar_one()


async def test_minus_logs_the_level_tells_what_it_does_and_the_keys_follow(engine, tmp_path, log_writer) -> None:
    ids = library(engine, tmp_path, log_writer)
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.session.current == ids["first"] and app.review.outcomes[4] == "15d"
        shown = notices(app)
        await pilot.press("minus")
        assert said(app) == "Show 'Deep Work' less: intervals ×2" and shown == []  # above the keys, not over them
        assert "Show 'Deep Work' less: intervals ×2" in screen_text(app)
        assert app.session.current == ids["first"]  # the card stays: no due day moved
        assert app.review.outcomes == {0: "2d", 1: "2d", 2: "2d", 3: "30d", 4: "30d", 5: "30d"}
        assert app.review.card.frequency is Level.LESS
        await pilot.press("4")
        assert app.session.current == ids["second"]  # the next card of that source: ×2 too
        assert app.review.outcomes[4] == "30d" and app.review.outcomes[2] == "2d"
        await pilot.press("4")
        assert app.session.current == ids["poem"] and app.review.outcomes[4] == "15d"  # another source: as usual
        await pilot.press("plus")
        assert said(app) == "Show 'Small Poems' more: intervals ×0.5"
        assert app.review.outcomes[4] == "8d"  # ceil(15 / 2)
    events = logged(tmp_path)
    frequencies = [e for e in events if e.type is EventType.FREQUENCY]
    assert [(e.key, e.level) for e in frequencies] == [
        (event_key("s0"), Level.LESS), (event_key("s1"), Level.MORE),
    ]
    assert level_of(engine, "Deep Work") == "less" and level_of(engine, "Small Poems") == "more"
    with engine.connect() as connection:
        dues = dict(connection.exec_driver_sql("SELECT id, due FROM highlights").all())
    assert dues[ids["first"]] == (DAY + timedelta(days=30)).isoformat()


async def test_plus_at_more_and_minus_at_never_do_nothing_but_say_so(engine, tmp_path, log_writer) -> None:
    library(engine, tmp_path, log_writer)
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("plus")
        assert said(app) == "Show 'Deep Work' more: intervals ×0.5"
        await pilot.press("plus")
        assert said(app) == "'Deep Work' is already shown as often as it can be (more)"
        assert app.undoable  # the first + is still there to take back
    assert len([e for e in logged(tmp_path) if e.type is EventType.FREQUENCY]) == 1


async def test_never_takes_the_sources_cards_out_and_u_brings_them_back(engine, tmp_path, log_writer) -> None:
    ids = library(engine, tmp_path, log_writer)
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("minus", "minus", "minus")  # less, rarely, never
        assert said(app).startswith("Never show 'Deep Work': its highlights leave the queue, schedules kept")
        assert app.session.current == ids["poem"] and app.session.state.pending == (ids["poem"],)
        assert level_of(engine, "Deep Work") == "never"
        await pilot.press("u")
        assert said(app) == "Took back the frequency change."
        assert app.session.current == ids["first"] and level_of(engine, "Deep Work") == "rarely"
        assert app.review.outcomes[4] == "60d"  # rarely: 15 x 4
        await pilot.press("u", "u")
        assert level_of(engine, "Deep Work") == "normal" and app.review.outcomes[4] == "15d"
        assert not app.undoable
    events = logged(tmp_path)
    assert [e.type for e in events] == [EventType.FREQUENCY] * 3 + [EventType.UNDO] * 3
    assert [e.undoes for e in events[3:]] == [e.id for e in reversed(events[:3])]


async def test_a_level_the_log_cannot_take_is_not_saved_and_the_card_stays(engine, tmp_path, log_writer) -> None:
    ids = library(engine, tmp_path, log_writer)
    app = make_app(engine, review_log=str(tmp_path / "unmounted" / "recall-log"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        shown = notices(app)
        await pilot.press("minus")
        assert app.session.current == ids["first"] and app.review.outcomes[4] == "15d"
        assert not app.undoable
    assert len(shown) == 1 and shown[0].startswith("frequency not saved: cannot write the review log")
    assert level_of(engine, "Deep Work") == "normal"
