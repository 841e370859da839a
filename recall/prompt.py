"""What a review card hides before the reveal: a cloze, a cue, or nothing.

A review first shows a **prompt**, then the whole highlight. Three styles (the ``prompt``
setting, ``vocabulary.PromptStyle``):

- ``cloze`` (the default): the highlight with a few key words blanked, shown as ``[…]``. This is
  the cloze deletion of Anki ("Cloze Deletion" in the Anki manual, where a deletion shows as
  ``[...]``) and of Readwise Mastery (Readwise's 2020 feature that turns a highlight into a
  cloze by blanking one of its key words). One blank per 12 words, at least 1, at most 3
  (``blank_count``). The user's own emphasis (``==marked==``, ``**bold**``, ``__bold__``) is
  chosen first, the blank covering the emphasised words without their markers; otherwise the
  rarest content words, by the ``wordfreq`` library's Zipf frequency (log10 of occurrences per
  billion words: 7.7 for "the", 2.3 for "daemons"). Words of 4 letters or more come first;
  words as common as function words (Zipf ``STOP_ZIPF`` or more) are never blanked. A blank
  never falls inside inline code, a fenced or indented code block, an image, a link's URL
  (bare, autolinked or Markdown), an entity, an escape, a tag-like ``<…>``, a ``#tag`` or an
  ``@handle``, and never splits a word.
- ``cue``: the first few words (3 to 5, never more than a third of the highlight's words) and
  the rest hidden; the review screen adds source, chapter, location and note.
- ``full``: everything at once (rereading).

A cloze is **deterministic**: the same highlight key and review number give the same blanks
(undo and a restart show the same card), while the next review may blank other words of
comparable rarity (a hash of key, review number and the word's offset orders them; no random
generator). A highlight that does not lend itself to a cloze falls back to a cue, with the
reason (``Fallback``) for the screen to show.

The module is pure: text in, offsets out; no database, clock or front-end. ``wordfreq`` is
imported on the first cloze that needs word frequencies, not before (importing it and loading
the English list takes about a quarter of a second, so the review app paints first and may
call ``load_word_frequencies`` in a worker).
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from recall.vocabulary import PromptStyle

__all__ = [
    "BLANK_MARKDOWN",
    "CUE_ELLIPSIS",
    "Blank",
    "Fallback",
    "Prompt",
    "PromptStyle",
    "UnknownLanguage",
    "blank_count",
    "load_word_frequencies",
    "prompt_for",
    "prompt_markdown",
]

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


def blank_count(words: int) -> int:
    """Blanks for a highlight of ``words`` words: one per 12, at least 1, at most 3."""
    return max(1, min(MAX_BLANKS, words // WORDS_PER_BLANK))


def prompt_for(text: str, style: PromptStyle, key: str, review_number: int, language: str = "en") -> Prompt:
    """The prompt for ``text`` (a highlight's Markdown as stored) in ``style``.

    ``key`` (the highlight's stable identity) and ``review_number`` (its reviews so far, drills
    included) decide which of the candidate words are blanked: the same pair, the same blanks.
    ``language`` is a wordfreq language code (``en``, ``de``, ``fr``, ``it``, ``ja``, …) for the
    word frequencies; raises ``UnknownLanguage`` for one wordfreq does not have (only when a
    cloze needs the frequencies). Cue and full prompts, and every fallback, never load wordfreq.
    """
    style = PromptStyle(style)
    if style is PromptStyle.FULL:
        return Prompt(style=PromptStyle.FULL, asked=style)
    layout = _Layout.of(text)
    if style is PromptStyle.CUE:
        return Prompt(style=PromptStyle.CUE, asked=style, cue_end=_cue_end(layout))
    fallback = layout.fallback()
    blanks: tuple[Blank, ...] = ()
    if fallback is None:
        blanks = _choose_blanks(layout, key, review_number, language)
        if not blanks:
            fallback = Fallback.NO_KEY_WORDS
    if fallback is not None:
        return Prompt(style=PromptStyle.CUE, asked=style, fallback=fallback, cue_end=_cue_end(layout))
    return Prompt(style=PromptStyle.CLOZE, asked=style, blanks=blanks)


def prompt_markdown(text: str, prompt: Prompt) -> str:
    """The Markdown the card shows before the reveal.

    Full: ``text`` as it is. Cloze: each blank replaced by ``BLANK_MARKDOWN`` (rendered ``[…]``),
    every other character untouched. Cue: ``text`` up to ``cue_end``, emphasis left open there
    closed again (``**Two words…`` → ``**Two**``), a link cut in its label shown as plain words,
    then `` …`` (only ``…`` when no word is shown).
    """
    if prompt.style is PromptStyle.CLOZE:
        parts: list[str] = []
        at = 0
        for blank in prompt.blanks:
            parts.append(text[at : blank.start])
            parts.append(BLANK_MARKDOWN)
            at = blank.end
        parts.append(text[at:])
        return "".join(parts)
    if prompt.style is PromptStyle.CUE:
        end = prompt.cue_end or 0
        if end <= 0:
            return CUE_ELLIPSIS
        layout = _Layout.of(text)
        shown = text[:end]
        for link in layout.links:
            if link.label_start <= end < link.end:  # cut inside the label: its words, without the bracket
                shown = text[: link.start] + text[link.label_start : end]
        closers = [
            e.marker for e in sorted(layout.emphasis, key=lambda e: -e.inner_start) if e.inner_start < end < e.end
        ]
        return shown.rstrip() + "".join(closers) + " " + CUE_ELLIPSIS
    return text


def load_word_frequencies(language: str = "en") -> None:
    """Import wordfreq and load ``language``'s list now (about 0.25 s for English here), e.g. in a
    worker once the review screen is painted, so that the first cloze does not wait for it."""
    _zipf_lookup(language)("recall")


# --- reading the Markdown -------------------------------------------------------------------

_ASCII_PUNCTUATION: Final = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_JOINERS: Final = frozenset("'’-_\u00ad\u200c\u200d\u00b7")  # inside a word: don't, co-op, snake_case, ZWNJ/ZWJ
_FENCE: Final = re.compile(r"^(?P<lead>[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?)(?P<fence>`{3,}|~{3,})", re.MULTILINE)
_REFERENCE_DEFINITION: Final = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.MULTILINE)
_URL_LIKE: Final = re.compile(
    r"(?i)(?:(?<![\w+.-])[a-z][a-z0-9+.-]*+://|\bwww\.|\bmailto:|(?<![\w.+-])[\w.+-]++@[\w-]++\."
    r"|(?<![\w-])[\w-]++(?:\.[\w-]++)+)\S*"
    r"|(?<![\w&])[#@][^\W_][^\s]*"  # #tags and @handles
)
_ANGLE: Final = re.compile(r"<[^<>\n]*>")
_ENTITY: Final = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BLANK_LINE: Final = re.compile(r"\n[ \t]*\r?\n")
_DESTINATION: Final = re.compile(
    r"[ \t]*\n?[ \t]*"
    r"(?:<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.|\([^\s()]*\))*+\))*+)"
    r"(?:[ \t]*\n?[ \t]*(?:\"[^\"]{0,2000}\"|'[^']{0,2000}'|\([^()]{0,2000}\)))?"
    r"[ \t]*\n?[ \t]*\)"
)
"""A link's destination (parentheses nested twice at most) and title, up to its ``)``."""
_AFTER_LABEL: Final = re.compile(r"\]\(\S*")
_PLAIN: Final = re.compile(r"[^`\[\]()<>!\\&*_~=#@|\n]*")
_NO_SPACE_SCRIPTS: Final = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
    (0x1A20, 0x1AAF),  # Tai Tham
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x20000, 0x3134F),  # CJK extensions B-G
)


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN"


