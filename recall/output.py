"""Writing a file the user names: never onto recall's own files, never half a file.

Every command that writes a file (``export … -o``, ``db backup``, ``config init``)
goes through here:

- ``destination`` refuses, before anything is read, a target that is the
  database, its ``-wal``, ``-shm`` or ``-journal`` file, a backup beside it
  (``*.backup.db``) or the settings file, however it is reached (another
  spelling, a symlink, a hard link); and standard output when it is one of them;
- ``write_atomically`` fills a temporary file in the target's folder, flushes it
  to disk and renames it over the target only when it is complete, so a failure
  or Ctrl+C leaves the old file (or none) and the temporary file is removed.

Devices and pipes named as the target (``-o /dev/stdout``) are written directly.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypeVar

T = TypeVar("T")


class OutputError(Exception):
    """The output cannot or must not be written; the message says why."""


class ProtectedOutput(OutputError):
    """The output would land on recall's own files (the database, its side files, a backup, the settings)."""


class OutputFailed(OutputError):
    """Writing the output failed (a full disk, a missing or read-only folder); nothing was written."""


def protected_files(database: Path, settings: bool = True) -> list[tuple[Path, str]]:
    """recall's own files that no output may replace, each with what it is.

    The database (as named and with symlinks resolved), its SQLite side files,
    backups beside it (``<name>.*.backup<suffix>``, from migrations or named so by
    hand) and, with ``settings``, the settings file. Files need not exist.
    """
    from recall.paths import config_path

    names = {database, Path(os.path.realpath(database))}
    found: list[tuple[Path, str]] = [(name, f"the database {database}") for name in names]
    for name in names:
        found += [(Path(f"{name}-wal"), f"the database's write-ahead log (beside {database})"),
                  (Path(f"{name}-shm"), f"the database's shared-memory file (beside {database})"),
                  (Path(f"{name}-journal"), f"the database's journal (beside {database})")]
        with contextlib.suppress(OSError):
            found += [(backup, f"a backup of the database {database}")
                      for backup in name.parent.glob(f"*.backup{name.suffix}")]
    if settings:
        found.append((config_path(), "the settings file"))
    return found


def _same(one: Path, other: Path) -> bool:
    """One file under two names: the same inode if both exist, else the same resolved path."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return os.path.realpath(one) == os.path.realpath(other)


def refuse_protected(target: Path, database: Path, settings: bool = True) -> None:
    """Raise ``ProtectedOutput`` if ``target`` is one of ``protected_files(database, settings)``."""
    for path, what in protected_files(database, settings):
        if _same(target, path):
            raise ProtectedOutput(f"refusing to write to {target}: it is {what}; choose another file")


def refuse_protected_stdout(database: Path) -> None:
    """Raise ``ProtectedOutput`` if standard output was redirected onto a protected file
    (``recall sources >> recall.db``); costs one ``fstat`` when it was not."""
    try:
        out = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind stdout (tests, closed)
        return
    if not stat.S_ISREG(out.st_mode):
        return
    for path, what in protected_files(database):
        with contextlib.suppress(OSError):
            if os.path.samestat(out, os.stat(path)):
                raise ProtectedOutput(f"refusing to write: standard output is {what}; redirect it to another file")


@dataclass(frozen=True)
class Destination:
    """Where a command's data goes: a checked file, or stdout when ``path`` is None."""

    path: Path | None

    def write(self, writer: Callable[[IO[str]], T]) -> T:
        """Run ``writer`` on stdout or on the file (UTF-8, ``\\n`` line ends); returns what it returns.

        Raises ``OutputFailed`` when the file cannot be written (see ``write_text``).
        """
        if self.path is None:
            return writer(sys.stdout)
        return write_text(self.path, writer)


def destination(path: Path | None, database: Path) -> Destination:
    """The checked destination for ``-o path`` (None: stdout), next to the database at ``database``.

    Call it before reading anything. Raises ``ProtectedOutput`` for a protected target.
    """
    if path is None:
        refuse_protected_stdout(database)
    else:
        refuse_protected(path, database)
    return Destination(path)


def write_text(target: Path, writer: Callable[[IO[str]], T]) -> T:
    """Run ``writer`` on a UTF-8 text stream whose text becomes ``target``; returns what it returns.

    A file gets all of it or none (see ``write_atomically``); a device or a pipe
    is written as the text comes. Raises ``OutputFailed`` on a write error.
    """
    if _special(target):
        with _reported(target, atomic=False), open(target, "w", encoding="utf-8", newline="") as out:
            return writer(out)

    def fill(temporary: Path) -> T:
        with open(temporary, "w", encoding="utf-8", newline="") as out:
            result = writer(out)
            out.flush()
            os.fsync(out.fileno())
        return result

    return write_atomically(target, fill)


def write_atomically(target: Path, fill: Callable[[Path], T]) -> T:
    """Create or replace ``target`` (symlinks followed) with a file that ``fill`` writes.

    ``fill`` gets the path of an empty temporary file in the same folder and must
    leave it complete and flushed to disk; it is then renamed over the target
    with the target's permissions (a new file gets the usual ones). On any
    failure, Ctrl+C included, the temporary file is removed and the target left
    as it was. An ``OSError`` from ``fill`` or the file system becomes
    ``OutputFailed`` "cannot write TARGET: REASON; nothing was written".
    """
    final = Path(os.path.realpath(target))
    temporary: Path | None = None
    try:
        with _reported(target):
            handle, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part")
            os.close(handle)
            temporary = Path(name)
            os.chmod(temporary, _mode_for(final))
            result = fill(temporary)
            os.replace(temporary, final)
            temporary = None
            sync_folder(final.parent)
        return result
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()


def _special(target: Path) -> bool:
    """A device, pipe or socket: written in place (there is no file to replace)."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextlib.contextmanager
def _reported(target: Path, atomic: bool = True) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        reason = error.strerror or str(error)
        tail = "; nothing was written" if atomic else ""
        raise OutputFailed(f"cannot write {target}: {reason}{tail}") from error


def _mode_for(target: Path) -> int:
    """The permissions ``target`` has, or those a new file gets under the current umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename, a new file's name) to disk where the platform allows
    it; a platform or file system that cannot is left as it is (no error)."""
    with contextlib.suppress(OSError, AttributeError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
