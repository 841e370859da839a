"""What parsing a note gives: the note, its highlights, and what each line became.

Readers collect highlights through a ``Collector``, which finishes each one (trailing
location, ids, heading items) and records the role of every line it used, so that
the lines no reader understood can be reported (``recall import --explain``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from recall.importer.fields import RawHighlight, chapter_of, finish

# What a line of a highlights region can be.
TEXT, NOTE, TAGS, LOCATION, ID, HEADING_OF = "highlight", "note of", "tags of", "location of", "id of", "heading of"
CHAPTER, METADATA, SEPARATOR, HEADING, YOURS = "chapter", "metadata", "separator", "heading", "yours (not a highlight)"
Role = tuple[str, int | None]  # (what the line is, the highlight's number, 1-based, where it belongs to one)


@dataclass(slots=True)
class ParsedHighlight:
    """One highlight as found in a file; ``line`` is 1-based."""

    key: str
    text: str
    line: int
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    location: str | None = None
    location_url: str | None = None
    chapter: str | None = None
    label: str | None = None  # the link label of its location link (``identity.other_keys``)


@dataclass(slots=True)
class ParsedNote:
    """A highlight note: its source's metadata, its highlights in file order, the
    warnings (line, message), the reader that took it and the evidence it used."""

    title: str
    author: str | None
    category: str | None
    url: str | None
    cover_url: str | None
    source_key: str
    highlights: list[ParsedHighlight]
    warnings: list[tuple[int, str]]
    reader: str = ""
    evidence: tuple[str, ...] = ()
    roles: list[Role | None] = field(default_factory=list)  # per body line (file line - body_line0)
    body_line0: int = 1  # the file line of the body's first line
    not_understood: list[tuple[int, str]] = field(default_factory=list)  # (line, message), at most one
    regions: list[tuple[int, int]] = field(default_factory=list)  # (first, last) 1-based lines of each region


class NotAHighlightNote(Exception):
    """The file is an ordinary note. ``reason`` says why; ``signatures`` is True when
    it carries highlight signatures all the same (a format recall does not read)."""

    def __init__(self, path: str, reason: str, signatures: bool = False, evidence: tuple[str, ...] = ()) -> None:
        super().__init__(path, reason)
        self.reason = reason
        self.signatures = signatures
        self.evidence = evidence  # what marked it as a highlight note, when something did


TASK = re.compile(r"^\[[ xX]\](?:[ \t]|$)")  # "[ ] reread chapter 2"
LINK_TOKEN = re.compile(r"(?:\[\[[^\[\]]*\]\]|\[[^\[\]]*\]\([^()\s]*\)|#[^\s#\[\]()]+)(?:[ \t,]+|$)")


def _not_a_highlight(item: RawHighlight) -> bool:
    """An empty item, a task, or only links and tags, with nothing that points into a
    source: the user's own line in a highlights list."""
    if item.location or item.location_url or item.ids or item.note:
        return False
    text = item.text.strip()
    if not text or TASK.match(text):
        return True
    at = 0
    while at < len(text) and (token := LINK_TOKEN.match(text, at)) and token.end() > at:
        at = token.end()
    return at == len(text)


class Collector:
    """The highlights a reader found, and the role of every body line it used."""

    def __init__(self, line_count: int) -> None:
        self.done: list[RawHighlight] = []
        self.roles: list[Role | None] = [None] * line_count
        self.chapter: str | None = None

    def mark(self, index: int, role: str) -> None:
        """Give one body line a role that belongs to no highlight."""
        self.roles[index] = (role, None)

    def emit(self, item: RawHighlight) -> None:
        """Finish ``item``; a heading item sets the chapter, anything else is a highlight."""
        finish(item)
        heading = chapter_of(item) if item.text[:1] == "#" or (item.note or "")[:2] in (".h", ".H") else None
        if heading is not None:
            self.chapter = heading
            for index, _role in item.lines:
                self.roles[index] = (CHAPTER, None)
            return
        if _not_a_highlight(item):
            for index, _role in item.lines:
                self.roles[index] = (YOURS, None)
            return
        if item.chapter is None:
            item.chapter = self.chapter
        self.done.append(item)
        number = len(self.done)
        for index, role in item.lines:
            self.roles[index] = (role, number)