def _no_space_script(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _NO_SPACE_SCRIPTS)


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    index: int  # among the free tokens


@dataclass(frozen=True, slots=True)
class _Link:
    start: int  # the "["
    label_start: int
    label_end: int  # the "]"
    end: int  # after the ")"


@dataclass(frozen=True, slots=True)
class _Emphasis:
    start: int  # the opening marker
    inner_start: int
    inner_end: int
    end: int  # after the closing marker
    marker: str


@dataclass
class _Layout:
    """A highlight read for prompting: which characters may be blanked, its words, links,
    emphasis, and the counts the fallbacks look at."""

    text: str
    protected: bytearray
    tokens: list[_Token] = field(default_factory=list)  # words no protected character touches
    links: list[_Link] = field(default_factory=list)
    emphasis: list[_Emphasis] = field(default_factory=list)
    fenced: bool = False
    first_block: int | None = None  # where the first fenced or indented code block starts
    images: int = 0
    code_chars: int = 0

    @classmethod
    def of(cls, text: str) -> _Layout:
        layout = cls(text, bytearray(len(text)))
        layout._protect_blocks()
        layout._protect_urls()
        layout._scan_inline()
        layout._find_emphasis()
        layout._find_tokens()
        return layout

    def protect(self, start: int, end: int) -> None:
        self.protected[start:end] = b"\x01" * (end - start)

    def _protect_blocks(self) -> None:
        text = self.text
        fences = list(_FENCE.finditer(text))
        until = -1
        for index, opening in enumerate(fences):
            if opening.start() < until:
                continue
            self.fenced = True
            self._block_at(opening.start())
            fence = opening["fence"]
            close_at = len(text)
            for closing in fences[index + 1 :]:
                if closing["fence"][0] == fence[0] and len(closing["fence"]) >= len(fence):
                    line_end = text.find("\n", closing.end())
                    close_at = len(text) if line_end < 0 else line_end
                    break
            self.protect(opening.start(), close_at)
            self.code_chars += close_at - opening.start()
            until = close_at
        # indented code: a line indented 4 columns after a blank line (or first), and the lines after it
        offset = 0
        previous_blank = True
        in_code = False
        for line in text.splitlines(keepends=True):
            body = line.rstrip("\r\n")
            indented = body.startswith(("    ", "\t")) and body.strip() != ""
            in_code = indented and (previous_blank or in_code)
            if in_code:
                self._block_at(offset)
                self.protect(offset, offset + len(body))
                self.code_chars += len(body.strip())
            elif body.strip():
                in_code = False
            previous_blank = body.strip() == ""
            offset += len(line)
        for definition in _REFERENCE_DEFINITION.finditer(text):
            self.protect(definition.start(), definition.end())

    def _block_at(self, offset: int) -> None:
        if self.first_block is None or offset < self.first_block:
            self.first_block = offset

    def _protect_urls(self) -> None:
        for match in _URL_LIKE.finditer(self.text):
            self.protect(match.start(), match.end())

    def _scan_inline(self) -> None:
        text, n = self.text, len(self.text)
        backticks = _Backticks(text)
        closing = _matching_brackets(text, backticks)
        i = 0
        while i < n:
            if self.protected[i]:
                i += 1
                continue
            ch = text[i]
            if ch == "\\" and i + 1 < n and text[i + 1] in _ASCII_PUNCTUATION:
                self.protect(i, i + 2)
                i += 2
            elif ch == "`":
                end = backticks.span_end(i)
                self.protect(i, end)
                if end - i > 2 * backticks.run_length(i):
                    self.code_chars += end - i
                i = end
            elif ch == "<" and (angle := _ANGLE.match(text, i)):
                self.protect(i, angle.end())
                i = angle.end()
            elif ch == "&" and (entity := _ENTITY.match(text, i)):
                self.protect(i, entity.end())
                i = entity.end()
            elif ch == "!" and i + 1 < n and text[i + 1] == "[" and (image := _parse_link(text, i + 1, closing)):
                self.protect(i, image.end)
                self.images += 1
                i = image.end
            elif ch == "[" and (link := _parse_link(text, i, closing)):
                self.protect(i, i + 1)
                self.protect(link.label_end, link.end)
                self.links.append(link)
                i += 1
            elif ch == "[" and i in closing and (after := _AFTER_LABEL.match(text, closing[i])):
                self.protect(after.start(), after.end())  # "[label](" not read as a link: its tail is kept
                i += 1
            else:
                i += 1

    def _find_emphasis(self) -> None:
        """``**…**``, ``__…__``, ``==…==``: an opener followed by a non-space, closed by the next
        marker that follows a non-space, in the same paragraph (one pass per marker)."""
        text, n = self.text, len(self.text)
        blank_lines = [m.start() for m in _BLANK_LINE.finditer(text)]
        for marker in ("**", "__", "=="):
            at = [m.start() for m in re.finditer(re.escape(marker), text)]
            closers = [q for q in at if q > 0 and not text[q - 1].isspace() and text[q - 1] not in "\\*_="]
            after = 0
            for start in at:
                inner_start = start + 2
                if start < after or self.protected[start] or inner_start >= n or text[inner_start] in " \t\r\n*_=":
                    continue
                index = bisect.bisect_left(closers, inner_start + 1)
                if index == len(closers):
                    continue
                close = closers[index]
                blank = bisect.bisect_left(blank_lines, start)
                if blank < len(blank_lines) and blank_lines[blank] < close:
                    continue
                end = close + 2
                if marker == "__" and (
                    (start > 0 and _is_word_char(text[start - 1])) or (end < n and _is_word_char(text[end]))
                ):
                    continue
                self.emphasis.append(_Emphasis(start, inner_start, close, end, marker))
                after = end

    def _find_tokens(self) -> None:
        text, n = self.text, len(self.text)
        i = 0
        while i < n:
            if not _is_word_char(text[i]):
                i += 1
                continue
            start = i
            while i < n and (
                _is_word_char(text[i]) or (text[i] in _JOINERS and i + 1 < n and _is_word_char(text[i + 1]))
            ):
                i += 1
            if not any(self.protected[start:i]):
                self.tokens.append(_Token(start, i, len(self.tokens)))

    # --- what the fallbacks look at

    def letters(self) -> tuple[int, int]:
        """Letters outside protected text, and how many of them are in a script without word spaces."""
        letters = no_space = 0
        for token in self.tokens:
            for ch in self.text[token.start : token.end]:
                if unicodedata.category(ch)[0] == "L":
                    letters += 1
                    no_space += _no_space_script(ch)
        return letters, no_space

    def fallback(self) -> Fallback | None:
        if self.fenced:
            return Fallback.CODE
        letters, no_space = self.letters()
        if letters and no_space >= NO_SPACE_SHARE * letters:
            return Fallback.NO_WORD_SPACES
        if self.images and len(self.tokens) < MIN_WORDS:
            return Fallback.IMAGE
        non_space = sum(not ch.isspace() for ch in self.text)
        if self.code_chars and self.code_chars >= CODE_SHARE * non_space:
            return Fallback.CODE
        if len(self.tokens) < MIN_WORDS:
            return Fallback.TOO_SHORT
        return None

    def cue_units(self) -> list[tuple[int, int]]:
        """What a cue counts: the words, or each character of a word in a script without spaces."""
        units: list[tuple[int, int]] = []
        for token in self.tokens:
            if not any(_no_space_script(ch) for ch in self.text[token.start : token.end]):
                units.append((token.start, token.end))
                continue
            at = token.start
            while at < token.end:
                end = at + 1
                while end < token.end and unicodedata.category(self.text[end])[0] == "M":
                    end += 1
                units.append((at, end))
                at = end
        return units


