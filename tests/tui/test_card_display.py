"""What a card shows: a highlight's lines as written, wide characters inside the border, its links
listed (l), keys that say why they cannot act, and ctrl+c quitting as q does."""

from __future__ import annotations

import webbrowser

import pytest
from review_support import make_app, notices, ready, reviews, screen_text, seed
from rich.cells import cell_len

from recall.tui.screens.empty import EmptyScreen
from recall.tui.screens.links import LinkListScreen
from recall.tui.screens.review import ReviewScreen

POEM = (
    "Whose woods these are I think I know.\n"
    "His house is in the village though;\n"
    "\n"
    "2) Then fold it twice.\n"
    "+ plus\n"
    "- dash\n"
    "1984. Orwell\n"
    "# not a heading\n"
    "> not a quote\n"
    "**still bold** and *italic*"
)
POEM_LINES = [
    "Whose woods these are I think I know.",
    "His house is in the village though;",
    "2) Then fold it twice.",
    "+ plus",
    "- dash",
    "1984. Orwell",
    "# not a heading",
    "> not a quote",
    "still bold and italic",
]
WIDE = "Weather ☁️ today, gears ⚙️ turning: 漢字かな交じり文は一文字が二つ分の幅です。漢字かな交じり文 ![a figure](https://e.com/f.png) 👍 end"


def card_lines(app) -> list[str]:
    """The card's inner lines, stripped of the border and padding."""
    return [line.split("│")[1].strip() for line in screen_text(app).splitlines() if line.count("│") >= 2]


async def test_a_poem_keeps_its_lines_and_line_starts_show_as_written(engine, tmp_path) -> None:
    seed(engine, tmp_path, [{"title": "Poems", "highlights": [
        {"text": POEM, "note": "- first step\n- second step\n**noted** [a link](https://e.com/n)"}]}])
    app = make_app(engine)
    async with app.run_test(size=(100, 36)) as pilot:
        await ready(pilot)
        lines = card_lines(app)
    at = lines.index(POEM_LINES[0])
    assert lines[at:at + 2] == POEM_LINES[:2] and lines[at + 2] == ""  # the blank line is a paragraph break
    assert lines[at + 3:at + 3 + len(POEM_LINES) - 2] == POEM_LINES[2:]
    assert "Note\u00a0\u00a0- first step" in lines and "- second step" in lines and "noted a link" in lines
    assert not any(line.startswith(("•", "▌", "┃")) for line in lines)  # no list bullet, no quote bar


async def test_wide_characters_stay_inside_the_border(engine, tmp_path) -> None:
    seed(engine, tmp_path, [{"title": "Weather ☁️ 漢字の本", "author": "著者 ⚙️", "highlights": [
        {"text": WIDE, "note": "メモ ☁️ note", "tags": ["☁️", "漢字"], "location": "Location ⚙️ 7"}]}])
    app = make_app(engine)
    for size in ((80, 24), (61, 30)):
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            text = screen_text(app)
            rows = [line for line in text.splitlines() if line.count("│") >= 2 or "╮" in line]
            right_edges = {cell_len(line[: max(line.rfind("│"), line.rfind("╮"))]) for line in rows}
            assert len(right_edges) == 1, "\n".join(rows)
            assert all(cell_len(line) == size[0] for line in text.splitlines())
            assert "▢ a figure" in text and "🖼" not in text  # the image marker is one cell wide everywhere
            assert "漢字かな交じり文" in text and "☁ today" in text and "\ufe0f" not in text  # ☁️: see steady_width
        app = make_app(engine)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: urls.append(url) or True)
    return urls


def linked(engine, tmp_path) -> None:
    seed(engine, tmp_path, [{"title": "Essays", "highlights": [
        {"text": "Read [the essay](https://e.com/essay) and [a trap](https://e.com/\u202etrap).",
         "note": "More at https://e.com/note", "location": "Location 5", "location_url": "https://e.com/loc"},
        {"text": "No link here at all."},
    ]}])


