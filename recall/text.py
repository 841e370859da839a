"""Showing vault text exactly as written, in any front-end.

Highlight, note and source text is data, never markup, and its control
characters are made visible before it reaches a terminal: an ANSI escape such as
``\\x1b[31m`` shows as ``␛[31m`` instead of being executed.
"""

from __future__ import annotations

import re

_NEWLINES = re.compile(r"\r\n?")


def _visible(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␀ … ␟ (␛ for ESC)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}"  # C1 controls have no picture


_TABLE = {code: _visible(code) for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if code not in (0x09, 0x0A)}


def visible(text: str | None) -> str:
    """``text`` with line ends normalised and every other control character shown as a visible sign."""
    if not text:
        return ""
    return _NEWLINES.sub("\n", text).translate(_TABLE)


def one_line(text: str | None) -> str:
    """Vault text folded onto one line (titles, tags, listings)."""
    return " ".join(visible(text).split())
