"""Reading, hashing and parsing the files that changed: in worker processes when
there are many, so that parsing overlaps with writing to the database.

Results come back in walk order, a few windows of files at a time (one per worker),
so a large vault is streamed rather than held in memory.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
from collections.abc import Generator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from recall.fsnames import readable
from recall.importer.decoding import decode, size_refusal
from recall.importer.identity import ID_KINDS
from recall.importer.interrupt import Stopping, never, worker_signals
from recall.importer.note import NotAHighlightNote, ParsedHighlight, ParsedNote
from recall.importer.report import PARTIAL_KINDS
from recall.importer.walk import Entry
from recall.quality import measure

PARALLEL_FROM_FILES = 400  # below this, starting workers costs more than it saves
WINDOW_FILES = 500
STOP_CHECK_SECONDS = 0.1  # how often waiting for the workers looks whether to stop


# Plain tuples cross the process boundary: they pickle several times faster than objects.
SourceRow = tuple[str, str, str | None, str | None, str | None, str | None]
"""(source key, title, author, category, url, cover url)"""
HighlightRow = tuple[str, str | None, int, str, str | None, str, str | None, str | None, str | None, int, bool]
"""(key, link label, line, text, note, tags as JSON, location, location url, chapter, words, placeholder):
the last two are the text's ``recall.quality`` measure, taken here, in the workers, rather than by the
one process that writes."""


class FileKind(StrEnum):
    """What reading a file found."""

    NOTE = "note"  # a highlight note
    ORDINARY = "ordinary"  # Markdown without highlights
    SAME = "same"  # bytes unchanged since the last import
    SKIPPED = "skipped"  # unreadable: see the result's warnings


@dataclass(slots=True)
class FileResult:
    """What reading one file gave. ``warnings`` holds (kind, text) pairs, the kinds of
    ``report.GROUPS``."""

    entry: Entry
    kind: FileKind
    content_hash: str = ""
    source: SourceRow | None = None
    highlights: list[HighlightRow] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def unresolved(self) -> bool:
        """Something in the file was not imported: read it again at every import, so
        that its warning is repeated until the note (or recall) changes."""
        return any(kind in PARTIAL_KINDS for kind, _ in self.warnings)


def read_file(root: str, entry: Entry, previous_hash: str | None, folders: tuple[str, ...] = ()) -> FileResult:
    """Read, hash and (unless its bytes are unchanged) parse one file; ``folders`` is
    the ``highlight_folders`` setting."""
    where = os.path.join(root, entry.rel)
    if too_large := size_refusal(entry.size):
        return FileResult(entry, FileKind.SKIPPED, warnings=[("skipped", f"{where}: {too_large}; skipped")])
    try:
        data = Path(where).read_bytes()
    except OSError as error:
        cause = "vanished during the import" if isinstance(error, FileNotFoundError) else error.strerror
        return FileResult(entry, FileKind.SKIPPED, warnings=[("skipped", f"{where}: cannot read ({cause}); skipped")])
    content_hash = hashlib.blake2b(data, digest_size=16).hexdigest()
    if content_hash == previous_hash:
        return FileResult(entry, FileKind.SAME, content_hash)
    from recall.importer.parse import parse_note  # here: an import that reads nothing never loads the parser

    text, problems = decode(data)
    warnings = [("encoding", f"{where}:{line}: {message}") for line, message in problems]
    try:
        note: ParsedNote | None = parse_note(text, readable(entry.rel), folders)
    except NotAHighlightNote as ordinary:
        note = None
        if ordinary.signatures:
            warnings.append(("unread", f"{where}: {ordinary.reason}; see `recall import --explain` for what each line became"))
    except Exception as error:  # a parser bug must cost one file, never the import
        return FileResult(entry, FileKind.SKIPPED, warnings=[("skipped", f"{where}: cannot be parsed ({error!r}); skipped")])
    if note is None:
        return FileResult(entry, FileKind.ORDINARY, content_hash, warnings=warnings)
    warnings.extend(("frontmatter", f"{where}:{line}: {message}") for line, message in note.warnings)
    warnings.extend(("lines", f"{where}:{line}: {message}") for line, message in note.not_understood)
    source = (note.source_key, note.title, note.author, note.category, note.url, note.cover_url)
    rows = []
    for h in note.highlights:
        if problems and _keyed_by_mojibake(h, note.source_key):
            warnings.append(("held", f"{where}:{h.line}: highlight not imported: its text has bytes that are not valid "
                             "text, and it has no id to know it by; save the note as UTF-8"))
            continue
        rows.append((h.key, h.label, h.line, h.text, h.note, json.dumps(h.tags, ensure_ascii=False) if h.tags else "[]",
                     h.location, h.location_url, h.chapter, *measure(h.text)))
    return FileResult(entry, FileKind.NOTE, content_hash, source, rows, warnings)


def _keyed_by_mojibake(highlight: ParsedHighlight, source_key: str) -> bool:
    """A key built from text that decoding had to repair: it would change once the note
    is fixed, and the highlight would lose its history."""
    return highlight.key.split(":", 1)[0] not in ID_KINDS and "\ufffd" in highlight.text + source_key


def read_files(
    root: str, jobs: list[tuple[Entry, str | None]], folders: tuple[str, ...] = (), stopping: Stopping = never
) -> Generator[FileResult, None, None]:
    """``read_file`` for each (entry, previous hash), in order; ends early, its workers
    stopped, once ``stopping()`` is True."""
    if len(jobs) < PARALLEL_FROM_FILES or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for entry, previous_hash in jobs:
            if stopping():
                return
            yield read_file(root, entry, previous_hash, folders)
        return
    windows = [jobs[i : i + WINDOW_FILES] for i in range(0, len(jobs), WINDOW_FILES)]
    count = min(len(windows), os.cpu_count() or 2, 3)  # parsing costs more than writing: one per core
    workers: list[_Worker] = []
    try:
        for window in windows[:count]:
            workers.append(_Worker(root, folders, workers))
            workers[-1].send(window)
        for index, window in enumerate(windows):
            worker = workers[index % count]
            results = worker.receive(stopping)
            if stopping():
                return
            if results is None:  # the worker is gone (killed): read its windows here
                results = [read_file(root, entry, previous_hash, folders) for entry, previous_hash in window]
            if index + count < len(windows):
                worker.send(windows[index + count])
            for result in results:
                if stopping():
                    return
                yield result
    finally:
        for worker in workers:
            worker.stop()


class _Worker:
    """A process that reads the windows of files sent to it, in order, one at a time.
    Each worker has its own pipe, so stopping one (SIGKILL) can leave no lock held."""

    def __init__(self, root: str, folders: tuple[str, ...], others: list[_Worker]) -> None:
        self.connection, theirs = multiprocessing.Pipe()
        main_ends = [self.connection, *(other.connection for other in others)]
        self.process = multiprocessing.get_context("fork").Process(
            target=_work, args=(theirs, root, folders, main_ends), daemon=True
        )
        self.process.start()
        theirs.close()

    def send(self, window: list[tuple[Entry, str | None]]) -> None:
        """Give the worker a window to read (nothing happens if it is gone)."""
        if self.process.is_alive():
            try:
                self.connection.send(window)
            except OSError:  # it died since: ``receive`` says so
                pass

    def receive(self, stopping: Stopping) -> list[FileResult] | None:
        """The results of the oldest window sent; None if the worker died first or
        ``stopping()`` became True while waiting."""
        ready: list[Any] = []
        while not ready:
            if stopping():
                return None
            ready = multiprocessing.connection.wait([self.connection, self.process.sentinel], STOP_CHECK_SECONDS)
        try:
            results: list[FileResult] = self.connection.recv()
            return results
        except (EOFError, OSError):
            return None

    def stop(self) -> None:
        """End the process at once (it holds nothing worth finishing) and reap it."""
        self.process.kill()
        self.process.join()
        self.connection.close()


def _work(
    connection: multiprocessing.connection.Connection,
    root: str,
    folders: tuple[str, ...],
    main_ends: list[multiprocessing.connection.Connection],
) -> None:
    """A worker's life: read each window it receives and send back the results, until
    the main process closes the pipe or is gone (killed)."""
    worker_signals()
    for end in main_ends:  # copies made by fork: closed here, the pipe ends with the main process
        end.close()
    try:
        while True:
            window = connection.recv()
            connection.send([read_file(root, entry, previous_hash, folders) for entry, previous_hash in window])
    except (EOFError, OSError):
        return
