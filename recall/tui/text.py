"""Vault text on screen: literal ``Content``, never parsed as markup (see ``recall.text``)."""

from __future__ import annotations

from textual.content import Content

from recall.text import one_line, visible

__all__ = ["literal", "one_line", "visible"]


def literal(text: str | None, style: str = "") -> Content:
    """Vault text as Content that is never parsed as markup (tabs become four spaces)."""
    return Content.styled(visible(text).expandtabs(4), style)
