"""Parse one highlight note into a source and its highlights.

Pure: text in, dataclasses out; no database, no file system. ``regions`` finds where
the highlights are (and the evidence that the note is a highlight note at all); one
reader per format family turns a region's lines into highlights:

- ``readers.lists``: list items (Readwise's templates, Matter, Hypothes.is);
- ``readers.paragraphs``: paragraphs, quotes and callouts (the Obsidian Kindle plugin,
  readwise-mirror, Omnivore, ``highlight_id`` comments, Readwise's callout template);
- ``readers.sections``: a heading per highlight (Kindle plugin sections, Kindle's
  notebook export);
- ``readers.zotero``: Zotero Integration quotes and Zotero's own annotation notes.

Every non-blank line of a region gets a role (highlight, note, tags, chapter, …);
the ones no reader understood are reported with their line numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from types import ModuleType

from recall.importer.decoding import MAX_FILE_BYTES, decode
from recall.importer.fields import RawHighlight
from recall.importer.frontmatter_soft import read_frontmatter
from recall.importer.identity import fallback_key, id_key, normalise_text, source_key
from recall.importer.note import HEADING, Collector, NotAHighlightNote, ParsedHighlight, ParsedNote
from recall.importer.readers import lists, paragraphs, sections, zotero
from recall.importer.readers.common import HEADING_LINE, heading_title
from recall.importer.regions import Region, evidence, find_regions, signature_in

__all__ = ["MAX_FILE_BYTES", "NotAHighlightNote", "ParsedHighlight", "ParsedNote", "decode", "parse_note"]

# --- metadata before the highlights -------------------------------------------------
# "- Author: x", "* Author: x", "**Author:** x", "- **URL:** x", "Title: [[x]]",
# ">Author:: x" (callout templates), "| **Author** | x |" (Markdown tables)
META_LINE = re.compile(
    r"^(?:[-*+][ \t]+|>[ \t]*|\|[ \t]*)?(?:\*\*)?(?P<key>[A-Za-z][\w ]{0,30}?)(?:\*\*)?[ \t]*"
    r"(?:::|:\*\*|:|\*\*[ \t]*\|)(?P<value>.*)$"
)
COVER = re.compile(r"^!\[(?:rw-book-cover|\|?\d*)\]\((\S+?)\)\s*$")
ORIGINAL_LINK = re.compile(r"^\[(?:Read Original|Original|Source)\]\((https?://[^()\s]+)\)\s*$", re.IGNORECASE)  # Omnivore
META_KEYS = {
    "author": "author", "authors": "author", "full title": "full_title", "title": "full_title",
    "category": "category", "type": "category", "url": "url", "source url": "url", "reference": "url",
    "number of highlights": "number of highlights", "asin": "asin",
}  # fmt: skip
READWISE_KEYS = {"full title", "number of highlights", "asin"}  # metadata no ordinary note has
HEADER_KEYS = set(META_KEYS) | {"tags", "date", "publisher", "published date", "document tags", "source", "summary", "document note", "isbn"}
MARKDOWN_LINK = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*)\)")
WIKILINK = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]*))?\]\]")
CATEGORY_FOLDERS = {"books": "books", "articles": "articles", "tweets": "tweets", "podcasts": "podcasts"}
TITLE_PREFIX = re.compile(r"^Notes and highlights for\s+", re.IGNORECASE)  # Kindle's notebook export


def parse_note(text: str, path: str, folders: tuple[str, ...] = ()) -> ParsedNote:
    """Parse a note's text. ``path`` (vault-relative, '/'-separated) gives the title and
    category of last resort and, with ``folders`` (the ``highlight_folders`` setting),
    evidence from the note's place. Raises NotAHighlightNote for an ordinary note."""
    warnings: list[tuple[int, str]] = []
    meta, body, line0 = read_frontmatter(text, warnings)
    lines = body.split("\n")
    regions = find_regions(lines)
    first = regions[0] if regions else None
    header, h1, cover = _read_header(lines, len(lines) if first is None else first.start if first.heading is None else first.heading)
    found_evidence = evidence(body, path, meta, header, folders)
    if not found_evidence:
        raise NotAHighlightNote(path, "nothing marks it as a highlight note (no highlight links or ids, no known metadata or folder)")
    if not regions:
        regions = _headingless_region(lines)
        if not regions:
            raise _unread(path, body, found_evidence)
        header, h1, cover = _read_header(lines, regions[0].start)
    out = Collector(len(lines))
    used: list[str] = []
    for region in regions:
        if region.heading is not None:
            out.mark(region.heading, HEADING)
        reader = choose_reader(lines, region, body)
        out.chapter = None
        before = len(out.done)
        reader.read(lines, region.start, region.end, out)
        if len(out.done) > before and reader.NAME not in used:
            used.append(reader.NAME)
    signed_only = all(e.startswith("highlight signature") for e in found_evidence)
    if (not out.done and signature_in(body)) or (signed_only and not any(h.location or h.location_url or h.ids for h in out.done)):
        raise _unread(path, body, found_evidence)  # with signatures but no highlight that carries one

    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    kindle_sync = meta.get("kindle-sync")
    kindle = kindle_sync if isinstance(kindle_sync, dict) else {}
    title = (
        _plain(meta.get("title")) or _plain(kindle.get("title")) or _plain(h1) or _plain(header.get("full_title")) or stem
    )
    author = _plain(meta.get("author")) or _plain(kindle.get("author")) or _plain(header.get("author"))
    category = (
        _category(meta.get("category")) or _category(header.get("category")) or _folder_category(path) or ("books" if kindle else None)
    )
    url = _plain(meta.get("url")) or _plain(meta.get("source")) or _plain(header.get("url"))
    skey = source_key(title, author)
    heading_reason = ["a highlights heading"] if any(r.heading is not None for r in regions) else []
    return ParsedNote(
        title, author, category, url, cover or _plain(kindle.get("bookImageUrl")), skey,
        _highlights(out.done, skey, line0), warnings, ", ".join(used), tuple(heading_reason + found_evidence),
        roles=out.roles,
        body_line0=line0,
        not_understood=_not_understood(lines, regions, out, line0),
        regions=[(line0 + (r.heading if r.heading is not None else r.start), line0 + r.end - 1) for r in regions],
    )  # fmt: skip