async def test_l_lists_the_links_and_opens_the_one_picked(engine, tmp_path, opened) -> None:
    linked(engine, tmp_path)
    app = make_app(engine, drills=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("l")
        assert isinstance(app.screen, LinkListScreen)
        text = screen_text(app)
        for shown in ("the essay", "https://e.com/essay", "https://e.com/note",
                      "Location 5 (o)", "will not open: it contains an invisible character (<U+202E>)"):
            assert shown in text, text
        await pilot.press("down", "down", "enter")  # the essay, the trap, the note's link
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("l", "escape")
        assert isinstance(app.screen, ReviewScreen)
        told = notices(app)
        await pilot.press("l", "down", "enter")  # the trap is refused, saying why
        await pilot.press("4", "l")  # the next card has no link
        await pilot.pause()
    assert opened == ["https://e.com/note"]
    assert told == ["Not opening this link: it contains an invisible character (<U+202E>).",
                    "No link on this highlight or its note."]


async def test_l_follows_the_keymap(engine, tmp_path, opened) -> None:
    linked(engine, tmp_path)
    app = make_app(engine, keymap={"list_links": "x", "links_close": "z"})
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("l")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("x")
        assert isinstance(app.screen, LinkListScreen)
        await pilot.press("z")
        assert isinstance(app.screen, ReviewScreen)


async def test_o_says_there_is_no_link_or_no_browser(engine, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    linked(engine, tmp_path)
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)  # what it answers with no browser at all
    app = make_app(engine, drills=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        told = notices(app)
        await pilot.press("o", "4", "o")
        await pilot.pause()
    assert told == ["No browser found to open https://e.com/loc (set $BROWSER).", "No link on this highlight."]


async def test_a_and_n_say_why_there_is_nothing_to_start(engine, tmp_path) -> None:
    seed(engine, tmp_path, [{"title": "Book", "highlights": [{"text": "new, held back by the limit"}]}])
    app = make_app(engine, new_per_day=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, EmptyScreen)
        assert "a Review ahead" in screen_text(app).splitlines()[-1]
        told = notices(app)
        await pilot.press("a")
        await pilot.pause()
        assert told == ["Nothing to review ahead: no highlight is scheduled after today."]
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


@pytest.mark.parametrize("before", [(), ("l",), ("question_mark",)], ids=["card", "link list", "keys panel"])
async def test_ctrl_c_quits_keeping_every_grade(engine, tmp_path, before: tuple[str, ...]) -> None:
    linked(engine, tmp_path)
    app = make_app(engine, drills=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("5", *before, "ctrl+c")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0
    assert [(r[1], r[2]) for r in reviews(engine)] == [(5, "review")]
    assert app.farewell() == "Reviewed 1 highlight; 1 today, streak 1."


async def test_footer_shows_every_key_at_80_columns_and_the_grade_bar_every_grade_at_60(engine, tmp_path) -> None:
    linked(engine, tmp_path)
    for preset, grades in (("sm2", "0 Blackout 1 Wrong 2 Almost 3 Hard 4 Good 5 Perfect"),
                           ("four", "1 Again 2 Hard 3 Good 4 Easy")):
        app = make_app(engine, grade_preset=preset)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            footer = screen_text(app).splitlines()[-1]
            for key in ("u Undo", "s Skip", "d Discard", "f Fav", "o l Links", "e Edit", "+ - Freq", "t Stats",
                        "? Keys", "q Quit"):
                assert key in footer, (preset, footer)
            assert "^p palette" not in footer  # from 90 columns: the keys come first
        app = make_app(engine, grade_preset=preset)
        async with app.run_test(size=(90, 24)) as pilot:
            await ready(pilot)
            footer = screen_text(app).splitlines()[-1]
            assert "q Quit" in footer and "^p palette" in footer, (preset, footer)
        app = make_app(engine, grade_preset=preset)
        async with app.run_test(size=(60, 20)) as pilot:
            await ready(pilot)
            lines = screen_text(app).splitlines()
            first = next(n for n, line in enumerate(lines) if "Again" in line or "Blackout" in line)
            bar = " ".join(" ".join(lines[first:first + 2]).split())  # the six sm2 grades take two lines
            shown = " ".join(word for word in bar.split() if not word.endswith("d") or not word[:-1].isdigit())
            assert shown.startswith(grades), bar
