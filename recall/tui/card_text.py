"""A highlight's (or a note's) text as the Markdown the card renders, and the links in it.

No Textual here: these are plain functions of text, unit-tested on their own.

A highlight is prose somebody marked in a book, not a Markdown document. The card
shows it as Obsidian shows a note's paragraph:

- every line break is kept (a poem, steps, dialogue keep their lines); a blank line
  separates paragraphs;
- nothing makes a block: a line that starts with ``2)``, ``+ ``, ``- ``, ``1984.``,
  ``#``, ``>``, ``|``, ``---``, ``===`` or a code fence shows those characters as
  written, never as a list, heading, quote, rule, table or code block. Code fences
  are not kept either (decided: a fence in a highlight is text that was highlighted,
  and a card has no room for a code block); its backticks show as typed;
- inline formatting is rendered: bold, italics, strikethrough, inline code, links
  (and bare URLs);
- control, bidi and invisible characters show as symbols (``recall.text.visible``);
- an emoji variation selector (U+FE0F) after a character that is one cell wide without it
  (☁️, ⚙️, ❤️) is dropped (``steady_width``): terminals disagree on those sequences' width
  (tmux 3.3 draws ☁️ in one cell, Rich counts two), which broke the card's border; ☁ is one
  cell everywhere;
  raw HTML shows as typed (the parser has HTML off), and Textual markup such as
  ``[bold]`` is not markup here at all.

Two layers keep blocks out: ``card_markdown`` escapes every line start that could
open one (it holds even under a full GFM parser), and ``markdown_parser`` (the one
the card uses) has no block rule but the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.cells import cell_len

from recall.text import visible

BLOCK_RULES_OFF = ("table", "code", "fence", "blockquote", "hr", "list", "reference", "html_block", "heading", "lheading")
"""Every block rule of the "gfm-like" preset but the paragraph."""

_ALWAYS_ESCAPED = frozenset("#>+-|:")
"""Characters that open a block at a line's start and mean nothing inline: escaping them never changes the text."""
_ORDERED = re.compile(r"(\d{1,9})([.)])")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_ONLY_RULE_CHARACTERS = re.compile(r"[-*_=\s]+")
_REFERENCE = re.compile(r"\[(?:[^\\\]]|\\.)*\]:", re.DOTALL)
_HARD_BREAK = "  \n"


_PRESENTED = re.compile(r"(.)\ufe0f", re.DOTALL)


def steady_width(text: str) -> str:
    """``text`` without the emoji variation selector after a one-cell character (☁️ → ☁): the same width
    in Rich and in every terminal. Wide emoji (👍, 📝) and their sequences are left as they are."""
    if "\ufe0f" not in text:
        return text
    return _PRESENTED.sub(lambda m: m.group(1) if cell_len(m.group(1)) == 1 else m.group(0), text)


def markdown_parser() -> MarkdownIt:
    """The card's parser: inline Markdown (emphasis, strikethrough, code, links, bare URLs) in paragraphs,
    raw HTML shown as text, and no other block at all."""
    return MarkdownIt("gfm-like", {"html": False}).disable(list(BLOCK_RULES_OFF))


def card_markdown(text: str | None) -> str:
    """``text`` (a highlight or a note, as imported) as the Markdown the card renders: see the module."""
    paragraphs: list[list[str]] = [[]]
    for raw in steady_width(visible(text)).split("\n"):
        line = raw.strip(" \t")
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join(_paragraph(lines) for lines in paragraphs if lines)


def _paragraph(lines: list[str]) -> str:
    escaped = [_escape_line_start(line) for line in lines]
    if lines[0].startswith("[") and _REFERENCE.match("\n".join(lines)):
        escaped[0] = "\\" + escaped[0]  # "[label]: url" would define a link and vanish
    return _HARD_BREAK.join(escaped)


def _escape_line_start(line: str) -> str:
    """``line`` (not blank, not indented) with whatever could open a block at its start escaped."""
    first = line[0]
    if fence := _FENCE.match(line):
        run = fence.group(1)
        return "".join("\\" + c for c in run) + line[len(run):]
    if first in _ALWAYS_ESCAPED:
        return "\\" + line
    if _ONLY_RULE_CHARACTERS.fullmatch(line):  # ***, ___, ===: a rule or a heading's underline
        return "\\" + line
    if first in "*_" and (len(line) == 1 or line[1] in " \t"):  # "* item"
        return "\\" + line
    if ordered := _ORDERED.match(line):
        return ordered.group(1) + "\\" + line[ordered.end(1):]
    return line


@dataclass(frozen=True)
class CardLink:
    """A link written in a highlight or a note: its text as shown, and where it goes."""

    label: str
    url: str


def card_links(*texts: str | None) -> list[CardLink]:
    """The links in ``texts`` as the card renders them (``[text](url)``, ``<url>``, bare URLs, images),
    in order, each URL once."""
    parser = markdown_parser()
    links: list[CardLink] = []
    seen: set[str] = set()
    for text in texts:
        for block in parser.parse(card_markdown(text)):
            for link in _inline_links(block.children or []):
                if link.url not in seen:
                    seen.add(link.url)
                    links.append(link)
    return links


def _inline_links(children: list[Token]) -> list[CardLink]:
    found: list[CardLink] = []
    open_href: str | None = None
    label: list[str] = []
    for token in children:
        if token.type == "link_open":
            open_href, label = str(token.attrs.get("href", "")), []
        elif token.type == "link_close" and open_href is not None:
            found.append(CardLink(" ".join("".join(label).split()) or open_href, open_href))
            open_href = None
        elif token.type == "image":
            found.append(CardLink("image: " + (token.content or str(token.attrs.get("src", ""))),
                                  str(token.attrs.get("src", ""))))
        elif open_href is not None and token.type in ("text", "code_inline"):
            label.append(token.content)
        elif open_href is not None and token.type in ("softbreak", "hardbreak"):
            label.append(" ")
    return found
