"""Fitting text into terminal columns, measured in cells (display width), never in characters.

A CJK character or an emoji takes two cells, a combining mark or a zero width joiner none;
``rich.cells`` knows which, and cuts only between graphemes (an emoji sequence stays whole).
Text is cut with ``…``: at the end (``cut_end``) or in the middle (``cut_middle``, for titles
that often differ only at their end: volume numbers, editions, subtitles).

Imported only by the commands that print tables (it loads ``rich.cells``).
"""

from __future__ import annotations

import shutil

from rich.cells import cell_len, split_graphemes

ELLIPSIS = "…"
DEFAULT_WIDTH = 80


def terminal_width() -> int:
    """The width stdout is shown in, in cells: ``$COLUMNS``, else the terminal's, else 80."""
    return max(20, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def width(text: str) -> int:
    """How many cells ``text`` takes on a terminal."""
    return cell_len(text)


def _head(text: str, cells: int) -> str:
    """The longest start of ``text`` (whole graphemes) that takes at most ``cells`` cells."""
    spans, _ = split_graphemes(text)
    used, end = 0, 0
    for _start, stop, size in spans:
        if used + size > cells:
            break
        used, end = used + size, stop
    return text[:end]


def _tail(text: str, cells: int) -> str:
    """The longest end of ``text`` (whole graphemes) that takes at most ``cells`` cells."""
    spans, _ = split_graphemes(text)
    used, begin = 0, len(text)
    for start, _stop, size in reversed(spans):
        if used + size > cells:
            break
        used, begin = used + size, start
    return text[begin:]


def cut_end(text: str, cells: int) -> str:
    """``text`` if it fits in ``cells`` cells, else its start and ``…`` in at most ``cells`` cells."""
    if cell_len(text) <= cells:
        return text
    if cells <= 0:
        return ""
    return _head(text, cells - 1) + ELLIPSIS


def cut_start(text: str, cells: int) -> str:
    """``text`` if it fits in ``cells`` cells, else ``…`` and its end in at most ``cells`` cells."""
    if cell_len(text) <= cells:
        return text
    if cells <= 0:
        return ""
    return ELLIPSIS + _tail(text, cells - 1)


def cut_middle(text: str, cells: int) -> str:
    """``text`` if it fits in ``cells`` cells, else its start, ``…`` and its end (the end gets the
    smaller half) in at most ``cells`` cells: ``Vol. 1`` and ``Vol. 2`` stay told apart."""
    if cell_len(text) <= cells:
        return text
    if cells <= 1:
        return ELLIPSIS[:cells]
    room = cells - 1
    tail = _tail(text, room // 2)
    head = _head(text, room - cell_len(tail))
    return head + ELLIPSIS + tail


def pad(text: str, cells: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``cells`` cells (on the left when ``right``-aligned)."""
    fill = " " * max(0, cells - cell_len(text))
    return fill + text if right else text + fill


def share(available: int, wanted: list[int], minimum: int = 6) -> list[int]:
    """Widths for text columns that together fit ``available`` cells: each its ``wanted``
    width when all fit, else the widest cut first, none below ``minimum`` (or its wanted width)."""
    widths = list(wanted)
    while sum(widths) > available:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= minimum:
            break
        widths[widest] -= 1
    return widths
