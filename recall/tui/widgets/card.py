"""The card: a highlight rendered as Markdown, with its source, place, note and tags.

Everything from the vault is shown literally (``recall.tui.text``); the
highlight's own Markdown (bold, italics, links) is rendered with HTML turned
off, so a ``<b>`` in a highlight shows as typed. The card scrolls when the
highlight is longer than the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from markdown_it import MarkdownIt
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.style import Style
from textual.widgets import Markdown, Static

from recall.tui.external import safe_url
from recall.tui.text import literal, one_line, visible

if TYPE_CHECKING:
    from recall.tui.data import Card


def markdown_parser() -> MarkdownIt:
    """CommonMark plus tables and strikethrough, with raw HTML shown as text."""
    return MarkdownIt("gfm-like", {"html": False})


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
        yield Markdown(id="card-text", open_links=False, parser_factory=markdown_parser)
        yield Static(id="card-place", markup=False)
        yield Static(id="card-note", markup=False)
        yield Static(id="card-tags", markup=False)

    def on_mount(self) -> None:
        self.show_message("Loading today's highlights…")

    def show_message(self, message: str) -> None:
        """A line in place of a highlight (while loading)."""
        self.query_one("#card-title", Static).update(literal(message))
        for name in ("byline", "place", "note", "tags"):
            self.query_one(f"#card-{name}", Static).display = False
        self.query_one("#card-text", Markdown).display = False

    def show(self, card: Card, status: str = "", prompt: str | None = None) -> AwaitComplete:
        """Fill the card with ``card``, its text as ``prompt`` (Markdown, some of it hidden) until
        ``reveal``, or whole when ``prompt`` is None; awaiting the result waits for the layout."""
        self.border_title = Content(status) if status else None
        self.set_favorite(card.favorite)
        self._set("title", literal(one_line(card.title)))
        self._set("byline", byline(card))
        self._set("place", place_line(card))
        note = literal(visible(card.note).strip())
        self._set("note", Content.assemble(("Note  ", "bold"), note) if note else Content())
        tags = "  ".join("#" + one_line(tag).lstrip("#") for tag in card.tags)
        self._set("tags", literal(tags))
        text = self.query_one("#card-text", Markdown)
        text.display = True
        self.scroll_home(animate=False)
        return text.update(visible(card.text) if prompt is None else prompt)

    def reveal(self, card: Card) -> AwaitComplete:
        """Show ``card``'s whole text in place of its prompt."""
        return self.query_one("#card-text", Markdown).update(visible(card.text))

    def set_favorite(self, favorite: bool) -> None:
        self.border_subtitle = Content("★ favourite") if favorite else None

    def _set(self, name: str, content: Content) -> None:
        widget = self.query_one(f"#card-{name}", Static)
        widget.update(content)
        widget.display = bool(content.plain.strip())