class _Backticks:
    """Code spans (CommonMark: a run of backticks closed by the next run of as many), found with
    one pass over the text so that a text full of unmatched runs stays linear."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.by_length: dict[int, list[int]] = {}
        for run in re.finditer(r"`+", text):
            self.by_length.setdefault(len(run[0]), []).append(run.start())

    def run_length(self, at: int) -> int:
        end = at
        while end < len(self.text) and self.text[end] == "`":
            end += 1
        return end - at

    def span_end(self, at: int) -> int:
        """After the code span opening at ``at``, or after its backtick run when nothing closes it."""
        run = self.run_length(at)
        starts = self.by_length.get(run, [])
        index = bisect.bisect_right(starts, at + run - 1)
        return starts[index] + run if index < len(starts) else at + run


def _matching_brackets(text: str, backticks: _Backticks) -> dict[int, int]:
    """Each ``[`` and the ``]`` that closes it, nesting counted, outside code spans and escapes,
    within a paragraph."""
    closing: dict[int, int] = {}
    open_at: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            i = backticks.span_end(i)
            continue
        if ch == "[":
            open_at.append(i)
        elif ch == "]" and open_at:
            closing[open_at.pop()] = i
        elif ch == "\n" and _BLANK_LINE.match(text, i):
            open_at.clear()
        i += 1
    return closing


def _parse_link(text: str, at: int, closing: dict[int, int]) -> _Link | None:
    """The inline link ``[label](destination "title")`` whose ``[`` is at ``at``, if there is one."""
    label_end = closing.get(at)
    if label_end is None or not text.startswith("(", label_end + 1):
        return None
    end = _destination_end(text, label_end + 2)
    return None if end is None else _Link(at, at + 1, label_end, end)


def _destination_end(text: str, at: int) -> int | None:
    """After the ``)`` closing a link's destination and title that start at ``at``, or None."""
    match = _DESTINATION.match(text, at)
    return match.end() if match else None


