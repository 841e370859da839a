"""What a card asks before the reveal, in the style the settings choose (``prompt``)."""

from __future__ import annotations

from recall.tui.data import Card
from recall.vocabulary import PromptStyle


def card_prompt(card: Card, style: PromptStyle) -> str | None:
    """The Markdown the card shows until Space reveals it, or None when it shows everything at
    once (``full``). The cloze blanks depend on the highlight's key and review count only, so
    undo and a restart show the same ones (``recall.prompt``)."""
    if style == PromptStyle.FULL:
        return None
    from recall.prompt import prompt_for, prompt_markdown

    return prompt_markdown(card.text, prompt_for(card.text, style, card.key, card.review_count))