def _unread(path: str, body: str, found_evidence: list[str]) -> NotAHighlightNote:
    """A note marked as a highlight note in which no line reads as a highlight."""
    signature = signature_in(body)
    what = "it has highlight signatures" if signature else "it is marked as a highlight note"
    shown = tuple(found_evidence) + ((signature,) if signature and signature not in found_evidence else ())
    return NotAHighlightNote(path, f"{what}, but no line reads as a highlight", signature is not None, shown)


def choose_reader(lines: list[str], region: Region, body: str) -> ModuleType:
    """The reader for a region: a highlight's own headings if it has any, else the one
    that recognises the most highlights in it (list items before Zotero annotations
    before paragraphs, where they recognise as many). ``body`` (the note's text) rules
    out Zotero at once."""
    if sections.recognise(lines, region.start, region.end):
        return sections
    candidates = (lists, zotero, paragraphs) if "zotero://" in body else (lists, paragraphs)
    counts = [(reader.recognise(lines, region.start, region.end), -rank, reader) for rank, reader in enumerate(candidates)]
    return max(counts, key=lambda c: c[:2])[2]


def _headingless_region(lines: list[str]) -> list[Region]:
    """The one region of a note without a highlights heading: from the first line a
    reader takes for a highlight to the next heading of level 1 or 2."""
    starts = [
        s for s in (
            zotero.first_item(lines, 0, len(lines)),
            lists.first_item(lines, 0, len(lines), _is_metadata),
            paragraphs.first_item(lines, 0, len(lines)),
        ) if s is not None
    ]  # fmt: skip
    if not starts:
        return []
    start = min(starts)
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i][:1] == "#" and (h := HEADING_LINE.match(lines[i])) and len(h.group(1)) <= 2),
        len(lines),
    )
    return [Region(start, end, None)]


def _is_metadata(line: str) -> bool:
    found = META_LINE.match(line)
    return found is not None and found.group("key").strip().lower() in HEADER_KEYS


