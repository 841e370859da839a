"""Zotero annotations: the Zotero Integration plugin's ``*« text »*([P](zotero://…))``
quotes, where a comment is whatever stands between one quote and the next (templates
often put it on the next quote's line), and Zotero's own "Add note from annotations"
paragraphs: ``[Go to annotation](zotero://open-pdf/…) "text" ([Author, 2015, p. 12](
zotero://select/…)) comment``."""

from __future__ import annotations

import bisect
import re

from recall.importer.fields import RawHighlight, location_of
from recall.importer.note import METADATA, NOTE, TEXT, Collector
from recall.importer.readers.common import Extras

NAME = "Zotero annotations"
# The text may hold « » but never runs past the next "*«", so an unclosed quote costs one
# scan up to the next quote, not one to the end per quote.
QUOTE = re.compile(
    r"\*«[ \t]*(?P<text>(?:[^»*]|»(?!\*)|\*(?!«))*?)[ \t]*»\*[ \t]*\(\[(?P<label>[^\[\]]*)\]\((?P<url>[^()\s]*)\)\)"
)
ANNOTATION = re.compile(
    r"^(?:\[[^\]]*\]\((?P<url>zotero://open-pdf/[^()\s]*)\)[ \t]*)?[\"“](?P<text>.*)[\"”][ \t]*"
    r"\(\[(?P<cite>[^\[\]\n]{0,300})\]\(zotero://select/[^()\s]*\)\)[ \t]*(?P<comment>.*)$",
    re.DOTALL,
)
CITED_PAGE = re.compile(r"\bp+\.[ \t]*([\w-]+)\s*$")
DATE_LINE = re.compile(r"^\([\d/.\- :APMapm]+\)\s*$")
COMMENT_MARKS = " \t>\n"
USERS_OWN = re.compile(r"\n(?=#{1,6}[ \t]|%%|> ?\[!)")  # where a comment gives way to the user's own lines


def recognise(lines: list[str], start: int, end: int) -> int:
    """How many lines of the region hold a Zotero annotation (a quote with its page link)."""
    return sum(1 for i in range(start, end) if _annotation_line(lines[i]))


def first_item(lines: list[str], start: int, end: int) -> int | None:
    """The first line with a Zotero annotation, for notes without a heading."""
    return next((i for i in range(start, end) if _annotation_line(lines[i])), None)


def _annotation_line(line: str) -> bool:
    return "](zotero://" in line and ("\u00bb*" in line or "](zotero://open-pdf/" in line or "](zotero://select/" in line)


def read(lines: list[str], start: int, end: int, out: Collector) -> None:
    """Read the Zotero annotations of ``lines[start:end]`` into ``out``."""
    region = lines[start:end]
    if any("«" in line for line in region):
        _read_quotes(region, start, out)
    else:
        _read_annotations(region, start, out)


def _read_quotes(region: list[str], start: int, out: Collector) -> None:
    text = "\n".join(region)
    line_starts = [0]
    for line in region[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)

    def line_of(offset: int) -> int:
        return start + bisect.bisect_right(line_starts, offset) - 1

    quotes = list(QUOTE.finditer(text))
    for n, quote in enumerate(quotes):
        first, last = line_of(quote.start()), line_of(quote.end() - 1)
        item = RawHighlight(first, quote.group("text").split("\n"), [(i, TEXT) for i in range(first, last + 1)])
        item.location = location_of(quote.group("label"), quote.group("url"))
        item.location_url = quote.group("url") or None
        comment_end = quotes[n + 1].start() if n + 1 < len(quotes) else len(text)
        if users := USERS_OWN.search(text, quote.end(), comment_end):
            comment_end = users.start()  # a heading, comment or callout of the user's ends the comment
            extras = Extras(out)
            for i in range(line_of(comment_end + 1), line_of(quotes[n + 1].start()) if n + 1 < len(quotes) else start + len(region)):
                extras.take(region[i - start], i)
        comment = text[quote.end() : comment_end].strip(COMMENT_MARKS)
        if comment:
            item.note_lines = [comment]
            at = text.index(comment, quote.end())
            item.lines.extend((i, NOTE) for i in range(line_of(at), line_of(at + len(comment) - 1) + 1) if i > last)
        out.emit(item)
    for i in range(start, line_of(quotes[0].start()) if quotes else start):
        if region[i - start].strip():
            out.mark(i, METADATA)  # the bibliography and whatever else precedes the first quote


def _read_annotations(region: list[str], start: int, out: Collector) -> None:
    extras = Extras(out)
    paragraph: list[int] = []
    for i in range(start, start + len(region) + 1):
        line = region[i - start] if i < start + len(region) else ""
        if line.strip():
            paragraph.append(i)
            continue
        if paragraph:
            _annotation(paragraph, region, start, out, extras)
            paragraph = []


def _annotation(paragraph: list[int], region: list[str], start: int, out: Collector, extras: Extras) -> None:
    joined = "\n".join(region[i - start] for i in paragraph)
    found = ANNOTATION.match(joined)
    if found is None:
        for i in paragraph:
            line = region[i - start]
            if DATE_LINE.match(line):
                out.mark(i, METADATA)
            else:
                extras.take(line, i)
        return
    item = RawHighlight(paragraph[0], found.group("text").split("\n"), [(i, TEXT) for i in paragraph])
    page = CITED_PAGE.search(found.group("cite"))
    item.location = f"Page {page.group(1)}" if page else None
    item.location_url = found.group("url")
    if item.location is None and item.location_url:
        item.location = location_of(_page_param(item.location_url), item.location_url)
    if found.group("comment").strip():
        item.note_lines = [found.group("comment").strip()]
    out.emit(item)


def _page_param(url: str) -> str:
    found = re.search(r"[?&]page=(\w+)", url)
    return found.group(1) if found else ""
