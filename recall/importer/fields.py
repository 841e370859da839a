"""Field extractors shared by every reader: what ends a highlight's last line (its
location, its link, its ids), sub-item labels, tags and heading items.

A *location* is a place in the source (``Location 12``, ``Page 4``, ``Time 0:02:17``)
or nothing; a link label such as ``View Highlight``, ``View Tweet``, ``Updated on …``
or an emoji is not a place, so it gives a link (its URL) and no location.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# --- a highlight while it is being read ------------------------------------------


@dataclass(slots=True)
class RawHighlight:
    """One highlight as a reader collects it; ``finish`` fills the last five fields.
    ``lines`` holds (body line index, role) for every line that went into it."""

    index: int
    text_lines: list[str]
    lines: list[tuple[int, str]] = field(default_factory=list)
    note_lines: list[str] | None = None
    tags: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    location: str | None = None
    location_url: str | None = None
    label: str | None = None  # the link label recall 0.1 took for the location (identity only)
    chapter: str | None = None
    text: str = ""
    note: str | None = None


# --- labels and locations ---------------------------------------------------------
PLACE_VALUE = re.compile(r"[\w:.,-]+")
PLACE_NAMES = {"location": "Location", "loc": "Location", "loc.": "Location", "page": "Page", "p.": "Page", "time": "Time"}
URL_PLACE = re.compile(r"[?&](location|page)=(\w+)")


def location_of(label: str, url: str | None) -> str | None:
    """The place a link label (and its URL) names, as ``Location 12``/``Page 4``/
    ``Time 0:02:17``; None for labels that are not places (``View Highlight``)."""
    if label.startswith("View "):
        return None  # View Highlight, View Tweet: the usual links, never places
    head, _, value = label.replace("\u00a0", " ").strip().partition(" ")
    if (name := PLACE_NAMES.get(head.lower())) is not None:
        value = value.strip()
        return f"{name} {value}" if PLACE_VALUE.fullmatch(value) else None
    if label and label.isalnum() and url and (param := URL_PLACE.search(url)):
        return f"{param.group(1).capitalize()} {label}"  # ([6](...&location=6)): a bare number
    return None


# --- what ends the last line of a highlight ------------------------------------------
# Each is matched at the last place it can start (found with rfind), never searched
# across the whole line: highlights can be long and there are many of them.
BLOCK_ID_END = re.compile(r"\^([A-Za-z0-9-]+)[ \t]*$")
FOOTNOTE_REF_END = re.compile(r"\[\^[^\]\s]+\][ \t]*$")
COMMENT_END = re.compile(r"%%\s*highlight_id:\s*(\d+)\s*%%[ \t]*$")
OPEN_IN_READWISE_END = re.compile(r"\[Open in Readwise\]\((https?://readwise\.io/open/\d+)\)[ \t]*$")
# ([label](url)) as the default template writes it; any label, since it is the very end.
LINK_PAREN_END = re.compile(r"\(\[([^\[\]]*)\]\(([^()\s]*)\)\)[ \t]*$")
# [label](url) without parentheses (callout, Omnivore templates): only labels that are
# places, link words or symbols, so an inline link ending a highlight stays text.
LINK_BARE_END = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*)\)[ \t]*$")
LINK_WORDS = re.compile(r"View (?:Highlight|Tweet|Quote|Source)|Updated on [^\[\]]*|[^\w\s]{1,8}")
PLAIN_PLACE_END = re.compile(r"\(((?:Location|Page|Time)[ \u00a0][\w:.-]+)\)[ \t]*$")
# Hypothes.is: "text — [Updated on 2023-05-14 09:12:03](https://hyp.is/…)  — Group: #x"
GROUP_END = re.compile(r"\u2014[ \t]*Group:[ \t]*#[^\u2014\n]*$")
# Obsidian Kindle plugin: "text — location: [226](kindle://...) ^ref-123", maybe more after it
KINDLE_MARK = "\u2014 location: ["
KINDLE_LINK = re.compile(r"\u2014 location: \[([^\]]*)\]\(([^()\s]*)\)[ \t]*(?:\^(ref-\d+))?[ \t]*")


MAX_ENDINGS = 8  # pieces taken off one line end: a location, a link, ids, a footnote, …


def _without_dash(text: str) -> str:
    """``text`` without a trailing " — " (what stands before a Hypothes.is trailer)."""
    text = text.rstrip(" \t")
    return text[:-1].rstrip(" \t") if text.endswith("\u2014") else text


def _match_end(pattern: re.Pattern[str], line: str, start_marker: str) -> re.Match[str] | None:
    """Match ``pattern`` at the last occurrence of ``start_marker`` in ``line``."""
    at = line.rfind(start_marker)
    return pattern.match(line, at) if at >= 0 else None


def block_id_end(line: str) -> re.Match[str] | None:
    """A trailing Obsidian block id (`` ^rw123``); it needs a space before it, so ``x^2`` is text."""
    found = _match_end(BLOCK_ID_END, line, "^")
    return found if found and (found.start() == 0 or line[found.start() - 1] in " \t") else None


def split_kindle_mark(line: str) -> tuple[str, str, str | None, str | None, str] | None:
    """A Kindle-plugin line as (text, location number, url, ref id, what follows), or None."""
    at = line.rfind(KINDLE_MARK)
    if at < 0 or not (found := KINDLE_LINK.match(line, at)):
        return None
    return line[:at].rstrip(" \t"), found.group(1), found.group(2) or None, found.group(3), line[found.end() :].strip()


def strip_line_end(item: RawHighlight, last: str) -> str:
    """Take the location, link, ids and decorations off the end of ``last`` (the
    highlight's last line) into ``item``; returns what remains of the line."""
    last = last.rstrip()
    for _ in range(MAX_ENDINGS):
        if not last:
            break
        tail = last[-1]
        if tail == ")":
            if item.location is None and item.location_url is None:
                if m := _match_end(LINK_PAREN_END, last, "(["):  # the usual case first
                    label, url = m.group(1, 2)
                    item.location, item.location_url, item.label = location_of(label, url), url or None, label
                elif m := _match_end(OPEN_IN_READWISE_END, last, "[Open in Readwise]("):
                    item.ids.append(m.group(1))
                elif (m := _match_end(LINK_BARE_END, last, "[")) and (
                    location_of(m.group(1), m.group(2)) or LINK_WORDS.fullmatch(m.group(1).strip())
                ):
                    item.location, item.location_url = location_of(m.group(1), m.group(2)), m.group(2) or None
                    item.label = m.group(1) if item.location or m.group(1).startswith("View ") else None
                    last = _without_dash(last[: m.start()])  # the " — " before a Hypothes.is trailer
                    continue
                elif m := _match_end(PLAIN_PLACE_END, last, "("):
                    item.location, item.label = location_of(m.group(1), None), m.group(1)
                else:
                    break
            elif m := _match_end(OPEN_IN_READWISE_END, last, "[Open in Readwise]("):
                item.ids.append(m.group(1))
            else:
                break
        elif "^" in last and (m := block_id_end(last)):
            item.ids.append(m.group(1))
        elif tail == "%" and (m := COMMENT_END.match(last, max(0, last.rfind("%%", 0, len(last) - 2)))):
            item.ids.append("rw" + m.group(1))
        elif tail == "]" and (m := _match_end(FOOTNOTE_REF_END, last, "[^")):
            pass  # the user's footnote reference
        elif "\u2014" in last and (m := _match_end(GROUP_END, last, "\u2014")):
            last = _without_dash(last[: m.start()])
            continue
        else:
            break
        last = last[: m.start()].rstrip(" \t")
    return last


def strip_note_end(note: str) -> tuple[str, list[str]]:
    """A note without its trailing block id (`` ^rw1-note``) or Hypothes.is trailer
    (`` — [Updated on …](…)  — Group: #x``); returns (note, ids found)."""
    ids: list[str] = []
    for _ in range(MAX_ENDINGS):
        if not note:
            break
        if m := block_id_end(note):
            ids.append(m.group(1))
        elif (m := _match_end(GROUP_END, note, "\u2014")) is None:
            m = _match_end(LINK_BARE_END, note, "[")
            if m is None or not m.group(1).startswith("Updated on"):
                break
        note = _without_dash(note[: m.start()])
    return note, ids


def signed(last_line: str) -> bool:
    """Does a highlight's last line end in a location, a link or an id?"""
    if split_kindle_mark(last_line):
        return True
    probe = RawHighlight(0, [])
    strip_line_end(probe, last_line)
    return bool(probe.ids or probe.location or probe.location_url)


def finish(item: RawHighlight) -> None:
    """Split the trailing location, links and block ids off the item's text and note."""
    lines = item.text_lines
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    kindle = split_kindle_mark(lines[-1]) if "\u2014 location: [" in lines[-1] else None
    if kindle:
        lines[-1], number, item.location_url, ref, after = kindle
        item.location = f"Location {number}" if number else None
        if ref:
            item.ids.append(ref)
        if after:  # typed after the Kindle text on the same line
            item.note_lines = [after, *(item.note_lines or [])]
    else:
        lines[-1] = strip_line_end(item, lines[-1])
        while len(lines) > 1 and not lines[-1].strip():  # the link stood on a line of its own
            lines.pop()
            probe = RawHighlight(item.index, [])
            rest = strip_line_end(probe, lines[-1])
            if probe.location_url in (None, item.location_url) and probe.location in (None, item.location):
                lines[-1] = rest  # the same link again, or ids: part of the ending
                item.ids.extend(probe.ids)
    item.text = "\n".join(lines).rstrip()
    if item.note_lines is not None:
        note_lines = []
        for line in item.note_lines:  # a Hypothes.is trailer can end any line of an annotation
            line, ids = strip_note_end(line)
            note_lines.append(line)
            item.ids.extend(ids)
        item.note = "\n".join(note_lines).strip() or None


# --- sub-items, tags, headings -------------------------------------------------------
# "    - Note: x", "  * Tags: #a", "   - Annotation: x", "**Note:** x", "**Note: x**"
SUB_ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?P<mark>[-*+][ \t]+(?:\*\*)?|\*\*)"
    r"(?P<label>Tags|Note|Annotation|Comment|Location|Page)(?::\*\*|\*\*:|:)[ \t]*(?P<value>.*)$"
)
NOTE_LABELS = {"Note", "Annotation", "Comment"}
DATAVIEW_FIELD = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?\w[\w -]*::")
TAG = re.compile(r"\[\[([^\[\]]+)\]\]|\\?#([^\s#,\[\]]+)")
HEADING_ITEM = re.compile(r"^#{1,6}[ \t]+(.*\S)")  # "- # PART I" in a Readwise list
HEADING_NOTE = re.compile(r"^\.h[1-6]$", re.IGNORECASE)  # Readwise's heading action tag


