"""Vault text on screen: literal ``Content``, never parsed as markup (see ``recall.text``)."""

from __future__ import annotations

from textual.content import Content

from recall.text import one_line, visible
from recall.tui.card_text import steady_width

__all__ = ["literal", "one_line", "visible"]


def literal(text: str | None, style: str = "") -> Content:
    """Vault text as Content that is never parsed as markup (tabs become four spaces, ☁️ becomes ☁:
    ``steady_width``)."""
    return Content.styled(steady_width(visible(text)).expandtabs(4), style)