def _read_header(lines: list[str], end: int) -> tuple[dict[str, str], str | None, str | None]:
    """Metadata (``- Author: x`` and its variants), the first H1 and the cover image
    among the lines before the highlights."""
    header: dict[str, str] = {}
    h1 = cover = layout_heading = None
    readwise_keys = []
    for line in lines[:end]:
        if line[:1] == "#":
            if heading := HEADING_LINE.match(line):
                title = heading_title(heading.group(2))
                if title.lower() in ("metadata", "about"):
                    layout_heading = layout_heading or title
                elif len(heading.group(1)) == 1 and h1 is None:
                    h1 = title
            continue
        if cover is None and (found := COVER.match(line)):
            cover = found.group(1)
        elif found := ORIGINAL_LINK.match(line):
            header.setdefault("url", found.group(1))
        elif (meta := META_LINE.match(line)) and (name := META_KEYS.get(key := meta.group("key").strip().lower())):
            value = meta.group("value").strip(" \t|")
            if key in READWISE_KEYS:
                readwise_keys.append(key)
            if value and name not in header:
                header[name] = value
    if readwise_keys or (layout_heading and "author" in header):
        header["layout"] = f"'{readwise_keys[0].title()}'" if readwise_keys else f"'{layout_heading}' with an author"
    return header, h1, cover


def _highlights(raw: list[RawHighlight], skey: str, line0: int) -> list[ParsedHighlight]:
    """Keys for the raw highlights. A location is a position only where it names one
    place in this note; the same key twice is one highlight repeated when an id gives
    the key and the text is the same, and otherwise two highlights (twins: ``#2``)."""
    places = Counter(item.location for item in raw if item.location)
    seen: dict[str, list[tuple[str, str]]] = {}  # key -> (text, key given) of each
    result = []
    for item in raw:
        positional = item.location if item.location and places[item.location] == 1 else None
        normalised = None
        base = id_key(item.ids, item.location_url, skey)
        if base is None:
            normalised = normalise_text(item.text)
            base = fallback_key(positional, normalised, skey)
        key = base
        earlier = seen.get(base)
        if earlier is None:
            seen[base] = [(item.text, key)]
        else:
            text = normalise_text(item.text)
            same = None if normalised is not None else next((given for other, given in earlier if normalise_text(other) == text), None)
            key = same or f"{base}#{len(earlier) + 1}"
            earlier.append((item.text, key))
        result.append(
            ParsedHighlight(
                key, item.text, line0 + item.index, item.note, item.tags, item.location, item.location_url, item.chapter,
                item.label,
            )
        )
    return result


def _not_understood(lines: list[str], regions: list[Region], out: Collector, line0: int) -> list[tuple[int, str]]:
    """One warning (line, message) naming every run of region lines that no reader
    took (blank lines join runs), or none."""
    runs: list[list[int]] = []
    for region in regions:
        for i in range(region.start, region.end):
            if out.roles[i] is None and lines[i].strip():
                if runs and all(not lines[j].strip() for j in range(runs[-1][-1] + 1, i)):
                    runs[-1].append(i)
                else:
                    runs.append([i])
    if not runs:
        return []
    spans = ", ".join(
        str(line0 + run[0]) if len(run) == 1 else f"{line0 + run[0]}\u2013{line0 + run[-1]}" for run in runs
    )
    count = sum(len(run) for run in runs)
    return [(line0 + runs[0][0], f"{count} line{'s' if count > 1 else ''} not understood ({spans}); not imported")]


def _plain(value: object) -> str | None:
    """A metadata value as display text: wikilinks and links unwrapped, lists flattened."""
    if value is None:
        return None
    if isinstance(value, list):
        parts = [p for p in (_plain(v) for v in value) if p]
        return ", ".join(parts) or None
    if isinstance(value, dict):
        return None
    text = str(value).strip()
    text = WIKILINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = MARKDOWN_LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = TITLE_PREFIX.sub("", text)
    return text or None


def _category(value: object) -> str | None:
    text = _plain(value)
    if not text:
        return None
    words = text.split()
    if not words:
        return None
    return words[0].lstrip("#").rsplit("/", 1)[-1].lower() or None


def _folder_category(path: str) -> str | None:
    for part in reversed(path.split("/")[:-1]):
        if found := CATEGORY_FOLDERS.get(part.lower()):
            return found
    return None
