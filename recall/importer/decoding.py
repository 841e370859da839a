"""Bytes of a note as text: byte-order marks, line ends, NULs and bad bytes.

A UTF-8, UTF-16 or UTF-32 byte-order mark says how the file is encoded, and the file
is decoded by it, so a note saved as "Unicode" on Windows reads exactly like its UTF-8
twin. Without one, the file is UTF-8; bytes that are not are replaced (U+FFFD) with a
warning naming the line, so one bad byte never costs the file its highlights.
"""

from __future__ import annotations

import codecs

MAX_FILE_BYTES = 8 * 1024 * 1024
BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def size_refusal(size: int) -> str | None:
    """Why a note of ``size`` bytes is not read (over ``MAX_FILE_BYTES``), or None."""
    if size <= MAX_FILE_BYTES:
        return None
    return f"{size / 1e6:.1f} MB is too large for a highlight note (limit {MAX_FILE_BYTES // 2**20} MiB)"


def decode(data: bytes) -> tuple[str, list[tuple[int, str]]]:
    """Bytes of a note as text with '\\n' line ends, plus warnings (1-based line, message).

    Invalid bytes are replaced (U+FFFD) and NUL characters dropped, each with a warning.
    """
    warnings: list[tuple[int, str]] = []
    encoding = "utf-8"
    for bom, name in BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    if encoding != "utf-8":
        text = data.decode(encoding, errors="replace")
        if "\ufffd" in text:
            line = text.count("\n", 0, text.index("\ufffd")) + 1
            warnings.append((line, f"not valid {encoding.upper()}; undecodable bytes shown as \ufffd"))
        return _tidy(text, warnings), warnings
    if b"\x00" in data:  # first, so that "\r\x00\n" is one line end, as it reads without the NUL
        line = _line_ends(data[: data.index(b"\x00")]).count(b"\n") + 1
        nul_count = data.count(b"\x00")
        warnings.append((line, f"{nul_count} NUL byte(s) removed"))
        data = data.replace(b"\x00", b"")
    data = _line_ends(data)  # before anything counts lines (safe on UTF-8 bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        warnings.append((line, f"not valid UTF-8 (byte {error.start}); undecodable bytes shown as \ufffd"))
        text = data.decode("utf-8", errors="replace")
    return text, warnings


def _line_ends(data: bytes) -> bytes:
    """UTF-8 bytes with CRLF and lone CR line ends as LF."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in data else data


def _tidy(text: str, warnings: list[tuple[int, str]]) -> str:
    """Decoded text with '\\n' line ends and without NUL characters (warned about)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        warnings.append((line, f"{text.count(chr(0))} NUL character(s) removed"))
        text = text.replace("\x00", "")
    return text
