"""Where a note's highlights are, and the evidence that it is a highlight note at all.

A highlights region starts under a highlights heading (``## Highlights``, ``## New
highlights added …``, ``# Highlights #to-process``, ``Highlights & Notes``, a localised
word such as ``Annotations``/``Anotaciones``) or at a highlight's own heading
(``## Highlight``, ``### Highlight (yellow) - Page 4``), and ends at the next heading
of the same or a higher level that is neither. A heading that only looks like one
(``Highlights from the trip``) is not one, and a variant heading counts only in a note
that shows otherwise that it is a highlight note: highlight signatures, a known
metadata layout or frontmatter block, or a highlights folder (Readwise's export
folders, the Kindle, Hypothes.is, Zotero, Omnivore and Matter plugins' folders, and
the ``highlight_folders`` setting). A note without any such heading needs the same
evidence; its region starts at the first line a reader takes for a highlight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from recall.importer.readers.common import HEADING_LINE, heading_title
from recall.importer.readers.sections import is_note_heading, is_section_heading

STRICT_HEADING = re.compile(r"^(?:highlights\s*(?:\(.*\))?|new highlights\b.*)$", re.IGNORECASE)
VARIANT_HEADING = re.compile(
    r"^(?:highlights?(?:\s*(?:&|and|\+)\s*notes)?|notes\s*(?:&|and|\+)\s*highlights|annotations?|anotaciones"
    r"|anotações|annotazioni|anmerkungen|markierungen|surlignages|annotationen|destacados|subrayados"
    r"|evidenziazioni|ハイライト|标注|高亮|划线|하이라이트)(?P<rest>.*)$",
    re.IGNORECASE,
)
DECORATION_TOKEN = re.compile(r"\([^()]*\)|\\?#[^\s#]+|\[\^[^\[\]]*\]")  # (12), #to-process, [^3]

# What only highlight exports write: location links, Readwise/Reader/Kindle/hyp.is/Zotero
# annotation/Omnivore highlight links, their block ids. (A tweet or a Zotero citation link
# is common in ordinary notes, so neither is one.)
SIGNATURE = re.compile(
    r"readwise\.io/(?:to_kindle|open/|read/|bookreview/)|kindle://book\?\S*location=|hyp\.is/|zotero://open-pdf/"
    r"|omnivore\.app/\S*#[0-9a-f-]{36}|\^ref-\d|\^rw(?:ID-)?\d|%%\s*highlight_id:"
    r"|\(\[(?:Location|Page|Time)[ \u00a0][\w:]+\]\(|\((?:Location|Page|Time)[ \u00a0][\w:]+\)[ \t]*$|\u2014 location: \[",
    re.MULTILINE,
)
HIGHLIGHT_FOLDERS = {"readwise", "kindle", "kindle highlights", "hypothesis", "hypothes.is", "zotero", "omnivore", "matter", "highlights"}
LAYOUT_HEADINGS = {"metadata", "about"}


@dataclass(slots=True)
class Region:
    """Body lines ``start`` (inclusive) to ``end`` (exclusive) hold highlights;
    ``heading`` is the index of the heading that opened it, if any."""

    start: int
    end: int
    heading: int | None


def find_regions(lines: list[str]) -> list[Region]:
    """The regions under highlights headings and of highlights with headings of their own.

    Within a region, deeper headings are chapters and ``Note`` headings belong to the
    highlight above them; a heading of the region's level or higher ends it, unless
    a highlight's own heading follows it (then it is a chapter between highlights).
    """
    headings = []
    for i, line in enumerate(lines):
        if line[:1] == "#" and (heading := HEADING_LINE.match(line)):
            headings.append((i, len(heading.group(1)), heading_title(heading.group(2))))
    regions: list[Region] = []
    level = 0
    open_region = False
    for n, (i, depth, title) in enumerate(headings):
        if is_section_heading(title):
            if not open_region:
                start = i
                if n and headings[n - 1][1] < depth and _only_blank(lines, headings[n - 1][0] + 1, i) and not _is_layout(headings[n - 1][2]):
                    start = headings[n - 1][0]  # "## Chapter 1" just above the first one: its chapter
                regions.append(Region(start, -1, None))
                level, open_region = depth, True
        elif is_highlights_heading(title):
            if open_region:
                regions[-1].end = i
            regions.append(Region(i + 1, -1, i))
            level, open_region = depth, True
        elif open_region and depth <= level and not is_note_heading(title):
            following = headings[n + 1][2] if n + 1 < len(headings) else ""
            if regions[-1].heading is not None or not is_section_heading(following):
                regions[-1].end = i
                open_region = False
    if open_region:
        regions[-1].end = len(lines)
    return regions


def is_highlights_heading(title: str) -> bool:
    """``Highlights``, ``New highlights added …`` and their variants (a localised word,
    ``Highlights & Notes``, tags, a footnote or an emoji after it)."""
    if STRICT_HEADING.match(title):
        return True
    found = VARIANT_HEADING.match(title)
    if found is None:
        return False
    rest = DECORATION_TOKEN.sub(" ", found.group("rest"))
    return not any(c.isalnum() or c == "_" for c in rest)  # only emoji, punctuation and spaces left


def _only_blank(lines: list[str], start: int, end: int) -> bool:
    return all(not lines[j].strip() for j in range(start, end))


def _is_layout(title: str) -> bool:
    return title.lower() in LAYOUT_HEADINGS or is_highlights_heading(title)


def evidence(text: str, path: str, meta: dict[str, Any], header: dict[str, str], folders: tuple[str, ...]) -> list[str]:
    """Why this note is a highlight note, beyond a heading: its frontmatter, metadata
    layout and folder, or else (searched only then) a highlight signature."""
    found: list[str] = []
    if "kindle-sync" in meta:
        found.append("kindle-sync frontmatter")
    if "layout" in header:
        found.append(f"metadata layout ({header['layout']})")
    parts = path.split("/")[:-1]
    if folder := next((p for p in parts if p.lower() in HIGHLIGHT_FOLDERS), None):
        found.append(f"folder {folder}/")
    elif given := next((f for f in folders if path.startswith(f.strip("/") + "/")), None):
        found.append(f"highlight_folders setting ({given})")
    if not found and (signature := signature_in(text)):
        found.append(signature)
    return found


def signature_in(text: str) -> str | None:
    """The first highlight signature in ``text`` (a location link, a Readwise, Reader,
    Kindle, hyp.is, Zotero or Omnivore link, a block id), described; None if it has none."""
    found = SIGNATURE.search(text)
    return f"highlight signature {found.group(0).strip()!r}" if found else None
