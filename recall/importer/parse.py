"""Parse one highlight note into a source and its highlights.

Pure: text in, dataclasses out; no database, no file system. The grammar is the
one observed in real vaults (Readwise's default template and its variants, the
blockquote template, the Obsidian Kindle plugin); see the README's format notes.

Only ``- `` at column 0 starts a highlight, only ``    - Tags:`` / ``    - Note:``
attach to it, and the location is read from the end of the item's last line.
Everything else inside an item is highlight text, kept exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from recall.importer.frontmatter_soft import read_frontmatter
from recall.importer.identity import highlight_key, normalise_label, source_key

# --- sections -----------------------------------------------------------------
HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")  # the title is tidied in Python: no backtracking
# "## Highlights" (perhaps with a count) or "## New highlights added <date>" (loosely: users edit it).
HIGHLIGHTS_HEADING = re.compile(r"^(highlights\s*(\(.*\))?$|new highlights\b)", re.IGNORECASE)

# --- items --------------------------------------------------------------------
SUB_ITEM = re.compile(r"^ {4}- (Tags|Note): ?(.*)$")
DATAVIEW_SUB_ITEM = re.compile(r"^ {4}- [\w -]+::")
COLUMN0_BLOCK_ID = re.compile(r"^\^(rwID-\d+|rw\d+(?:-note)?)\s*$")
WIKILINK_TAG = re.compile(r"\[\[([^\]]+)\]\]")

# --- what ends the last line of an item -----------------------------------------
# Each is matched at the last place it can start (found with rfind), never searched
# across the whole line: highlights can be long and there are many of them.
BLOCK_ID_END = re.compile(r"\^([A-Za-z0-9-]+)[ \t]*$")
OPEN_IN_READWISE_END = re.compile(r"\[Open in Readwise\]\((https?://readwise\.io/open/\d+)\)[ \t]*$")
# ([label](url)) as the default template writes it; any label, since it is the very end.
LOCATION_LINK_PAREN_END = re.compile(r"\(\[([^\[\]]+)\]\(([^()\s]*)\)\)[ \t]*$")
# [label](url) without parentheses (callout templates): only well-known labels, so an
# inline link that happens to end a highlight is not mistaken for its location.
KNOWN_LABEL = r"(?:Location|Page|Time)[ \u00a0][\w:.-]+|View (?:Highlight|Tweet)"
LOCATION_LINK_BARE_END = re.compile(r"\[(" + KNOWN_LABEL + r")\]\(([^()\s]*)\)[ \t]*$")
LOCATION_PLAIN_END = re.compile(r"\(((?:Location|Page|Time)[ \u00a0][\w:.-]+)\)[ \t]*$")
# Obsidian Kindle plugin: "text — location: [226](kindle://...) ^ref-123"
KINDLE_PLUGIN_MARK = "\u2014 location: ["
KINDLE_PLUGIN_END = re.compile(r"\u2014 location: \[([^\]]*)\]\(([^()\s]*)\)[ \t]*(\^ref-\d+)?[ \t]*$")


def _match_end(pattern: re.Pattern[str], line: str, start_marker: str) -> re.Match[str] | None:
    """Match ``pattern`` at the last occurrence of ``start_marker`` in ``line``."""
    at = line.rfind(start_marker)
    return pattern.match(line, at) if at >= 0 else None


def _block_id_end(line: str) -> re.Match[str] | None:
    """A trailing Obsidian block id (`` ^rw123``); it needs a space before it, so ``x^2`` is text."""
    found = _match_end(BLOCK_ID_END, line, "^")
    return found if found and (found.start() == 0 or line[found.start() - 1] in " \t") else None


# --- metadata -----------------------------------------------------------------
META_ITEM = re.compile(r"^(?:[-*] |>\s*)([A-Za-z][\w -]*?)(?:::|:)(.*)$")
COVER = re.compile(r"^!\[(?:rw-book-cover|\|?\d*)\]\((\S+?)\)\s*$")
META_KEYS = {
    "author": "author",
    "full title": "full_title",
    "title": "full_title",
    "category": "category",
    "type": "category",
    "url": "url",
    "source url": "url",
}
CATEGORY_FOLDERS = {"books": "books", "articles": "articles", "tweets": "tweets", "podcasts": "podcasts"}

MAX_FILE_BYTES = 8 * 1024 * 1024


@dataclass(slots=True)
class ParsedHighlight:
    """One highlight as found in a file."""

    key: str
    text: str
    line: int
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    location: str | None = None
    location_url: str | None = None
    chapter: str | None = None


@dataclass(slots=True)
class ParsedNote:
    """A highlight note: its source's metadata and its highlights in file order."""

    title: str
    author: str | None
    category: str | None
    url: str | None
    cover_url: str | None
    source_key: str
    highlights: list[ParsedHighlight]
    warnings: list[tuple[int, str]]  # (line, message)


class NotAHighlightNote(Exception):
    """The file is an ordinary note: it has no highlights section."""


