"""The links of a card (``l``): a small list over the card; Enter opens the one picked, Escape closes.

The app gives the links and opens the one picked (only http(s): ``recall.tui.external``);
a link that will not be opened is listed with the reason, so the list never promises more
than ``o`` would do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from recall.tui.bindings import LINKS_BINDINGS
from recall.tui.card_text import CardLink
from recall.tui.external import url_refusal
from recall.tui.text import literal, one_line


def link_prompt(link: CardLink) -> Content:
    """The link's text on one line, where it goes (muted) on the next, and why it will not open, if so."""
    prompt = literal(one_line(link.label), "bold")
    if link.label != link.url:  # a bare URL is its own label
        prompt = Content.assemble(prompt, "\n", literal(one_line(link.url), "$text-muted"))
    if refusal := url_refusal(link.url):
        prompt = prompt.append(Content.styled(f"\nwill not open: {refusal}", "$warning"))
    return prompt


class LinkListScreen(ModalScreen[str | None], inherit_bindings=False):
    """Pick a link to open: dismissed with its URL, or None (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [*LINKS_BINDINGS]
    DEFAULT_CSS = """
    LinkListScreen {
        align: center middle;
        background: $background 60%;
    }
    LinkListScreen > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 80%;
        padding: 0 1;
        border: round $primary;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        background: $surface;
    }
    LinkListScreen OptionList, LinkListScreen OptionList:focus {
        width: 100%;
        height: auto;
        max-height: 20;
        border: none;
        padding: 0;
        background: $surface;
    }
    """

    def __init__(self, links: Sequence[CardLink]) -> None:
        super().__init__()
        self.links = list(links)

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = "Links"
            frame.border_subtitle = "Enter opens · Esc closes"
            options: list[Option | None] = []
            for n, link in enumerate(self.links):
                if n:
                    options.append(None)  # a separator line
                options.append(Option(link_prompt(link), id=str(n)))
            yield OptionList(*options)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.links[int(event.option.id or 0)].url)

    def action_close(self) -> None:
        self.dismiss(None)
