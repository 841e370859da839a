"""The prompt and the reveal: what each style hides, that Space shows it whole, that grade keys
wait for the reveal, and that a cloze shows the same blanks after undo and after a restart."""

from __future__ import annotations

from review_support import make_app, ready, reviews, screen_text, seed
from textual.widgets import Markdown, Static

from recall.prompt import prompt_for, prompt_markdown
from recall.tui.widgets.card import HighlightCard
from recall.vocabulary import PromptStyle

SIZE = (100, 30)
SHIP = ("If you want to build a ship, don't drum up people to collect wood and don't assign them tasks "
        "and work, but rather teach them to long for the endless immensity of the sea.")


def card_markdown(app) -> str:
    return app.review.query_one("#card-text", Markdown).source


def after_grade(app) -> str:
    return str(app.review.query_one("#after-grade", Static).render())


def one(engine, tmp_path, text: str = SHIP, **fields) -> int:
    item = {"text": text, "note": "Saint-Exupéry, misattributed", **fields}
    return seed(engine, tmp_path, [{"title": "Citadelle", "author": "Antoine", "highlights": [item]}])[0]


async def test_a_cloze_hides_its_blanks_until_space_and_grades_wait_for_the_reveal(engine, tmp_path) -> None:
    highlight_id = one(engine, tmp_path)
    expected = prompt_markdown(SHIP, prompt_for(SHIP, PromptStyle.CLOZE, "h0-0", 0))
    app = make_app(engine, grade_preset="four", prompt="cloze")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        shown = card_markdown(app)
        assert shown == expected and shown.count("\\[…\\]") == 2  # 31 words: two blanks, escaped brackets
        assert "Saint-Exupéry" in screen_text(app)  # the note stays
        await pilot.press("3")
        assert reviews(engine) == [] and after_grade(app) == "space reveals the highlight first"
        await pilot.press("space")
        assert card_markdown(app) == SHIP and app.review.revealed
        await pilot.press("3")
        assert [r[:3] for r in reviews(engine)] == [(highlight_id, 4, "review")]


async def test_the_same_blanks_after_undo_and_after_a_restart(engine, tmp_path) -> None:
    one(engine, tmp_path)
    app = make_app(engine, grade_preset="four", prompt="cloze")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = card_markdown(app)
        await pilot.press("space", "1")  # Again: it comes back as a drill, one review later
        await pilot.pause()
        assert app.review.card.review_count == 1 and not app.review.revealed
        await pilot.press("u")
        await pilot.pause()
        assert card_markdown(app) == first and not app.review.revealed
    again = make_app(engine, grade_preset="four", prompt="cloze")
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert card_markdown(again) == first


async def test_a_cue_shows_the_first_words_and_the_source(engine, tmp_path) -> None:
    one(engine, tmp_path, chapter="Chapter 75", location="Page 12")
    app = make_app(engine, prompt="cue")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert card_markdown(app) == "If you want to …"  # 4 words of 31
        text = screen_text(app)
        assert "Citadelle" in text and "Chapter 75" in text and "Page 12" in text and "Saint-Exupéry" in text
        assert "immensity" not in text
        await pilot.press("space")
        assert card_markdown(app) == SHIP


async def test_a_highlight_too_short_for_a_cloze_is_a_cue_and_the_card_says_why(engine, tmp_path) -> None:
    one(engine, tmp_path, text="Order is something you keep making.")
    app = make_app(engine, prompt="cloze")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        card = app.review.query_one(HighlightCard)
        assert "Too short for a cloze" in str(card.border_title)
        assert card_markdown(app).startswith("Order is") and "making" not in card_markdown(app)


async def test_full_shows_everything_and_grades_at_once(engine, tmp_path) -> None:
    highlight_id = one(engine, tmp_path)
    app = make_app(engine, grade_preset="four", prompt="full")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert card_markdown(app) == SHIP and "Reveal" not in screen_text(app)
        await pilot.press("4")
        assert [r[:2] for r in reviews(engine)] == [(highlight_id, 5)]


async def test_a_prompt_that_cannot_be_made_costs_that_prompt_not_the_session(engine, tmp_path, monkeypatch) -> None:
    highlight_id = one(engine, tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("a fault in the prompt")

    monkeypatch.setattr("recall.prompt.prompt_for", broken)
    app = make_app(engine, grade_preset="four", prompt="cloze")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "No prompt for this one: shown whole" in str(app.review.query_one(HighlightCard).border_title)
        assert card_markdown(app) == SHIP
        await pilot.press("space", "3")
        assert [r[:2] for r in reviews(engine)] == [(highlight_id, 4)]