def parse_note(text: str, path: str) -> ParsedNote:
    """Parse a note's text. ``path`` (vault-relative, '/'-separated) gives the title
    and category of last resort. Raises NotAHighlightNote."""
    warnings: list[tuple[int, str]] = []
    meta, body, body_line0 = read_frontmatter(text, warnings)
    lines = body.split("\n")

    header: dict[str, str] = {}
    items = _Items(body_line0)
    in_highlights = False
    seen_section = False
    h1: str | None = None
    cover: str | None = None
    chapter: str | None = None

    for index, line in enumerate(lines):
        heading = HEADING.match(line) if line[:1] == "#" else None
        if heading:
            level, title = len(heading.group(1)), _heading_title(heading.group(2))
            if HIGHLIGHTS_HEADING.match(title):
                items.close()
                in_highlights = seen_section = True
                chapter = None
            elif in_highlights and level >= 3:
                items.close()
                chapter = title
            else:
                items.close()
                in_highlights = False
                if level == 1 and h1 is None and not seen_section:
                    h1 = title
            continue
        if in_highlights:
            items.feed(line, index, chapter)
        elif not seen_section:
            _read_header_line(line, header)
            if cover is None and (found := COVER.match(line)):
                cover = found.group(1)
    items.close()

    if not seen_section:
        raise NotAHighlightNote(path)

    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    kindle = meta.get("kindle-sync") if isinstance(meta.get("kindle-sync"), dict) else {}
    title = (
        _plain(meta.get("title"))
        or _plain(kindle.get("title"))
        or _plain(h1)
        or _plain(header.get("full_title"))
        or stem
    )
    author = _plain(meta.get("author")) or _plain(kindle.get("author")) or _plain(header.get("author"))
    category = (
        _category(meta.get("category"))
        or _category(header.get("category"))
        or _folder_category(path)
        or ("books" if kindle else None)
    )
    url = _plain(meta.get("url")) or _plain(meta.get("source")) or _plain(header.get("url"))
    cover = cover or _plain(kindle.get("bookImageUrl"))
    skey = source_key(title, author)

    highlights = [
        ParsedHighlight(
            key=highlight_key(raw.ids, raw.location, raw.location_url, raw.text, skey),
            text=raw.text,
            line=raw.line,
            note=raw.note,
            tags=raw.tags,
            location=raw.location,
            location_url=raw.location_url,
            chapter=raw.chapter,
        )
        for raw in items.done
    ]
    return ParsedNote(title, author, category, url, cover, skey, highlights, warnings)


@dataclass(slots=True)
class _RawItem:
    line: int
    chapter: str | None
    text_lines: list[str]
    note_lines: list[str] | None = None
    tags: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    text: str = ""
    note: str | None = None
    location: str | None = None
    location_url: str | None = None


class _Items:
    """The state machine for the lines of a highlights section."""

    def __init__(self, line0: int) -> None:
        self.line0 = line0  # 1-based file line number of body line index 0
        self.done: list[_RawItem] = []
        self.current: _RawItem | None = None
        self.blank_run: list[str] = []  # blank lines held until we know they belong
        self.in_note = False
        self.paragraph: list[str] = []  # column-0 text (blockquote / Kindle plugin)
        self.paragraph_line = 0

    def feed(self, line: str, index: int, chapter: str | None) -> None:
        if line.startswith("- ") or line == "-":
            self.close()
            self.current = _RawItem(self.line0 + index, chapter, [line[2:]])
            return
        if not line.strip():
            if self.current is not None:
                self.blank_run.append(line)
            else:
                self._close_paragraph(chapter)
            return
        if self.current is not None:
            if line[0] in " \t":
                self._indented(line)
                return
            if block_id := COLUMN0_BLOCK_ID.match(line):
                self.current.ids.append(block_id.group(1))
                return
            self.close()
        # Column-0 text outside an item: a blockquote or Kindle-plugin paragraph, or
        # user prose (callouts, footnotes, rules) that is not a highlight.
        if line.startswith("---") or line.startswith("[^"):
            self._close_paragraph(chapter)
            return
        if not self.paragraph:
            self.paragraph_line = self.line0 + index
        self.paragraph.append(line)
        if _match_end(KINDLE_PLUGIN_END, line, KINDLE_PLUGIN_MARK):
            self._close_paragraph(chapter)

    def _indented(self, line: str) -> None:
        item = self.current
        assert item is not None
        if sub := SUB_ITEM.match(line):
            self.blank_run.clear()
            if sub.group(1) == "Tags":
                item.tags.extend(t.strip() for t in WIKILINK_TAG.findall(sub.group(2)))
                self.in_note = False
            else:
                item.note_lines = [sub.group(2)]
                self.in_note = True
            return
        if DATAVIEW_SUB_ITEM.match(line):
            self.blank_run.clear()
            self.in_note = False
            return
        if self.in_note and item.note_lines is not None and line.startswith("      "):
            item.note_lines.extend(self.blank_run)
            self.blank_run.clear()
            item.note_lines.append(line[6:])
            return
        self.in_note = False
        item.text_lines.extend(b[2:] for b in self.blank_run)
        self.blank_run.clear()
        item.text_lines.append(line[2:] if line.startswith("  ") else line.lstrip(" \t"))

    def close(self) -> None:
        """Finish the item in progress, if any."""
        self.blank_run.clear()
        self.in_note = False
        item = self.current
        self.current = None
        if item is None:
            return
        _finish(item)
        self.done.append(item)

    def _close_paragraph(self, chapter: str | None) -> None:
        lines, self.paragraph = self.paragraph, []
        if not lines:
            return
        first = lines[0]
        if first.startswith(">"):
            if first.lstrip("> ").startswith("[!"):
                return  # a callout the user wrote, not a highlight
            text_lines = [ln[1:].removeprefix(" ") if ln.startswith(">") else ln for ln in lines]
        elif _match_end(KINDLE_PLUGIN_END, lines[-1], KINDLE_PLUGIN_MARK):
            text_lines = lines
        else:
            return  # user prose between highlights
        item = _RawItem(self.paragraph_line, chapter, text_lines)
        _finish(item)
        if item.location_url or item.location or item.ids:
            self.done.append(item)