def tags_in(value: str) -> list[str]:
    """Tags written as ``[[wikilinks]]`` or ``#hashtags`` (``\\#escaped`` too)."""
    return [(wiki or hashtag).strip() for wiki, hashtag in TAG.findall(value)]


def sub_item_value(found: re.Match[str]) -> str:
    """A ``SUB_ITEM``'s value, without the closing ``**`` of a ``**Note: x**`` paragraph."""
    value = found.group("value").rstrip()
    if found.group("mark").endswith("**") and value.endswith("**") and ":**" not in found.group(0):
        value = value[:-2].rstrip()
    return value


def place_value(label: str, value: str) -> tuple[str | None, str | None]:
    """(location, url) of a ``- Location: [52](kindle://…)`` or ``- Page: ix`` sub-item."""
    if found := LINK_BARE_END.search(value):
        return location_of(found.group(1), found.group(2)) or f"{label} {found.group(1)}", found.group(2) or None
    value = " ".join(value.split())
    return (f"{label} {value}" if value else None), None


def chapter_of(item: RawHighlight) -> str | None:
    """The chapter title when the item is a heading (``- # PART I``, a ``.h2`` note), else None."""
    if item.note is not None and HEADING_NOTE.match(item.note.strip()):
        return " ".join(item.text.split()) or None
    if item.text[:1] == "#" and (found := HEADING_ITEM.match(item.text)):
        return found.group(1).rstrip(" \t#") or None
    return None