# --- the cloze ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    first: int  # token indices, for keeping blanks apart
    last: int
    tier: int  # 0 the user's emphasis, 1 a rare word of 4+ letters said once, 2 a shorter or repeated one
    zipf: float


def _choose_blanks(layout: _Layout, key: str, review_number: int, language: str) -> tuple[Blank, ...]:
    zipf = _zipf_lookup(language)
    text, tokens = layout.text, layout.tokens
    counts: dict[str, int] = {}
    for token in tokens:
        word = text[token.start : token.end].casefold()
        counts[word] = counts.get(word, 0) + 1
    starts = [t.start for t in tokens]

    def inside(emphasis: _Emphasis) -> list[_Token]:
        first = bisect.bisect_left(starts, emphasis.inner_start)
        last = bisect.bisect_left(starts, emphasis.inner_end)
        return [t for t in tokens[first:last] if t.end <= emphasis.inner_end]

    whole: list[tuple[_Emphasis, list[_Token]]] = []
    emphasised: set[int] = set()
    for emphasis in layout.emphasis:
        words = inside(emphasis)
        if not words:
            continue
        plain = _PLAIN.fullmatch(text, emphasis.inner_start, emphasis.inner_end) is not None
        if plain and len(words) <= EMPHASIS_MAX_WORDS and 2 * len(words) < len(tokens):
            whole.append((emphasis, words))
        elif 2 * len(words) < len(tokens) or len(layout.emphasis) > 1:
            emphasised.update(t.index for t in words)
    candidates: list[_Candidate] = []
    in_whole: set[int] = set()
    for _emphasis, words in whole:
        if in_whole & {t.index for t in words}:  # nested (==**a**==): the outer one is enough
            continue
        in_whole.update(t.index for t in words)
        rarity = min(zipf(text[t.start : t.end]) for t in words)
        candidates.append(_Candidate(words[0].start, words[-1].end, words[0].index, words[-1].index, 0, rarity))
    for token in tokens:
        word = text[token.start : token.end]
        if token.index in in_whole or not any(unicodedata.category(ch)[0] == "L" for ch in word):
            continue
        if any(ch.isdigit() for ch in word):
            continue
        letters = sum(unicodedata.category(ch)[0] in "LM" for ch in word)
        rarity = zipf(word)
        if rarity >= STOP_ZIPF or letters < 2:
            continue
        if token.index in emphasised:
            tier = 0
        elif letters >= 4 and counts[word.casefold()] == 1:
            tier = 1
        else:
            tier = 2
        candidates.append(_Candidate(token.start, token.end, token.index, token.index, tier, rarity))
    chosen = _select(candidates, blank_count(len(tokens)), key, review_number)
    return tuple(Blank(c.start, c.end) for c in sorted(chosen, key=lambda c: c.start))


