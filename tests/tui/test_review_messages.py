"""Messages up, calls down: a screen posts what the user asks for, the app writes it and
tells the screens what to show (the next card, the session bar's figures, undo)."""

from __future__ import annotations

from datetime import date

from review_support import highlight, make_app, ready, reviews, screen_text
from textual import events, on
from textual.app import App
from textual.message import Message
from textual.screen import Screen

from recall.tui import messages
from recall.tui.data import LEARN_NEW, Card, Outlook, Summary, TodayFigures
from recall.tui.screens.empty import EmptyScreen
from recall.tui.screens.review import ReviewScreen
from recall.tui.screens.summary import SummaryScreen
from recall.tui.widgets.bars import SessionBar
from recall.tui.widgets.card import HighlightCard
from recall.vocabulary import QueueFilter

DAY = date(2026, 3, 2)
SIZE = (100, 32)


def bar_text(app) -> str:
    """The session bar, the top line of the screen."""
    return screen_text(app).splitlines()[0].strip()


async def test_a_grade_key_writes_the_review_log_and_the_bar_follows(imported) -> None:
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = app.review.card.id
        assert bar_text(app).endswith("1 of 10 · 0 today · streak 0 days")
        assert app.today_figures == TodayFigures(0, 0) and not app.review.undoable
        await pilot.press("4")
        assert reviews(imported) == [(first, 4, "review", "2026-03-02", 2.5)]
        assert bar_text(app).endswith("2 of 10 · 1 today · streak 1 day")
        assert app.today_figures == TodayFigures(1, 1)
        assert app.review.query_one(SessionBar).today == TodayFigures(1, 1)
        assert app.review.undoable


