"""What it means when the disk or the file refuses a database write, in one line.

SQLite reports a full disk as ``SQLITE_FULL`` or, when the write-ahead log or its
index cannot grow, as a bare "disk I/O error"; a read-only file or folder as
``SQLITE_READONLY`` or ``SQLITE_CANTOPEN``. Each becomes a sentence that says what
happened and that nothing was lost: every write is one transaction, so the change
that failed was rolled back and everything saved before it is intact.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

NOTHING_LOST = "nothing was lost (the change that failed was not saved; everything before it is intact)"
LOW_SPACE_BYTES = 1 << 20  # an I/O error with less free space than this is a full disk

_READ_ONLY = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_AUTH", "SQLITE_PERM")
_OS_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "it is on a read-only file system",
    errno.EACCES: "it or its folder is read-only (permissions)",
    errno.EPERM: "it or its folder is read-only (permissions)",
}


def storage_failure(error: BaseException, path: Path | None) -> str | None:
    """One line for ``error`` when it is the disk or the file refusing a database write
    (full, read-only, unavailable), naming ``path`` if known; None for any other error."""
    for cause in _causes(error):
        if isinstance(cause, sqlite3.Error) and (reason := _sqlite_reason(cause, path)):
            return _sentence(reason, path)
        if isinstance(cause, OSError) and cause.errno in _OS_REASONS:
            return _sentence(_OS_REASONS[cause.errno], path)
    return None


def database_failure(error: BaseException, path: Path | None) -> str | None:
    """One line for any SQLite error: the disk refusing a write (``storage_failure``),
    else a damaged or foreign file, naming ``path``; None when ``error`` is no SQLite error."""
    if message := storage_failure(error, path):
        return message
    for cause in _causes(error):
        if isinstance(cause, sqlite3.DatabaseError):
            where = f"the database {path}" if path else "the database"
            return f"cannot use {where}: {cause}; nothing was changed (`recall db check` looks for damage)"
    return None


def _sentence(reason: str, path: Path | None) -> str:
    where = f"the database {path}" if path else "the database"
    return f"cannot write to {where}: {reason}; {NOTHING_LOST}"


def _sqlite_reason(error: sqlite3.Error, path: Path | None) -> str | None:
    name = getattr(error, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL":
        return "the disk is full"
    if name.startswith(_READ_ONLY):
        return "it or its folder is read-only (check their permissions and the file system)"
    if name.startswith("SQLITE_IOERR"):
        if path is not None and _free_bytes(path) < LOW_SPACE_BYTES:
            return "the disk is full"
        return "the disk failed to read or write it (full, removed or failing)"
    return None


def _free_bytes(path: Path) -> int:
    for folder in (path.parent, *path.parents):
        try:
            return shutil.disk_usage(folder).free
        except OSError:
            continue
    return LOW_SPACE_BYTES


def _causes(error: BaseException) -> Iterator[BaseException]:
    """``error``, what SQLAlchemy wrapped (``orig``) and its chain of causes."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = getattr(current, "orig", None)
        pending.extend((current.__context__, current.__cause__, wrapped if isinstance(wrapped, BaseException) else None))