def _finish(item: _RawItem) -> None:
    """Split the trailing location, links and block ids off the item's text."""
    lines = item.text_lines
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    last = lines[-1].rstrip(" \t")
    while last:
        located = item.location is not None or item.location_url is not None
        if last[-1] != ")":
            if not (m := _block_id_end(last)):
                break
            item.ids.append(m.group(1))
        elif not located and (m := _match_end(LOCATION_LINK_PAREN_END, last, "([")):  # the usual case first
            item.location, item.location_url = normalise_label(m.group(1)), m.group(2) or None
        elif m := _match_end(OPEN_IN_READWISE_END, last, "[Open in Readwise]("):
            item.ids.append(m.group(1))
        elif located:
            break
        elif m := _match_end(KINDLE_PLUGIN_END, last, KINDLE_PLUGIN_MARK):
            item.location, item.location_url = "Location " + m.group(1), m.group(2) or None
            if m.group(3):
                item.ids.append(m.group(3)[1:])
        elif m := (_match_end(LOCATION_LINK_BARE_END, last, "[") or _match_end(LOCATION_PLAIN_END, last, "(")):
            item.location = normalise_label(m.group(1))
            if m.re is LOCATION_LINK_BARE_END:
                item.location_url = m.group(2) or None
        else:
            break
        last = last[: m.start()].rstrip(" \t")
    lines[-1] = last
    item.text = "\n".join(lines).rstrip()
    if item.note_lines is not None:
        note = "\n".join(item.note_lines).rstrip()
        if m := _block_id_end(note):
            item.ids.append(m.group(1))
            note = note[: m.start()].rstrip()
        item.note = note


def _heading_title(raw: str) -> str:
    """A heading's text without trailing spaces or a closing ``#`` sequence."""
    title = raw.rstrip(" \t")
    unclosed = title.rstrip("#")
    if unclosed != title and (not unclosed or unclosed[-1] in " \t"):
        title = unclosed.rstrip(" \t")
    return title


def _read_header_line(line: str, header: dict[str, str]) -> None:
    """Collect ``- Key: value`` metadata (and callout ``>Key:: value``) before the highlights."""
    found = META_ITEM.match(line)
    if not found:
        return
    name = META_KEYS.get(found.group(1).strip().lower())
    value = found.group(2).strip()
    if name and value and name not in header:
        header[name] = value


def _plain(value: object) -> str | None:
    """A metadata value as display text: wikilinks unwrapped, lists flattened."""
    if value is None:
        return None
    if isinstance(value, list):
        parts = [p for p in (_plain(v) for v in value) if p]
        return ", ".join(parts) or None
    if isinstance(value, dict):
        return None
    text = str(value).strip()
    text = WIKILINK_TAG.sub(lambda m: m.group(1), text)
    return text or None


def _category(value: object) -> str | None:
    text = _plain(value)
    if not text:
        return None
    text = text.lstrip("#").strip()
    return text.rsplit("/", 1)[-1].lower() or None


def _folder_category(path: str) -> str | None:
    for part in reversed(path.split("/")[:-1]):
        if found := CATEGORY_FOLDERS.get(part.lower()):
            return found
    return None


def decode(data: bytes) -> tuple[str, list[tuple[int, str]]]:
    """Bytes of a note as text with '\\n' line ends, plus warnings (line, message).

    Invalid UTF-8 is replaced (U+FFFD) and NUL bytes dropped, each with a warning,
    so one bad byte never costs the file its highlights.
    """
    warnings: list[tuple[int, str]] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\r" in data:  # before anything counts lines (safe on UTF-8 bytes)
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        nul_count = data.count(b"\x00")
        warnings.append((line, f"{nul_count} NUL byte(s) removed"))
        data = data.replace(b"\x00", b"")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        warnings.append((line, f"not valid UTF-8 (byte {error.start}); undecodable bytes shown as \ufffd"))
        text = data.decode("utf-8", errors="replace")
    return text, warnings