def _select(candidates: Sequence[_Candidate], wanted: int, key: str, review_number: int) -> list[_Candidate]:
    """Tier by tier, the rarest first; where a tier has more than needed, a rotation by the hash
    of (key, review number, offset) among the ones about as rare as the rarest needed."""
    chosen: list[_Candidate] = []
    for tier in (0, 1, 2):
        need = wanted - len(chosen)
        if need <= 0:
            break
        ranked = sorted((c for c in candidates if c.tier == tier), key=lambda c: (c.zipf, c.start))
        if len(ranked) <= need:
            chosen.extend(ranked)
            continue
        ceiling = ranked[need - 1].zipf + RARITY_MARGIN
        pool = [c for c in ranked if c.zipf <= ceiling][: need + POOL_EXTRA]
        order = sorted(pool, key=lambda c: _rotation(key, review_number, c.start))
        picked: list[_Candidate] = []
        for apart in (True, False):  # blanks side by side only when nothing else fits
            for candidate in order:
                if len(picked) == need:
                    break
                if candidate in picked:
                    continue
                if apart and any(_touching(candidate, other) for other in chosen + picked):
                    continue
                picked.append(candidate)
        chosen.extend(picked)
    return chosen[:wanted]


def _touching(a: _Candidate, b: _Candidate) -> bool:
    return a.first <= b.last + 1 and b.first <= a.last + 1


