"""The review log on disk: this device's durable appends, every device's files read incrementally.

Layout (docs/review-log.md): ``<root>/<device id>/<YYYY-MM>.jsonl``, the month of the event's
UTC instant, one event per line, UTF-8 (ASCII in practice), ``\\n`` line ends. ``<root>`` is
``recall-log`` in the vault unless a setting moves it. A device appends only to its own
folder; it reads every ``*.jsonl`` file under the root, any name and depth (Syncthing's
``*.sync-conflict-*.jsonl``, Dropbox's "conflicted copy", iCloud's ``2026-03 2.jsonl``),
skipping dot-files and dot-folders (sync tools' temporary files).

- ``append`` writes one event as one line with one ``write`` on an ``O_APPEND`` descriptor,
  then ``fsync``s it (and the folders it had to create) before it returns; ``append_next``
  does the same with the event numbered after the file's last line (``seq``), under a lock on
  the file, so the events one device writes at one instant replay in the order written.
- ``read_log`` reads from where the last read stopped (``Cursor``: size, mtime, the byte
  offset after the last complete line); an unchanged file is not opened. Bytes after the last
  ``\\n`` are a torn line, left for a later read; it becomes a ``Problem`` only once it has
  stayed torn for ``torn_grace`` seconds. Events are returned as read, duplicates included:
  ``replay.merge`` keeps each id once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from recall.output import sync_folder
from recall.reviewlog.events import BadEvent, Event, NewerSchema, from_json

DEFAULT_FOLDER: Final = "recall-log"  # in the vault: not a dot-folder, so every sync tool carries it
SUFFIX: Final = ".jsonl"
TORN_GRACE_SECONDS: Final = 600.0  # a sync tool copying mid-append finishes well within this
CHUNK: Final = 1 << 20  # bytes read at a time
TAIL: Final = 65536  # bytes at the end of a file looked at for its last line (an event is ~500)


class LogWriteError(Exception):
    """The event could not be appended durably; the message names the file and the reason."""


def month_file(root: Path, event: Event) -> Path:
    """The file ``event`` belongs in: ``root/<device>/<YYYY-MM>.jsonl`` (UTC month of ``event.at``)."""
    if event.device in {".", ".."} or "/" in event.device or "\\" in event.device or event.device.startswith("."):
        raise LogWriteError(f"device id {event.device!r} cannot name a folder")
    return root / event.device / f"{event.at:%Y-%m}{SUFFIX}"


def append(root: Path, event: Event) -> Path:
    """Append ``event``, as it is, to its device's month file under ``root`` and flush it to disk;
    returns the file.

    When this returns, the line is complete and fsync'd: a crash or a kill after it cannot
    lose it. A torn line this device left at the end of the file (a crash mid-append, before
    its fsync, so before its database transaction could commit) is cut off first, so the new
    line starts a line. Raises ``LogWriteError`` (the caller must then not commit the change).
    """
    return _append(root, event, numbered=False)[0]


def append_next(root: Path, event: Event) -> Event:
    """``append`` with ``event`` numbered (``seq``) one after the highest number among its file's
    last lines (``TAIL`` bytes; 1 in a new file or after lines without one); returns the event
    as written. The file is locked (``flock``, where there is one) from reading that number to
    the fsync, so two processes of one device never take one number or cut each other's line.
    Raises ``LogWriteError``, and ``ValueError`` for an event that already has a number."""
    if event.seq is not None:
        raise ValueError(f"event {event.id} is numbered already ({event.seq})")
    return _append(root, event, numbered=True)[1]


def _append(root: Path, event: Event, numbered: bool) -> tuple[Path, Event]:
    path = month_file(root, event)
    return path, _write(path, [event], numbered)[0]


def _write(path: Path, events: Sequence[Event], numbered: bool) -> list[Event]:
    """Append ``events`` to ``path`` in one write (continued on a short write) and fsync it, under
    the file's lock, a torn tail cut off first; ``numbered``: each without a ``seq`` takes the next.
    Returns the events as written; ``LogWriteError`` otherwise."""
    try:
        created = _make_folders(path.parent)
        existed = path.exists()
        handle = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
        try:
            _lock(handle)
            _cut_torn_tail(handle)
            if numbered:  # an event numbered already (the history migration's) keeps its number
                after = _last_seq(handle)
                events = [event if event.seq else replace(event, seq=(after := after + 1)) for event in events]
            lines = "".join(event.to_json() + "\n" for event in events).encode("ascii")
            written = 0
            while written < len(lines):  # one write in practice; a short write is continued
                written += os.write(handle, lines[written:])
            os.fsync(handle)
        finally:
            os.close(handle)  # and the lock with it
        for folder in ([path.parent] if not existed else []) + created:
            sync_folder(folder)
    except OSError as error:
        raise LogWriteError(f"cannot append to the review log {path}: {error.strerror or error}") from error
    return list(events)


def _lock(handle: int) -> None:
    """Hold an exclusive lock on the open file until it is closed (POSIX ``flock``; elsewhere the
    database's write lock alone keeps one device's appends apart)."""
    try:
        import fcntl
    except ImportError:  # Windows
        return
    fcntl.flock(handle, fcntl.LOCK_EX)


def _last_seq(handle: int) -> int:
    """The highest ``seq`` among the complete lines in the file's last ``TAIL`` bytes (0: none).
    A line that is not JSON or has no number counts as none: only damage or an older writer makes one."""
    size = os.fstat(handle).st_size
    block = _read_at(handle, max(0, size - TAIL), min(size, TAIL))
    highest = 0
    for raw in block.split(b"\n")[1 if size > TAIL else 0:]:  # the first may be cut: skip it
        with contextlib.suppress(ValueError, RecursionError):
            value = json.loads(raw) if raw.strip() else None
            seq = value.get("seq") if isinstance(value, dict) else None
            if isinstance(seq, int) and not isinstance(seq, bool):
                highest = max(highest, seq)
    return highest


def append_all(root: Path, device: str, events: Sequence[Event]) -> list[Event]:
    """Append ``events`` (any device field: the history migration writes events that are the same
    on every device) to this ``device``'s month files under ``root``, in the order given, those
    without a ``seq`` numbered after each file's last, one write and one fsync per file
    (``append_next``'s lock); returns them as written. Raises ``LogWriteError``."""
    months: dict[str, list[Event]] = {}
    for event in events:
        months.setdefault(f"{event.at:%Y-%m}", []).append(event)
    written: list[Event] = []
    for month, group in months.items():
        written += _write(month_file(root, replace(group[0], device=device)).with_name(f"{month}{SUFFIX}"), group, True)
    return written


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; returns the parents of those created (to fsync)."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    folder.mkdir(parents=True, exist_ok=True)
    return [made.parent for made in missing]


def _cut_torn_tail(handle: int) -> None:
    """Truncate the file after its last ``\\n`` if it does not end with one."""
    size = os.fstat(handle).st_size
    if size == 0 or _read_at(handle, size - 1, 1) == b"\n":
        return
    end = size
    while end > 0:
        start = max(0, end - 65536)
        block = _read_at(handle, start, end - start)
        newline = block.rfind(b"\n")
        if newline >= 0:
            os.ftruncate(handle, start + newline + 1)
            return
        end = start
    os.ftruncate(handle, 0)


def _read_at(handle: int, start: int, length: int) -> bytes:
    """``length`` bytes from ``start`` (an ``O_APPEND`` descriptor still writes at the end)."""
    os.lseek(handle, start, os.SEEK_SET)
    return os.read(handle, length)


@dataclass(frozen=True, slots=True)
class Cursor:
    """How far one log file has been read: its ``size`` (bytes) and ``mtime_ns`` then, ``offset``
    (bytes: the end of the last complete line read), ``lines`` (complete lines before ``offset``,
    for naming lines), ``last_line`` (a digest of the line ending at ``offset``, to notice a file
    replaced under the same name), and the torn tail after ``offset``: its length in bytes and
    when (``time.time()`` seconds) it was first seen with that length."""

    size: int = 0
    mtime_ns: int = 0
    offset: int = 0
    lines: int = 0
    last_line: str = ""
    torn: int = 0
    torn_since: float | None = None

    def to_json(self) -> dict[str, Any]:
        """For storing between runs (the database's log-files table, later)."""
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Cursor:
        return cls(**{name: value[name] for name in cls.__slots__ if name in value})


@dataclass(frozen=True, slots=True)
class Located:
    """An event and where it was read: ``file`` (relative to the root, ``/``-separated) and ``line`` (1-based)."""

    event: Event
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the log that was not read: ``file`` relative to the root, ``line`` (1-based;
    for a torn tail, the line it would be), ``reason``; ``newer`` for a line of a later schema."""

    file: str
    line: int
    reason: str
    newer: bool = False

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class LogRead:
    """What one ``read_log`` found: the new events in file order, the cursors to keep for next
    time (every file still there), and the problems (bad lines, newer lines, lasting torn tails)."""

    events: list[Located] = field(default_factory=list)
    cursors: dict[str, Cursor] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
    files_unchanged: int = 0


def log_files(root: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Every ``*.jsonl`` file under ``root`` (relative ``/``-separated name, stat), sorted by name;
    dot-files and dot-folders are skipped, symlinks are not followed."""
    found: list[tuple[str, os.stat_result]] = []
    for folder, folders, files in os.walk(root, followlinks=False):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            if name.startswith(".") or not name.endswith(SUFFIX):
                continue
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                info = os.stat(path, follow_symlinks=False)
                if not os.path.islink(path) and info.st_size >= 0:
                    found.append((Path(path).relative_to(root).as_posix(), info))
    yield from sorted(found, key=lambda item: item[0])


def read_log(
    root: Path, cursors: Mapping[str, Cursor], *, now: float | None = None, torn_grace: float = TORN_GRACE_SECONDS
) -> LogRead:
    """Read what is new in every log file under ``root`` since ``cursors`` (from the last ``LogRead``).

    A file whose size and mtime are unchanged is not opened. A file that shrank, or whose line
    before the cursor is no longer the one read (replaced by sync), is read again from the start
    (the events it repeats are duplicates, which the merge drops). A missing root is an empty log.
    ``now`` (``time.time()`` seconds) only times torn tails.
    """
    now = time.time() if now is None else now
    result = LogRead()
    if not root.is_dir():
        return result
    for name, info in log_files(root):
        cursor = cursors.get(name, Cursor())
        if (info.st_size, info.st_mtime_ns) == (cursor.size, cursor.mtime_ns):
            result.files_unchanged += 1
            result.cursors[name] = cursor
            _torn_problem(name, cursor, now, torn_grace, result)
            continue
        try:
            cursor = _read_file(root / name, name, cursor, info, now, result)
        except OSError as error:
            result.problems.append(Problem(name, cursor.lines + 1, f"cannot read: {error.strerror or error}"))
            continue
        result.files_read += 1
        result.cursors[name] = cursor
        _torn_problem(name, cursor, now, torn_grace, result)
    return result


def unusable_root(root: Path) -> str | None:
    """Why the log folder ``root`` can be neither read nor written (something else has its name),
    or None: a root that does not exist yet is fine (the first append makes it)."""
    if os.path.lexists(root) and not root.is_dir():
        return f"{root}: not a folder, so the review log cannot be read or written there; move it away"
    return None


def lasting_torn_tails(
    read: LogRead, earlier: Mapping[str, Cursor], now: float, grace: float = TORN_GRACE_SECONDS
) -> list[Problem]:
    """For a ``read`` from the start (no cursors, as ``recall db check`` reads): the torn tails that
    the ``earlier`` cursors (those the catch-up stored) already saw, at the same place and length,
    for over ``grace`` seconds by ``now`` (``time.time()`` seconds), as ``read_log`` names them."""
    found = LogRead()
    for name, cursor in read.cursors.items():
        before = earlier.get(name)
        if cursor.torn and before is not None and (before.offset, before.torn) == (cursor.offset, cursor.torn):
            _torn_problem(name, replace(cursor, torn_since=before.torn_since), now, grace, found)
    return found.problems


def _torn_problem(name: str, cursor: Cursor, now: float, grace: float, result: LogRead) -> None:
    if cursor.torn and cursor.torn_since is not None and now - cursor.torn_since >= grace:
        result.problems.append(Problem(
            name, cursor.lines + 1, f"an incomplete last line ({cursor.torn} bytes) for over {int(grace)} s; not read",
        ))


def _digest(line: bytes) -> str:
    return hashlib.blake2b(line, digest_size=12).hexdigest()


def _read_file(path: Path, name: str, cursor: Cursor, info: os.stat_result, now: float, result: LogRead) -> Cursor:
    with open(path, "rb") as handle:
        if not _still_continues(handle, cursor, info.st_size):
            cursor = Cursor()
        handle.seek(cursor.offset)
        offset, lines, last_line = cursor.offset, cursor.lines, cursor.last_line
        pending = b""
        while chunk := handle.read(CHUNK):
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for raw in complete:
                lines += 1
                stop = _take(raw, name, lines, result)
                if stop:  # a newer schema: stay before this line (mtime 0: look again every time)
                    return Cursor(info.st_size, 0, offset, lines - 1, last_line, 0, None)
                offset += len(raw) + 1
                last_line = _digest(raw)
        size = offset + len(pending)  # what was actually there, even if the file grew meanwhile
    torn = len(pending)
    torn_since = None
    if torn:
        torn_since = cursor.torn_since if (cursor.torn == torn and cursor.offset == offset) else now
    mtime = info.st_mtime_ns if size == info.st_size else 0  # grew while read: look again next time
    return Cursor(size, mtime, offset, lines, last_line, torn, torn_since)


def _still_continues(handle: Any, cursor: Cursor, size: int) -> bool:
    """Is the file still the one the cursor read: at least as long, with the same line before the offset?"""
    if cursor.offset == 0:
        return True
    if size < cursor.offset:
        return False
    start = max(0, cursor.offset - 65536)
    handle.seek(start)
    block = handle.read(cursor.offset - start)
    if not block.endswith(b"\n"):
        return False
    previous = block[:-1].rsplit(b"\n", 1)[-1]
    return _digest(previous) == cursor.last_line


def _take(raw: bytes, name: str, line: int, result: LogRead) -> bool:
    """Parse one complete line into ``result``; True when it is of a newer schema (reading stops)."""
    text = raw.removesuffix(b"\r")
    if not text.strip():
        return False  # blank lines are harmless (an editor's trailing newline)
    try:
        event = from_json(text, f"{name}:{line}")
    except NewerSchema as error:
        result.problems.append(Problem(name, line, error.reason, newer=True))
        return True
    except BadEvent as error:
        result.problems.append(Problem(name, line, error.reason))
        return False
    result.events.append(Located(event, name, line))
    return False
