"""Highlights as sections under a heading of their own: the Obsidian Kindle plugin's
``## Highlight`` layout (text, ``- Location: [N](kindle://…)`` or ``- Page: ix``, a
``### Note`` section, ``---``) and Kindle's notebook export (``### Highlight (yellow) -
Page 4`` and the text as the paragraph under it; ``### Note - Page 4`` for a note)."""

from __future__ import annotations

import re

from recall.importer.fields import SUB_ITEM, RawHighlight, location_of, place_value, sub_item_value
from recall.importer.note import HEADING, HEADING_OF, LOCATION, NOTE, SEPARATOR, TEXT, Collector
from recall.importer.readers.common import HEADING_LINE, SEPARATOR_LINE, Extras, heading_title

NAME = "highlight sections"
PLACE = r"(?:[ \t]*[-\u2013\u2014:|][ \t]*(?P<place>(?:Location|Page|Loc\.?)[ \t\u00a0]*[\w.-]+))?"
HIGHLIGHT_HEADING = re.compile(r"^Highlight(?:[ \t]*\((?P<colour>[^)]*)\))?" + PLACE + r"[ \t]*$", re.IGNORECASE)
NOTE_HEADING = re.compile(r"^Note" + PLACE + r"[ \t]*$", re.IGNORECASE)


def is_section_heading(title: str) -> bool:
    """``Highlight``, ``Highlight (yellow) - Page 4``: one highlight's own heading."""
    return HIGHLIGHT_HEADING.match(title) is not None


def is_note_heading(title: str) -> bool:
    """``Note``, ``Note - Page 4``: a note under a highlight's own heading."""
    return NOTE_HEADING.match(title) is not None


def recognise(lines: list[str], start: int, end: int) -> int:
    """How many headings of the region are one highlight's own."""
    return sum(
        1
        for i in range(start, end)
        if lines[i][:1] == "#" and (h := HEADING_LINE.match(lines[i])) and is_section_heading(heading_title(h.group(2)))
    )


def read(lines: list[str], start: int, end: int, out: Collector) -> None:
    """Read the highlight sections of ``lines[start:end]`` into ``out``."""
    extras = Extras(out)
    current: RawHighlight | None = None
    in_note = False
    blank = False
    for i in range(start, end):
        line = lines[i]
        heading = HEADING_LINE.match(line) if line[:1] == "#" else None
        title = heading_title(heading.group(2)) if heading else ""
        if heading and (found := HIGHLIGHT_HEADING.match(title)):
            _close(current, out)
            current, in_note, blank = RawHighlight(i, [], [(i, HEADING_OF)]), False, False
            if found.group("place"):
                current.location = location_of(found.group("place"), None)
            continue
        if heading and current is not None and (found := NOTE_HEADING.match(title)):
            current.lines.append((i, NOTE))
            in_note, blank = True, False
            continue
        if current is None or heading:
            _close(current, out)
            current = None
            extras.take(line, i)
            continue
        if not line.strip():
            blank = True
            continue
        if SEPARATOR_LINE.match(line):
            out.mark(i, SEPARATOR)
            _close(current, out)
            current = None
            continue
        sub = SUB_ITEM.match(line)
        if sub and sub.group("label") in ("Location", "Page"):
            current.location, current.location_url = place_value(sub.group("label"), sub_item_value(sub))
            current.lines.append((i, LOCATION))
            in_note = False
            continue
        target = current.note_lines if in_note else current.text_lines
        if in_note and target is None:
            target = current.note_lines = []
        assert target is not None
        if blank and target:
            target.append("")
        target.append(line)
        current.lines.append((i, NOTE if in_note else TEXT))
        blank = False
    _close(current, out)


def _close(item: RawHighlight | None, out: Collector) -> None:
    if item is None:
        return
    if not any(line.strip() for line in item.text_lines):
        for index, _role in item.lines:
            out.mark(index, HEADING)  # a section with no highlight text in it
        return
    out.emit(item)
