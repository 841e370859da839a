"""The prompt's shapes and tuning: why a cloze falls back, a blank, a prompt, and the numbers
that decide blanks and cues (``recall.prompt`` says how they are used)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from recall.vocabulary import PromptStyle

MIN_WORDS: Final = 8
"""A highlight with fewer words than this is too short for a cloze (it gets a cue)."""
WORDS_PER_BLANK: Final = 12
MAX_BLANKS: Final = 3
STOP_ZIPF: Final = 5.7
"""Words this frequent or more (Zipf scale: "through" 5.87, "would" 6.27, "the" 7.73) count as
function words and are never blanked; "without" (5.69) and rarer may be."""
RARITY_MARGIN: Final = 1.0
"""Blanks rotate between reviews only among words within this many Zipf points of the
rarest ones needed, so a common word never stands in for a rare one."""
POOL_EXTRA: Final = 2
"""How many more candidates than blanks the rotation chooses from (at most)."""
EMPHASIS_MAX_WORDS: Final = 4
"""An emphasised span of up to this many words is blanked whole; a longer one gives its words
first pick instead."""
NO_SPACE_SHARE: Final = 0.25
"""From this share of a highlight's letters in scripts written without spaces between words
(Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar, Tibetan), its words cannot be counted."""
CODE_SHARE: Final = 0.5
"""From this share of a highlight's non-space characters inside inline code, it is code."""
CUE_WORDS: Final = ((20, 3), (40, 4))
"""Words a cue shows: 3 for a highlight under 20 words, 4 under 40, 5 beyond; never more than
a third of its words."""
CUE_MAX_WORDS: Final = 5
CUE_MAX_CHARACTERS: Final = 8
"""Characters a cue shows of text without word spaces (again at most a third)."""

BLANK_MARKDOWN: Final = "\\[…\\]"
"""What replaces a blanked word in the prompt's Markdown: ``[…]``, its brackets escaped so that
Markdown never reads it as a link (``[…](x)``) or a reference."""
CUE_ELLIPSIS: Final = "…"


class Fallback(StrEnum):
    """Why a cloze was not possible, so the card shows a cue instead (the value is a stable word)."""

    TOO_SHORT = "too-short"  # fewer than MIN_WORDS words
    CODE = "code"  # a fenced or indented code block, or mostly inline code
    IMAGE = "image"  # an image with fewer than MIN_WORDS words of text beside it
    NO_WORD_SPACES = "no-word-spaces"  # Chinese, Japanese, Thai…: words cannot be told apart
    NO_KEY_WORDS = "no-key-words"  # long enough, but only function words (or URLs, numbers…)

    @property
    def sentence(self) -> str:
        """The reason in words, for the card: "Too short for a cloze: showing the first words"."""
        return _FALLBACK_SENTENCES[self]


_FALLBACK_SENTENCES: Final = {
    Fallback.TOO_SHORT: "Too short for a cloze",
    Fallback.CODE: "Code: no cloze",
    Fallback.IMAGE: "An image: no cloze",
    Fallback.NO_WORD_SPACES: "No spaces between words: no cloze",
    Fallback.NO_KEY_WORDS: "No key word to blank",
}


class UnknownLanguage(ValueError):
    """``wordfreq`` has no word list for this language code."""

    def __init__(self, language: str) -> None:
        super().__init__(f"no word frequencies for language {language!r} (wordfreq's codes: en, de, fr, …)")
        self.language = language


@dataclass(frozen=True, slots=True)
class Blank:
    """One blanked span: ``text[start:end]``, character offsets (Python ``str`` indices) into the
    highlight text as stored. It starts and ends on word boundaries; an emphasised span
    (``**two words**``) is one blank over the words, the markers left outside."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Prompt:
    """What the card shows before the reveal.

    ``style`` is the style shown (a cloze falls back to a cue), ``asked`` the one asked for,
    ``fallback`` why they differ (``None`` when they do not). ``blanks`` (cloze only) are sorted,
    non-overlapping spans; ``cue_end`` (cue only) is the offset up to which the text is shown
    (0: none of it).
    """

    style: PromptStyle
    asked: PromptStyle
    fallback: Fallback | None = None
    blanks: tuple[Blank, ...] = ()
    cue_end: int | None = None

