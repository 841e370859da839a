"""The card: a highlight rendered as Markdown, with its source, place, note and tags.

Everything from the vault is shown literally (``recall.tui.text``); the
highlight's and the note's own inline Markdown (bold, italics, links) is rendered,
with their line breaks and nothing else of Markdown (``recall.tui.card_text``), so a
``<b>`` or a ``- `` shows as typed. The card scrolls when the highlight is longer
than the screen.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from markdown_it.token import Token
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content, Span
from textual.style import Style
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownParagraph  # not exported; Textual is pinned to 8.2 (pyproject)
from textual.widgets.markdown import MarkdownBlock

from recall.tui.card_text import card_markdown, markdown_parser
from recall.tui.external import safe_url
from recall.tui.text import literal, one_line

if TYPE_CHECKING:
    from recall.tui.data import Card


IMAGE_MARKER = "▢ "
"""Before an image's description: one cell wide in every terminal (Textual's own, 🖼, is not)."""
NOTE_LABEL = "**Note**\u00a0\u00a0"
"""Before the note's first line (no-break spaces: the card keeps them)."""
_INLINE_STYLES = {"em_open": ".em", "strong_open": ".strong", "s_open": ".s", "mark_open": ".mark"}


def inline_content(token: Token) -> Content:
    """An inline token of the card's Markdown as Content: Textual's own rendering, with the line breaks
    kept and a narrow image marker (Textual 8.2's ``MarkdownBlock._token_to_content``, which it replaces)."""
    text: list[str] = []
    spans: list[Span] = []
    opened: list[tuple[Style | str, int]] = []
    position = 0

    def add(part: str) -> None:
        nonlocal position
        text.append(part)
        position += len(part)

    def close() -> None:
        if opened:
            style, start = opened.pop()
            spans.append(Span(start, position, style))

    for child in token.children or []:
        kind = child.type
        if kind == "text":
            add(re.sub(r"[ \t\n]+", " ", child.content))
        elif kind == "hardbreak":  # card_markdown makes every line break of the vault text one
            add("\n")
        elif kind == "softbreak":
            add(" ")
        elif kind == "code_inline":
            opened.append((".code_inline", position))
            add(child.content)
            close()
        elif kind in _INLINE_STYLES:
            opened.append((_INLINE_STYLES[kind], position))
        elif kind == "link_open":
            opened.append((Style.from_meta({"@click": f"link({str(child.attrs.get('href', ''))!r})"}), position))
        elif kind == "image":
            opened.append((Style.from_meta({"@click": f"link({str(child.attrs.get('src', ''))!r})"}), position))
            add(IMAGE_MARKER + (child.content or "image"))
            close()
        elif kind.endswith("_close"):
            close()
    return Content("".join(text), spans=spans)


class CardParagraph(MarkdownParagraph):
    """A paragraph of a highlight or a note: its lines kept."""

    def _token_to_content(self, token: Token) -> Content:
        return inline_content(token)


class CardMarkdown(Markdown):
    """The card's Markdown: paragraphs only (``card_markdown`` and ``markdown_parser`` see to it)."""

    BLOCKS: dict[str, type[MarkdownBlock]] = {**Markdown.BLOCKS, "paragraph_open": CardParagraph}

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, open_links=False, parser_factory=markdown_parser)


def place_line(card: Card) -> Content:
    """"Chapter · Location 384 ↗": the location is a link (OSC 8, and ``o``) when it has a safe URL."""
    parts: list[Content] = []
    if card.chapter:
        parts.append(literal(one_line(card.chapter)))
    if card.location:
        label = one_line(card.location)
        if safe_url(card.location_url):
            parts.append(Content.styled(label + " ↗", Style(link=card.location_url, underline=True)))
        else:
            parts.append(literal(label))
    elif safe_url(card.location_url):
        parts.append(Content.styled("Open highlight ↗", Style(link=card.location_url, underline=True)))
    return Content(" · ").join(parts)


def byline(card: Card) -> Content:
    parts = [one_line(p) for p in (card.author, card.category) if p and p.strip()]
    return literal(" · ".join(parts))


class HighlightCard(VerticalScroll, inherit_bindings=False):
    """One highlight on screen; focusable so the arrow and page keys scroll it.

    Its scroll keys are system bindings: they work, but stay out of the keys
    panel, which lists the review keys first.
    """

    can_focus = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_up", "Scroll up", show=False, system=True),
        Binding("down,j", "scroll_down", "Scroll down", show=False, system=True),
        Binding("pageup", "page_up", "Page up", show=False, system=True),
        Binding("pagedown", "page_down", "Page down", show=False, system=True),
        Binding("home", "scroll_home", "Top", show=False, system=True),
        Binding("end", "scroll_end", "Bottom", show=False, system=True),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="card-title", markup=False)
        yield Static(id="card-byline", markup=False)
        yield CardMarkdown(id="card-text")
        yield Static(id="card-place", markup=False)
        yield CardMarkdown(id="card-note")
        yield Static(id="card-tags", markup=False)

    def on_mount(self) -> None:
        self.show_message("Loading today's highlights…")

    def show_message(self, message: str) -> None:
        """A line in place of a highlight (while loading)."""
        self.query_one("#card-title", Static).update(literal(message))
        for name in ("byline", "place", "tags"):
            self.query_one(f"#card-{name}", Static).display = False
        for name in ("text", "note"):
            self.query_one(f"#card-{name}", Markdown).display = False

    def show(self, card: Card, status: str = "", prompt: str | None = None) -> AwaitComplete:
        """Fill the card with ``card``, its text as ``prompt`` (Markdown, some of it hidden) until
        ``reveal``, or whole when ``prompt`` is None; awaiting the result waits for the layout."""
        self.border_title = Content(status) if status else None
        self.set_favorite(card.favorite)
        self._set("title", literal(one_line(card.title)))
        self._set("byline", byline(card))
        self._set("place", place_line(card))
        tags = "  ".join("#" + one_line(tag).lstrip("#") for tag in card.tags)
        self._set("tags", literal(tags))
        text, note = self.query_one("#card-text", Markdown), self.query_one("#card-note", Markdown)
        text.display = True
        note_markdown = card_markdown(card.note)
        note.display = bool(note_markdown)
        self.scroll_home(animate=False)
        shown = text.update(card_markdown(card.text if prompt is None else prompt))
        noted = note.update(NOTE_LABEL + note_markdown if note_markdown else "")
        return AwaitComplete(shown, noted)

    def reveal(self, card: Card) -> AwaitComplete:
        """Show ``card``'s whole text in place of its prompt."""
        return self.query_one("#card-text", Markdown).update(card_markdown(card.text))

    def set_favorite(self, favorite: bool) -> None:
        self.border_subtitle = Content("★ favourite") if favorite else None

    def _set(self, name: str, content: Content) -> None:
        widget = self.query_one(f"#card-{name}", Static)
        widget.update(content)
        widget.display = bool(content.plain.strip())
