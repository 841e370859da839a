"""File and folder names that are not valid UTF-8.

On Linux a path is bytes. Python reads a name that is not UTF-8 (``café`` saved in
Latin-1 as ``caf\\xe9``) with each bad byte as a lone surrogate (``caf\\udce9``), which
opens the file again but cannot be written to SQLite, a terminal or JSON. Such a name
is stored as its bytes (a BLOB in the same column), so a re-import finds the same
row and the review app's editor finds the file; it is shown with U+FFFD (``caf�``).
"""

from __future__ import annotations

import os
import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(name: str) -> str | bytes:
    """``name`` as a database value: the text itself when it is valid UTF-8, else its
    bytes on disk (a name read by ``os`` functions, lone surrogates from bad bytes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name)
    return name


def from_stored(value: str | bytes) -> str:
    """The name ``storable`` stored, as ``os`` functions take it (surrogates for bad bytes)."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def readable(value: str | bytes) -> str:
    """A name (or text holding names) to show: every byte that is not UTF-8 becomes U+FFFD."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    try:
        on_disk = value.encode("utf-8", "surrogateescape")  # back to the bytes on disk
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return _SURROGATE.sub("\ufffd", value)
    return on_disk.decode("utf-8", "replace")
