"""card_markdown: a highlight's lines kept, no Markdown block made, inline formatting kept (no Textual here)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from recall.tui.card_text import CardLink, card_links, card_markdown, markdown_parser, steady_width

FULL_GFM = MarkdownIt("gfm-like", {"html": False})
"""Every block rule on: card_markdown alone must keep blocks out, whatever parser reads it."""
ALLOWED_BLOCKS = {"paragraph_open", "paragraph_close", "inline"}


def shown(text: str, parser: MarkdownIt | None = None) -> str:
    """The text the card shows for ``text``: inline contents, line breaks as "\\n", paragraphs apart."""
    paragraphs = []
    for block in (parser or markdown_parser()).parse(card_markdown(text)):
        if block.type != "inline":
            continue
        parts = []
        for child in block.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type == "hardbreak":
                parts.append("\n")
            elif child.type == "softbreak":  # a soft break is a space in any Markdown renderer
                parts.append(" ")
        paragraphs.append("".join(parts))
    return "\n\n".join(paragraphs)


def block_types(text: str, parser: MarkdownIt) -> set[str]:
    return {token.type for token in parser.parse(card_markdown(text))}


def inline_types(text: str) -> set[str]:
    return {child.type for token in markdown_parser().parse(card_markdown(text)) for child in token.children or []}


POEM = "Whose woods these are I think I know.\nHis house is in the village though;\n    He will not see me stopping here\n"


def test_a_poem_keeps_its_lines() -> None:
    assert shown(POEM) == "Whose woods these are I think I know.\nHis house is in the village though;\nHe will not see me stopping here"


def test_a_blank_line_separates_paragraphs_and_more_blank_lines_are_one() -> None:
    assert shown("one\n\n\n\ntwo\r\nthree") == "one\n\ntwo\nthree"


@pytest.mark.parametrize(
    "text",
    [
        "2) Then fold it twice.", "+ plus", "- dash", "* star", "1984. Orwell", "1. first", "# hash", "## Chapter",
        "> quoted", "---", "***", "___", "- - -", "===", "| a | b |", "```", "```python", "~~~", ":--|--:",
        "#hashtag", "-5 degrees", "+1 for this",
    ],
)
def test_a_line_that_would_start_a_block_shows_as_written(text: str) -> None:
    for parser in (markdown_parser(), FULL_GFM):
        assert block_types(text, parser) <= ALLOWED_BLOCKS, text
        assert shown(text, parser) == text
        assert shown(f"Before it:\n{text}\nafter it.", parser) == f"Before it:\n{text}\nafter it."


@pytest.mark.parametrize(
    "text",
    [
        "Title\n===", "Title\n---", "a | b\n--|--\nc | d", "[label]: https://e.com/x", "[multi\nline]: /url",
        "    indented code", "\tindented by a tab", "```\ncode\n```", "1. one\n2. two", "- a\n  - b\n- c",
        "> a quote\n> goes on", "<div>raw</div>", "<!-- comment -->",
    ],
)
def test_no_block_even_over_several_lines(text: str) -> None:
    for parser in (markdown_parser(), FULL_GFM):
        assert block_types(text, parser) <= ALLOWED_BLOCKS, (text, card_markdown(text))


def test_a_reference_definition_stays_text() -> None:
    assert shown("[label]: https://e.com/x") == "[label]: https://e.com/x"


def test_inline_formatting_is_still_rendered() -> None:
    text = "**bold**, *italic*, _also_, ~~struck~~, `code`, [a link](https://e.com/a) and https://e.com/bare"
    assert {"strong_open", "em_open", "s_open", "code_inline", "link_open"} <= inline_types(text)
    assert shown(text) == "bold, italic, also, struck, code, a link and https://e.com/bare"
    assert {"strong_open", "em_open"} <= inline_types("- **bold** first\n*italic* at a line's start")


def test_vault_text_stays_literal() -> None:
    assert shown("[bold]x[/bold] [/] \x1b[31mred\x1b]8;;http://evil\x07 <b>html</b> \u202eevil") == (
        "[bold]x[/bold] [/] ␛[31mred␛]8;;http://evil␇ <b>html</b> <U+202E>evil"
    )
    assert "html_inline" not in inline_types("<b>html</b>")


def test_empty_and_missing_text_is_empty() -> None:
    assert card_markdown(None) == card_markdown("") == card_markdown(" \n\t\n") == ""


def test_links_are_found_in_the_text_and_the_note() -> None:
    links = card_links(
        "See [the essay](https://e.com/essay) and https://e.com/bare,\n![a figure](https://e.com/f.png)"
        " and <https://e.com/auto>; again [here](https://e.com/essay); [bad](javascript:alert(1))",
        "note: [more\non it](https://e.com/more)",
    )
    assert links == [
        CardLink("the essay", "https://e.com/essay"),
        CardLink("https://e.com/bare", "https://e.com/bare"),
        CardLink("image: a figure", "https://e.com/f.png"),
        CardLink("https://e.com/auto", "https://e.com/auto"),
        CardLink("more on it", "https://e.com/more"),
    ]
    assert card_links("no link here", None) == []


BLOCKISH = st.sampled_from(
    ["-", "+", "*", "_", "#", ">", "|", ":", "=", "`", "~", "1.", "2)", "123456789.", "[", "]", "]:", "\\", " ", "\t",
     "    ", "\n", "\n\n", "a", "word", "<div>", "!", "(", ")", "&", "x|y", "---", "***", "```", "~~~", "\u00a0"]
)
TEXTS = st.one_of(st.lists(BLOCKISH, max_size=30).map("".join), st.text(max_size=60))


@settings(max_examples=400, deadline=None)
@given(TEXTS)
@example("a\n---")
@example("a\n=")
@example("[a]: b")
@example("a|b\n-|-")
@example("    x")
def test_no_text_makes_a_block(text: str) -> None:
    """Whatever the text, the card's parser (and a full GFM one) sees only paragraphs and line breaks."""
    for parser in (markdown_parser(), FULL_GFM):
        assert block_types(text, parser) <= ALLOWED_BLOCKS, (text, card_markdown(text))


PLAIN = st.lists(
    st.sampled_from(["-", "+", "#", ">", "|", ":", ".", ")", "1", "2.", "1984", " ", "\n", "\n\n", "a", "Word", "é",
                     "漢字", "☁", "👍", "  "]),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(PLAIN)
def test_characters_without_inline_meaning_show_as_written(text: str) -> None:
    """Line-start characters are escaped, never lost: the card shows each line as typed (trimmed)."""
    paragraphs = []
    for chunk in text.split("\n"):
        paragraphs.append(chunk.strip(" \t"))
    expected = "\n".join(paragraphs)
    while "\n\n\n" in expected:
        expected = expected.replace("\n\n\n", "\n\n")
    assert shown(text) == expected.strip("\n")


def test_the_cards_parser_alone_makes_no_block_either() -> None:
    """The second layer: even text that skipped card_markdown makes only paragraphs in the card."""
    raw = "# h\n- a\n1. b\n> q\n\n    code\n\n```\nf\n```\n\na|b\n-|-\n\n---\n[r]: /u\n\nT\n==="
    assert {token.type for token in markdown_parser().parse(raw)} <= ALLOWED_BLOCKS


def test_an_emoji_selector_after_a_narrow_character_is_dropped_so_every_terminal_agrees_on_its_width() -> None:
    assert steady_width("☁️ ⚙️ ❤️ 👍 📝 ☁ 漢字") == "☁ ⚙ ❤ 👍 📝 ☁ 漢字"
    assert shown("Weather ☁️\ngears ⚙️") == "Weather ☁\ngears ⚙"
