"""What a card asks before the reveal, in the style the settings choose (``prompt``)."""

from __future__ import annotations

from dataclasses import dataclass

from recall.tui.data import Card
from recall.vocabulary import PromptStyle


@dataclass(frozen=True)
class Asked:
    """The card's prompt: ``markdown`` shown until the reveal, and ``why`` when it is not the
    style asked for ("Too short for a cloze"; empty otherwise)."""

    markdown: str
    why: str = ""


def card_prompt(card: Card, style: PromptStyle) -> Asked | None:
    """The prompt the card shows until Space reveals it, or None when it shows everything at once
    (``full``). The cloze blanks depend on the highlight's key and review count only, so undo
    and a restart show the same ones (``recall.prompt``). Vault text stays literal: control and
    invisible characters are made visible, as in the revealed card."""
    if style == PromptStyle.FULL:
        return None
    from recall.prompt import prompt_for, prompt_markdown

    try:
        prompt = prompt_for(card.text, style, card.key, card.review_count)
        markdown = prompt_markdown(card.text, prompt)
    except Exception:  # a fault in making one prompt must cost that prompt, never the session
        return Asked(card.text, "No prompt for this one: shown whole")
    return Asked(markdown, prompt.fallback.sentence if prompt.fallback else "")


def warm_up(style: PromptStyle) -> None:
    """Load what the first prompt of ``style`` needs (wordfreq's list for a cloze, ~0.25 s), off the UI thread."""
    if style == PromptStyle.CLOZE:
        from recall.prompt import load_word_frequencies

        try:
            load_word_frequencies()
        except Exception:  # nothing to print over the screen: the first cloze meets it again, in card_prompt
            return