def _rotation(key: str, review_number: int, start: int) -> bytes:
    return hashlib.blake2b(f"{key}\x1f{review_number}\x1f{start}".encode(), digest_size=8).digest()


_LOOKUPS: dict[str, Callable[[str], float]] = {}


def _zipf_lookup(language: str) -> Callable[[str], float]:
    """``word -> Zipf frequency`` in ``language``, memoised; imports wordfreq on first use."""
    known = _LOOKUPS.get(language)
    if known is not None:
        return known
    import wordfreq  # heavy (about 0.15 s), so only here

    try:
        wordfreq.get_frequency_dict(language, wordlist="best")
    except LookupError:
        raise UnknownLanguage(language) from None
    cache: dict[str, float] = {}

    def lookup(word: str) -> float:
        value = cache.get(word)
        if value is None:
            value = cache[word] = wordfreq.zipf_frequency(word, language, wordlist="best")
        return value

    _LOOKUPS[language] = lookup
    return lookup


# --- the cue --------------------------------------------------------------------------------


def _cue_end(layout: _Layout) -> int:
    """The offset after the cue's last word: 3-5 words (or up to 8 characters of text without word
    spaces), never more than a third of them nor past a code block; 0 when that is none."""
    units = layout.cue_units()
    if len(units) == len(layout.tokens):
        most = next((words for below, words in CUE_WORDS if len(units) < below), CUE_MAX_WORDS)
    else:
        most = CUE_MAX_CHARACTERS
    shown = min(most, len(units) // 3)
    if layout.first_block is not None:  # never past a code block: what follows it would show it whole
        shown = min(shown, sum(end <= layout.first_block for _, end in units))
    return units[shown - 1][1] if shown else 0
