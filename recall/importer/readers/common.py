"""Line shapes every reader meets: chapter headings, separators and what the user
adds between highlights (callouts, footnotes, comments, code fences, bare links)."""

from __future__ import annotations

import re

from recall.importer.note import CHAPTER, SEPARATOR, YOURS, Collector

HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(.*)$")
SEPARATOR_LINE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$")
BULLET = re.compile(r"^(?:[-*+]|(?P<number>\d{1,3}[.)]))(?:[ \t]|$)")  # "- ", "* ", "+ ", "1. ", "2) "
COLUMN0_BLOCK_ID = re.compile(r"^\^(rwID-\d+|rw\d+(?:-note)?)\s*$")
# A line of only links, footnote references and tags: the user's own cross-references.
USER_LINKS = re.compile(r"^[ \t]*(?:(?:\[\[[^\[\]]*\]\]|\[\^[^\[\]]*\]|#[^\s#\[\]()]+|\[[^\[\]]*\]\([^()\s]*\))[ \t]*)+$")
USER_LINE = re.compile(r"^(?:\[\^[^\]]+\]:|%%|<!--|> ?\[![\w-]+\])")


def heading_title(raw: str) -> str:
    """A heading's text without trailing spaces or a closing ``#`` sequence."""
    title = raw.rstrip(" \t")
    unclosed = title.rstrip("#")
    if unclosed != title and (not unclosed or unclosed[-1] in " \t"):
        title = unclosed.rstrip(" \t")
    return title


class Extras:
    """Recognises, line by line, what is not a highlight but is understood all the
    same: chapter headings, separators, the user's callouts, footnotes, comments,
    code or dataview fences and bare cross-links. Multi-line ones are followed."""

    def __init__(self, out: Collector) -> None:
        self.out = out
        self.fence: str | None = None  # the ``` or ~~~ that opened a fence
        self.in_callout = False
        self.in_comment = False

    def take(self, line: str, index: int) -> bool:
        """Mark ``line`` and return True when it is one of these."""
        stripped = line.strip()
        if self.fence is not None or self.in_comment:
            if self.fence is not None and stripped.startswith(self.fence):
                self.fence = None
            elif self.in_comment and stripped.endswith("%%"):
                self.in_comment = False
            self.out.mark(index, YOURS)
            return True
        if self.in_callout and line.startswith(">"):
            self.out.mark(index, YOURS)
            return True
        self.in_callout = False
        if line[:1] == "#" and (heading := HEADING_LINE.match(line)):
            self.out.chapter = heading_title(heading.group(2)) or None
            self.out.mark(index, CHAPTER)
            return True
        if SEPARATOR_LINE.match(line):
            self.out.mark(index, SEPARATOR)
            return True
        if stripped.startswith(("```", "~~~")):
            self.fence = stripped[:3]
            self.out.mark(index, YOURS)
            return True
        if USER_LINE.match(stripped) or USER_LINKS.match(line):
            self.in_callout = stripped.startswith(">")
            self.in_comment = stripped.startswith("%%") and not (len(stripped) > 2 and stripped.endswith("%%"))
            self.out.mark(index, YOURS)
            return True
        return False
