"""Highlights as list items: Readwise's default template and the custom ones built on
it, Matter, Hypothes.is, the Readwise Roam-style exports.

A bullet (``-``, ``*`` or ``+``) at column 0 starts a highlight. Indented lines
continue it, unless they are a sub-item (``Note:``, ``Tags:``, ``Annotation:``,
``Comment:``, ``Location:``/``Page:``, a ``Key::`` field) at any indentation with any
bullet; a ``**Note:**`` paragraph is a note too. Lines deeper than a note continue
the note. The location and ids are read from the end of the item's last line.

Hypothes.is annotations can continue over column-0 bullets of their own: a bullet
item without a link right after an ``Annotation:`` is part of it, not a highlight.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from recall.importer.fields import (
    DATAVIEW_FIELD,
    NOTE_LABELS,
    SUB_ITEM,
    RawHighlight,
    place_value,
    signed,
    sub_item_value,
    tags_in,
)
from recall.importer.note import ID, LOCATION, METADATA, NOTE, TAGS, TEXT, Collector
from recall.importer.readers.common import BULLET, COLUMN0_BLOCK_ID, Extras

BULLET_STARTS = frozenset("-*+0123456789")
ATTACHED_LABELS = {"Note", "Tags", "Annotation", "Comment"}
LABEL_STARTS = frozenset("GNTAC*")  # first letters of the labels above, and Group

NAME = "list items"


def recognise(lines: list[str], start: int, end: int) -> int:
    """How many list items the region has: column-0 bullets, and numbered items that
    end in a location or link (a numbered list in a note is more often the user's)."""
    count = 0
    for i in range(start, end):
        line = lines[i]
        if line[:1] in ("-", "*", "+"):
            count += BULLET.match(line) is not None
        elif line[:1].isdigit() and BULLET.match(line):
            count += signed(line)
    return count


def first_item(lines: list[str], start: int, end: int, is_metadata: Callable[[str], bool]) -> int | None:
    """The first column-0 bullet that is not a metadata line, for notes without a heading."""
    for i in range(start, end):
        if BULLET.match(lines[i]) and not is_metadata(lines[i]):
            return i
    return None


def read(lines: list[str], start: int, end: int, out: Collector) -> None:
    """Read the list items of ``lines[start:end]`` into ``out``."""
    _ListReader(lines, start, end, out).run()


class _ListReader:
    def __init__(self, lines: list[str], start: int, end: int, out: Collector) -> None:
        self.lines, self.start, self.end, self.out = lines, start, end, out
        self.extras = Extras(out)
        self.current: RawHighlight | None = None
        self.blank_run: list[int] = []  # blank lines held until we know where they belong
        self.note_indent: int | None = None  # set while a note is open
        self.annotation = False  # the open note is a Hypothes.is annotation
        self.after_sub_item = False  # a sub-item came: indented lines after it are not text

    def _has_link(self, i: int) -> bool:
        """Does the item starting at line ``i`` (with its indented lines) hold a link?"""
        for j in range(i, self.end):
            line = self.lines[j]
            if j > i and line[:1] not in (" ", "\t"):
                return False
            if "](" in line:
                return True
        return False

    def run(self) -> None:
        for i in range(self.start, self.end):
            self.feed(self.lines[i], i)
        self.close()

    def feed(self, line: str, i: int) -> None:
        if not line or line.isspace():
            if self.current is not None:
                self.blank_run.append(i)
            return
        if line[0] in BULLET_STARTS and (bullet := BULLET.match(line)):
            if self.annotation and self.note_indent is not None and not self._has_link(i):
                self._note_line(line, i)  # a Hypothes.is annotation going on over bullets of its own
            elif self.current is not None and line[bullet.end() : bullet.end() + 1] in LABEL_STARTS and self._attached(line, bullet, i):
                pass  # "- Group: #x" (Hypothes.is) or "- Note: …" typed at column 0 under a highlight
            else:
                self.close()
                self.current = RawHighlight(i, [line[bullet.end() :]], [(i, TEXT)])
            return
        item = self.current
        if item is not None:
            if line[0] in " \t":
                self._indented(item, line, i)
                return
            if block_id := COLUMN0_BLOCK_ID.match(line):
                item.ids.append(block_id.group(1))
                item.lines.append((i, ID))
                self.blank_run.clear()
                return
            if (sub := SUB_ITEM.match(line)) and sub.group("label") in NOTE_LABELS:
                self._sub_item(item, sub, i)
                return
            self.close()
        if not self.extras.take(line, i):
            pass  # left without a role: reported as not understood

    def _attached(self, line: str, bullet: re.Match[str], i: int) -> bool:
        """Take a column-0 ``Group:``/``Note:``/``Tags:`` bullet into the current item."""
        item = self.current
        assert item is not None
        if line.startswith("Group:", bullet.end()):
            item.lines.append((i, METADATA))
            return True
        if (sub := SUB_ITEM.match(line)) and sub.group("label") in ATTACHED_LABELS:
            self._sub_item(item, sub, i)
            return True
        return False

    def _indented(self, item: RawHighlight, line: str, i: int) -> None:
        if sub := SUB_ITEM.match(line):
            self._sub_item(item, sub, i)
            return
        if DATAVIEW_FIELD.match(line):
            self.blank_run.clear()
            self.note_indent = None
            item.lines.append((i, METADATA))
            return
        indent = len(line) - len(line.lstrip(" \t"))
        if self.note_indent is not None and indent > self.note_indent:
            self._note_line(line[min(indent, self.note_indent + 2) :], i)
            return
        if self.after_sub_item or (BULLET.match(line.lstrip(" \t")) and signed(item.text_lines[-1])):
            # after a sub-item, or a bullet after the line that ended in the location (the
            # text's last line): the user's own line, a note, never text
            self._own_line(item, line.strip(), i)
            return
        self.note_indent = None
        for blank in self.blank_run:
            item.text_lines.append("")
            item.lines.append((blank, TEXT))
        self.blank_run.clear()
        item.text_lines.append(line[2:] if line.startswith("  ") else line.lstrip(" \t"))
        item.lines.append((i, TEXT))

    def _own_line(self, item: RawHighlight, text: str, i: int) -> None:
        if item.note_lines is None:
            item.note_lines = []
        item.note_lines.extend("" for _ in self.blank_run)
        self.blank_run.clear()
        item.note_lines.append(text)
        item.lines.append((i, NOTE))

    def _note_line(self, text: str, i: int) -> None:
        item = self.current
        assert item is not None and item.note_lines is not None
        item.note_lines.extend("" for _ in self.blank_run)
        self.blank_run.clear()
        item.note_lines.append(text)
        item.lines.append((i, NOTE))

    def _sub_item(self, item: RawHighlight, sub: re.Match[str], i: int) -> None:
        label, value = sub.group("label"), sub_item_value(sub)
        self.blank_run.clear()
        self.note_indent = None
        self.after_sub_item = True
        if label in NOTE_LABELS:
            item.note_lines = [value]
            self.note_indent = len(sub.group("indent"))
            self.annotation = label == "Annotation"
            item.lines.append((i, NOTE))
        elif label == "Tags":
            item.tags.extend(tags_in(value))
            item.lines.append((i, TAGS))
        else:
            item.location, item.location_url = place_value(label, value)
            item.lines.append((i, LOCATION))

    def close(self) -> None:
        """Finish the item in progress, if any."""
        self.blank_run.clear()
        self.note_indent = None
        self.after_sub_item = False
        item, self.current = self.current, None
        if item is not None:
            self.out.emit(item)
