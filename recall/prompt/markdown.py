"""Reading a highlight's Markdown for the prompt: its words, and what a blank must never touch
(code, links and their URLs, images, entities, escapes, tags and handles); when it cannot take a cloze."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final

from recall.prompt.shapes import CODE_SHARE, MIN_WORDS, NO_SPACE_SHARE, Fallback

# --- reading the Markdown -------------------------------------------------------------------

_ASCII_PUNCTUATION: Final = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_JOINERS: Final = frozenset("'’-_\u00ad\u200c\u200d\u00b7")  # inside a word: don't, co-op, snake_case, ZWNJ/ZWJ
_FENCE: Final = re.compile(r"^(?P<lead>[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?)(?P<fence>`{3,}|~{3,})", re.MULTILINE)
_REFERENCE_DEFINITION: Final = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.MULTILINE)
_URL_LIKE: Final = re.compile(
    r"(?i)(?:(?<![^\W_])(?<![+.-])[a-z][a-z0-9+.-]*+://|\bwww\.|\bmailto:|(?<![\w.+-])[\w.+-]++@[\w-]++\."
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
PLAIN: Final = re.compile(r"[^`\[\]()<>!\\&*_~=#@|\n]*")
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
class Token:
    start: int
    end: int
    index: int  # among the free tokens


@dataclass(frozen=True, slots=True)
class Link:
    start: int  # the "["
    label_start: int
    label_end: int  # the "]"
    end: int  # after the ")"


@dataclass(frozen=True, slots=True)
class Emphasis:
    start: int  # the opening marker
    inner_start: int
    inner_end: int
    end: int  # after the closing marker
    marker: str


@dataclass
class Layout:
    """A highlight read for prompting: which characters may be blanked, its words, links,
    emphasis, and the counts the fallbacks look at."""

    text: str
    protected: bytearray
    tokens: list[Token] = field(default_factory=list)  # words no protected character touches
    links: list[Link] = field(default_factory=list)
    emphasis: list[Emphasis] = field(default_factory=list)
    fenced: bool = False
    first_block: int | None = None  # where the first fenced or indented code block starts
    images: int = 0
    code_chars: int = 0

    @classmethod
    def of(cls, text: str) -> Layout:
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
                self.emphasis.append(Emphasis(start, inner_start, close, end, marker))
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
                self.tokens.append(Token(start, i, len(self.tokens)))

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


def _parse_link(text: str, at: int, closing: dict[int, int]) -> Link | None:
    """The inline link ``[label](destination "title")`` whose ``[`` is at ``at``, if there is one."""
    label_end = closing.get(at)
    if label_end is None or not text.startswith("(", label_end + 1):
        return None
    end = _destination_end(text, label_end + 2)
    return None if end is None else Link(at, at + 1, label_end, end)


def _destination_end(text: str, at: int) -> int | None:
    """After the ``)`` closing a link's destination and title that start at ``at``, or None."""
    match = _DESTINATION.match(text, at)
    return match.end() if match else None