async def test_messages_posted_by_the_review_screen_are_applied(imported) -> None:
    app = make_app(imported, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        review = app.review
        first = review.card.id
        review.post_to_app(messages.FavoriteToggled())
        await pilot.pause()
        assert highlight(imported, first).favorite == 1 and review.card.favorite
        review.post_to_app(messages.Graded(3))
        await pilot.pause()
        assert reviews(imported) == [(first, 3, "review", "2026-03-02", 2.5)]  # timed by the app
        second = review.card.id
        review.post_to_app(messages.SetAside())
        await pilot.pause()
        assert highlight(imported, second).skipped_until == "2026-03-02"
        third = review.card.id
        review.post_to_app(messages.Discarded())
        await pilot.pause()
        assert highlight(imported, third).discarded == 1
        assert "4 of 10" in bar_text(app)
        review.post_to_app(messages.UndoRequested())
        await pilot.pause()
        assert highlight(imported, third).discarded == 0 and review.card.id == third


async def test_undo_from_the_summary_takes_back_the_last_grade(imported) -> None:
    app = make_app(imported, new_per_day=1, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        only = app.review.card.id
        await pilot.press("5")
        assert isinstance(app.screen, SummaryScreen) and app.screen.undoable
        assert bar_text(app).endswith("1 today · streak 1 day")
        await pilot.press("u")
        assert isinstance(app.screen, ReviewScreen) and app.screen.card.id == only
        assert reviews(imported) == []
        assert not app.screen.undoable
        assert bar_text(app).endswith("1 of 1 · 0 today · streak 0 days")
        await pilot.press("4")
        assert isinstance(app.screen, SummaryScreen)
    assert [(r[0], r[1]) for r in reviews(imported)] == [(only, 4)]


async def test_more_new_highlights_start_a_session_named_in_the_bar(imported) -> None:
    first = make_app(imported, new_per_day=1, drills=False)
    async with first.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("5")
    app = make_app(imported, new_per_day=1)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, EmptyScreen)
        assert bar_text(app).endswith("1 today · streak 1 day")
        app.screen.post_to_app(messages.ExtraSessionRequested(LEARN_NEW))
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "New highlights" in bar_text(app) and bar_text(app).endswith("1 of 10 · 1 today · streak 1 day")


async def test_a_refused_step_takes_back_the_offer_of_undo(imported, log_writer) -> None:
    from support import FIXED_NOW

    from recall.scheduler.actions import discard

    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = app.review.card.id
        discard(imported, first, FIXED_NOW, DAY, log=log_writer)  # another `recall` process
        await pilot.press("4")  # refused: the card is left out, nothing to undo
        assert app.review.card.id != first and reviews(imported) == []
        assert not app.review.undoable and app.review.check_action("undo", ()) is None


async def test_the_app_keeps_no_screen_of_its_own(imported) -> None:
    app = make_app(imported, new_per_day=1, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("5")
        assert isinstance(app.screen, SummaryScreen)
        kept = [name for name, value in vars(app).items() if not name.startswith("_") and isinstance(value, Screen)]
        assert kept == []
        assert app.review is app.screen_stack[-2]  # found on the stack, under the summary


# -- the screens without the review app: what they show is given, what they want is posted ---------


class Host(App[None]):
    """The smallest host: it shows one screen and keeps every message of recall.tui.messages it receives."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.recall_screen = screen
        self.received: list[Message] = []

    def on_mount(self) -> None:
        self.push_screen(self.recall_screen)

    @on(messages.Graded)
    @on(messages.SetAside)
    @on(messages.Discarded)
    @on(messages.FavoriteToggled)
    @on(messages.UndoRequested)
    @on(messages.CardLinkRequested)
    @on(messages.NoteEditRequested)
    def keep(self, message: Message) -> None:
        self.received.append(message)


def card(**changes) -> Card:
    fields = dict(
        id=7, key="k7", text="A room is a sentence the house keeps saying.", note=None, tags=(), location=None,
        location_url="https://example.com/7", chapter=None, favorite=False, due=None, title="Small Poems",
        author=None, category=None, source_url=None, note_file=None, line=None,
    )
    return Card(**{**fields, **changes})


def described(received: list[Message]) -> list[tuple]:
    """Each message as (name, its fields...)."""
    fields = ("grade", "url", "mode")
    return [(type(m).__name__, *(getattr(m, f) for f in fields if hasattr(m, f))) for m in received]


async def test_the_review_screen_posts_each_key_as_a_message() -> None:
    screen = ReviewScreen.for_preset("sm2")([("4", 4, "Good")], QueueFilter(tag="x"))
    host = Host(screen)
    async with host.run_test(size=SIZE) as pilot:
        await pilot.press("4", "s")  # no card yet: nothing to grade or skip
        assert host.received == []
        await screen.show_card(card(), "New", "1 of 3")
        await pilot.pause()
        assert screen.query_one(SessionBar).progress == "1 of 3"
        assert "New" in str(screen.query_one(HighlightCard).border_title)
        await pilot.press("u", "o", "e")  # nothing to undo yet; e: no note file
        assert described(host.received) == [("CardLinkRequested",)]
        await pilot.press("4", "u", "s", "d", "f")  # asking for a step offers undo at once
        screen.undoable = False  # as the app says, had it refused them
        await pilot.press("u")
        await pilot.pause()
    assert described(host.received)[1:] == [
        ("Graded", 4), ("UndoRequested",), ("SetAside",), ("Discarded",), ("FavoriteToggled",),
    ]


async def test_the_summary_offers_undo_only_when_the_app_says_there_is_one() -> None:
    summary = Summary(1, ((4, 1),), 0, 0, 0, 3.0, streak_before=0, streak_after=1, outlook=Outlook(), reviewed_today=1)
    screen = SummaryScreen(summary, DAY, QueueFilter(), undoable=False)
    host = Host(screen)
    async with host.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        assert host.received == []
        screen.undoable = True
        await pilot.press("u")
        await pilot.pause()
        assert described(host.received) == [("UndoRequested",)]
        assert screen.query_one(SessionBar).today == TodayFigures(1, 1)


# -- keys typed faster than the app answers (a paste, a burst of a fast typist) --------------------


def type_ahead(app, *keys: str) -> None:
    """Queue every key at once, as a terminal delivers a burst: none waits for the one before."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def settled(pilot) -> None:
    """Let the app work through the burst (and quit, if it was told to)."""
    for _ in range(25):
        await pilot.pause(0.02)


async def test_grades_typed_just_before_q_are_written(imported) -> None:
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = app.review.card.id
        type_ahead(app, "5", "4", "q")
        await settled(pilot)
    assert app.return_code == 0
    assert [(r[1], r[2], r[4]) for r in reviews(imported)] == [(5, "review", 2.5), (4, "review", 2.5)]
    assert reviews(imported)[0][0] == first
    assert app.farewell() == "Reviewed 2 highlights; 2 today, streak 1."


async def test_keys_typed_ahead_act_on_the_cards_they_reach(imported) -> None:
    app = make_app(imported, new_per_day=2, drills=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = app.review.card.id
        type_ahead(app, "f", "f", "5", "f", "4", "u")
        await settled(pilot)
        assert isinstance(app.screen, ReviewScreen)  # u took back the last grade: the second card again
        second = app.screen.card.id
        assert [(r[0], r[1]) for r in reviews(imported)] == [(first, 5)]
        assert (highlight(imported, first).favorite, highlight(imported, second).favorite) == (0, 1)
