"""Showing vault text exactly as written, in any front-end, and writing it as JSON.

Highlight, note and source text (and file names) is data, never markup. Before
it reaches a terminal, every character that would act instead of show is made
visible:

- C0 controls and DEL as the Unicode control pictures (``\\x1b[31m`` shows as
  ``␛[31m``), except tab and line ends;
- C1 controls (U+0080–U+009F: ``\\x9b`` is a CSI on some terminals), bidi
  controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069: they reorder
  what follows) and invisible characters (U+200B zero width space, U+2060 word
  joiner, U+FEFF zero width no-break space) as ``<U+202E>``.

Zero width (non-)joiners (U+200C, U+200D) and the soft hyphen (U+00AD) stay as
they are: Persian and Indic words and emoji sequences are written with them, and
none of them can move or hide other text.

JSON is data too, and stays exact: ``json_text`` writes the same characters as
``\\u`` escapes, which every JSON reader decodes back to the original text.
"""

from __future__ import annotations

import json
import re

_NEWLINES = re.compile(r"\r\n?")

BIDI_CONTROLS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""ALM, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI."""
INVISIBLES = (0x200B, 0x2060, 0xFEFF)
"""Zero width space, word joiner, zero width no-break space (the byte-order mark)."""
C1_CONTROLS = tuple(range(0x80, 0xA0))


def _picture(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␀ … ␟ (␛ for ESC)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"  # no picture: its code point


_SHOWN = {code: _picture(code) for code in [*range(0x20), 0x7F, *C1_CONTROLS, *BIDI_CONTROLS, *INVISIBLES]
          if code not in (0x09, 0x0A)}
_ESCAPED = {code: f"\\u{code:04x}" for code in [*C1_CONTROLS, *BIDI_CONTROLS, *INVISIBLES]}


def visible(text: str | None) -> str:
    """``text`` with line ends normalised to ``\\n`` and every control, bidi or invisible character shown.

    Tabs and line ends are kept; ``None`` gives ``""``.
    """
    if not text:
        return ""
    return _NEWLINES.sub("\n", text).translate(_SHOWN)


def one_line(text: str | None) -> str:
    """Vault text folded onto one line (titles, tags, listings, messages), shown as ``visible`` does."""
    return " ".join(visible(text).split())


def json_text(value: object, indent: int | None = None) -> str:
    """``value`` as JSON text that is safe on a terminal and decodes to exactly ``value``.

    Non-ASCII text is written as itself, except the characters ``visible`` shows
    specially, which are written as ``\\u`` escapes (JSON escapes C0 controls
    itself). Raises ``TypeError`` for values JSON cannot hold.
    """
    return json.dumps(value, ensure_ascii=False, indent=indent).translate(_ESCAPED)
