"""Inline Markdown as the plain text it reads as, for one-line listings (`recall due`, `recall search`).

``**bold**``, ``__bold__``, ``*em*``, ``_em_``, ``~~struck~~``, ``==marked==`` and
`` `code` `` lose their marks; links ``[text](url)`` and images ``![alt](url)`` become their
text; Obsidian links ``[[Page]]`` and ``[[Page|alias]]`` become ``Page`` and ``alias``;
a backslash escape (``\\*``) becomes the character. Everything else is left exactly as
written, ``[bold]`` and escape sequences included (``recall.text`` shows those).

A handful of regular expressions rather than markdown-it (which the review card uses):
importing markdown-it costs ``recall due`` about 0.1 s, more than the listing itself, and a
one-line snippet needs no block structure. Emphasis marks only count around text that
starts and ends with a non-space, and ``_`` only at word edges, so ``2 * 3 * 4`` and
``snake_case_name`` stay as they are.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation
_PROTECTED = "\ue002"  # stands for an escaped character while the marks are taken away
_IMAGE_OR_LINK = re.compile(r"!?\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)")
_WIKILINK = re.compile(r"!?\[\[([^\]|\n]+)(?:\|([^\]\n]+))?\]\]")
_CODE = re.compile(r"(`+)(?=\S)(.+?)(?<=\S)\1")
_PAIRS = [
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
    re.compile(r"==(?=\S)(.+?)(?<=\S)=="),
    re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])"),
    re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"),
]


def plain_text(markdown: str | None) -> str:
    """``markdown`` (inline Markdown, any length) as plain text: marks removed, links as their
    text (see the module docstring); ``None`` gives ``""``. Line ends are kept."""
    if not markdown:
        return ""
    escaped: list[str] = []

    def protect(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return _PROTECTED

    text = _ESCAPE.sub(protect, markdown.replace(_PROTECTED, ""))
    codes: list[str] = []

    def keep_code(match: re.Match[str]) -> str:  # code is literal: no marks are read inside it
        codes.append(match.group(2))
        return "\ue003"

    text = _CODE.sub(keep_code, text)
    text = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _IMAGE_OR_LINK.sub(lambda m: m.group(1), text)
    for pattern in _PAIRS:
        previous = None
        while previous != text:  # nested marks: ***both***, **_this_**
            previous, text = text, pattern.sub(r"\1", text)
    code_pieces, escape_pieces = iter(codes), iter(escaped)
    text = re.sub("\ue003", lambda _: next(code_pieces), text)
    return re.sub(_PROTECTED, lambda _: next(escape_pieces), text)
