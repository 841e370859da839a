"""Highlights as paragraphs: the Obsidian Kindle plugin, the readwise-mirror plugin,
``%% highlight_id %%`` templates, blockquotes and callouts (Omnivore, Readwise's
blockquote and callout templates).

A paragraph is a highlight when its last line ends in a signature (a location link,
a block id, a ``highlight_id`` comment, a Kindle-plugin ``— location:`` link), or when
it is a quote or callout of the kind that carries them in this note. Paragraphs after
a highlight are its note (the Kindle plugin and Omnivore write notes that way; a
``**Note: …**`` paragraph says so). Where ``---`` lines part the highlights, each
part is one highlight: paragraphs before the signed one start its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from recall.importer.fields import (
    NOTE_LABELS,
    SUB_ITEM,
    RawHighlight,
    signed,
    strip_line_end,
    sub_item_value,
    tags_in,
)
from recall.importer.note import CHAPTER, NOTE, SEPARATOR, TAGS, TEXT, Collector
from recall.importer.readers.common import BULLET, SEPARATOR_LINE, Extras

NAME = "paragraphs"
CALLOUT = re.compile(r"^>[ \t]*\[!([\w-]+)\][+-]?[ \t]*(.*)$")
Paragraph = list[tuple[int, str]]  # (body line index, line)
NOT_PARAGRAPH_STARTS = ("", " ", "\t", "#", "-")  # blank, indented, headings, "- " items


def recognise(lines: list[str], start: int, end: int) -> int:
    """How many column-0 lines of the region (not ``-``/``*``/``+`` items) end in a signature."""
    count = 0
    for i in range(start, end):
        line = lines[i]
        if line[:1] not in NOT_PARAGRAPH_STARTS and (line[:1] not in "*+" or not BULLET.match(line)):
            count += signed(line)
    return count


def first_item(lines: list[str], start: int, end: int) -> int | None:
    """The first line of the first signed paragraph, for notes without a heading."""
    paragraph_start = None
    for i in range(start, end):
        line = lines[i]
        if not line.strip() or SEPARATOR_LINE.match(line):
            paragraph_start = None
            continue
        paragraph_start = i if paragraph_start is None else paragraph_start
        callout = CALLOUT.match(line)
        if signed(callout.group(2) if callout else line):
            return paragraph_start
    return None


def read(lines: list[str], start: int, end: int, out: Collector) -> None:
    """Read the paragraphs of ``lines[start:end]`` into ``out``."""
    extras = Extras(out)
    segments: list[list[Paragraph | str]] = [[]]  # a str is a chapter heading, in its place
    paragraph: Paragraph = []
    chapter = out.chapter
    for i in range(start, end):
        line = lines[i]
        if not line.strip() or SEPARATOR_LINE.match(line):
            if paragraph:
                segments[-1].append(paragraph)
                paragraph = []
            if line.strip():
                out.mark(i, SEPARATOR)
                segments.append([])
            continue
        if not paragraph and not CALLOUT.match(line) and extras.take(line, i):
            if out.roles[i] == (CHAPTER, None):
                segments[-1].append(out.chapter or "")
            continue
        paragraph.append((i, line))
    if paragraph:
        segments[-1].append(paragraph)
    out.chapter = chapter  # the assembler meets the headings again in their places
    _Assembler(out, segments).run()


class _Assembler:
    """Turns the paragraphs, part by part, into highlights and their notes."""

    def __init__(self, out: Collector, segments: list[list[Paragraph | str]]) -> None:
        self.out = out
        self.segments = segments
        self.parts = sum(1 for s in segments if s) > 1
        self.current: RawHighlight | None = None
        quotes = [_split_quote(p) for s in segments for p in s if not isinstance(p, str) and p[0][1].startswith(">")]
        self.signed_kinds = {q.kind for q in quotes if q.kind != ">" and signed(q.text[-1][1])}  # callout kinds

    def run(self) -> None:
        for segment in self.segments:
            pending: list[Paragraph] = []
            for paragraph in segment:
                if isinstance(paragraph, str):
                    self._close()
                    self.out.chapter = paragraph or None
                else:
                    self._paragraph(paragraph, pending)
            if self.parts:
                self._close()
        self._close()

    def _paragraph(self, paragraph: Paragraph, pending: list[Paragraph]) -> None:
        first = paragraph[0][1]
        note = SUB_ITEM.match(first)
        if note and note.group("mark") == "**" and note.group("label") in NOTE_LABELS and self.current is not None:
            self._note([(paragraph[0][0], sub_item_value(note)), *paragraph[1:]])
            return
        if first.startswith(">"):
            quote = _split_quote(paragraph)
            if quote.kind in self.signed_kinds or signed(quote.text[-1][1]):
                self._start(quote.text)
                assert self.current is not None
                self.current.tags.extend(quote.tags)
                self.current.lines.extend((i, TAGS) for i in quote.tag_lines)
                if quote.note:
                    self._note(quote.note)
            return  # a quote or callout of the user's own: left to be reported
        if signed(paragraph[-1][1]) and not _is_list_item(first):
            joined: Paragraph = []
            for earlier in pending:
                if not _is_list_item(earlier[0][1]):  # a list item is never a paragraph highlight's start
                    joined.extend(earlier)
                    joined.append((earlier[-1][0], ""))
            pending.clear()
            self._start(joined + paragraph)
        elif self.current is not None:
            self._note(paragraph)
        elif self.parts:
            pending.append(paragraph)

    def _start(self, text: Paragraph) -> None:
        self._close()
        self.current = RawHighlight(text[0][0], [line for _, line in text], [(i, TEXT) for i, _ in text])

    def _note(self, paragraph: Paragraph) -> None:
        item = self.current
        assert item is not None
        if item.note_lines is None:
            item.note_lines = []
        else:
            item.note_lines.append("")
        item.note_lines.extend(line for _, line in paragraph)
        item.lines.extend((i, NOTE) for i, _ in paragraph)

    def _close(self) -> None:
        item, self.current = self.current, None
        if item is not None:
            self.out.emit(item)


@dataclass(slots=True)
class _Quote:
    """A blockquote or callout paragraph: its callout kind (or ">"), text, note and tags."""

    kind: str
    text: Paragraph
    note: Paragraph = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    tag_lines: list[int] = field(default_factory=list)


def _split_quote(paragraph: Paragraph) -> _Quote:
    """A nested callout (``>> [!info] …``) or a ``**Note:**`` line starts the note;
    ``**Tags:**`` lines give tags. A callout whose title is only its location link
    (``> [!quote] [Location 140](…)``) has its text in the body."""
    first_index, first = paragraph[0]
    callout = CALLOUT.match(first)
    quote = _Quote(callout.group(1).lower() if callout else ">", [(first_index, callout.group(2) if callout else _unquote(first))])
    in_note = False
    for index, line in paragraph[1:]:
        body = _unquote(line)
        if line.startswith(">>") and not in_note:
            in_note = True
            if CALLOUT.match(">" + line.lstrip(">")):
                quote.note.append((index, ""))  # the nested callout's title ("📝 **Note**:")
                continue
        if (sub := SUB_ITEM.match(body)) and sub.group("label") in NOTE_LABELS:
            in_note = True
            body = sub_item_value(sub)
        elif sub and sub.group("label") == "Tags":
            quote.tags.extend(tags_in(sub_item_value(sub)))
            quote.tag_lines.append(index)
            continue
        (quote.note if in_note else quote.text).append((index, body))
    title = quote.text[0][1]
    if callout and len(quote.text) > 1 and (not title or not strip_line_end(RawHighlight(0, []), title).strip()):
        quote.text.append(quote.text.pop(0))  # an empty title, or only a link: the text is below it
    return quote


def _is_list_item(line: str) -> bool:
    """A ``-``/``*``/``+`` item: never the start of a paragraph highlight."""
    return (found := BULLET.match(line)) is not None and not found.group("number")


def _unquote(line: str) -> str:
    """A line without its blockquote markers."""
    return line.lstrip(">").lstrip(" ") if line.startswith(">") else line
