"""Bring the database in line with a vault: incremental, idempotent, lossless.

1. Walk the vault, or the part of it asked for (stat only). Files whose size and
   mtime are unchanged are not read; files whose bytes hash the same as last time
   are not parsed. Known vaults inside this one become part of it (``targets``).
2. Files that are gone lose their occurrences (their highlights are not touched);
   nothing below what the walk could not look into counts as gone, and a vault that
   is suddenly empty (an unmounted drive) is left as it was.
3. Changed files are parsed (in a worker process when there are many, see
   ``reading``) and applied in chunks, each in its own transaction: sources and
   files are upserted, the chunk's highlights compared by key with what is
   stored, and new, changed and restored rows written with ``executemany``.
4. Highlights that no longer occur in any file are retired (kept, with their
   history, out of the queue); ones that come back are restored.

A kill at any point leaves a consistent database, and the next import converges
to the same result as an uninterrupted one; SIGINT or SIGTERM stop it between
files (``interrupt``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from recall.db import imports
from recall.db.engine import Engine
from recall.db.imports import ImportStore, StoredFile, StoredHighlight
from recall.fsnames import from_stored, readable, storable
from recall.importer.identity import FALLBACK_WITH_LOCATION, other_keys
from recall.importer.interrupt import Interrupted, Stopping, never
from recall.importer.reading import FileKind, FileResult, read_files
from recall.importer.report import ImportReport
from recall.importer.targets import absorb_nested
from recall.importer.walk import Entry, Unseen, walk_vault
from recall.reviewlog.events import Snapshot
from recall.reviewlog.files import LogWriteError
from recall.reviewlog.place import DEFAULT_FOLDER, skipped_in
from recall.reviewlog.writer import LogWriter

CHUNK_FILES = 500
CHUNK_HIGHLIGHTS = 20_000


Progress = Callable[[int, int], None]  # (files done, files total)


class VaultNotFound(Exception):
    """The vault folder does not exist or is not a folder."""


def import_vault(
    engine: Engine,
    root: Path,
    now: datetime,
    report: ImportReport,
    progress: Progress | None = None,
    folders: tuple[str, ...] = (),
    scope: str = "",
    stopping: Stopping = never,
    review_log: str | LogWriter = DEFAULT_FOLDER,
) -> None:
    """Import one vault into the database, adding what happened to ``report``; with
    ``scope`` (a vault-relative folder or note, see ``targets``) only that part of it,
    the rest left as it is. ``folders`` is the ``highlight_folders`` setting, ``review_log``
    the setting whose folder is not walked (``recall.reviewlog.place.skipped_in``), or this
    device's ``LogWriter``, which also gets a ``rekey`` event for each highlight re-keyed whose
    old key has events in the log (so its history follows it on every device); ``stopping``
    is asked between files. Raises VaultNotFound, and Interrupted once ``stopping()``
    is True (what was read by then is imported)."""
    root = root.expanduser().resolve()
    if not root.is_dir():
        raise VaultNotFound(f"{readable(str(root))}: not a folder")
    report.vaults.append(readable(str(root)))
    unseen: list[Unseen] = []
    log = review_log if isinstance(review_log, LogWriter) else None
    log_folder = skipped_in(review_log.folder if isinstance(review_log, LogWriter) else review_log, root)
    entries = list(walk_vault(root, unseen, scope, () if log_folder is None else (log_folder,)))
    walked_before = report.files_seen

    with imports.writing(engine, now) as store:
        vault_id = store.upsert_vault(storable(str(root)))
        report.absorbed += absorb_nested(store, vault_id, root)
        renaming = store.any_highlights()  # else nothing to re-key
        known = {from_stored(file.path): file for file in store.files_of_vault(vault_id)}
        for problem in unseen:
            if problem.loud or any(k.present and _below(path, problem.rel) for path, k in known.items()):
                report.warn(problem.kind, f"{problem.path}: {problem.reason}")
        if not scope and not entries and not unseen and any(k.present for k in known.values()):
            report.warn("vanished", f"{root}: the vault is empty; its highlights are kept (an unmounted drive?"
                        " `recall vaults forget` removes them)")
            return
        present_now = {entry.rel for entry in entries}
        gone = [
            k.id
            for path, k in known.items()
            if k.present and path not in present_now and _below(path, scope)
            and not any(_below(path, problem.rel) for problem in unseen)
        ]
        store.mark_files_gone(gone)
        report.files_removed += len(gone)

    jobs: list[tuple[Entry, str | None]] = []
    for entry in entries:
        previous = known.get(entry.rel)
        if previous and previous.present and (previous.size, previous.mtime_ns) == (entry.size, entry.mtime_ns):
            report.files_unchanged += 1
        else:
            jobs.append((entry, previous.content_hash if previous and previous.present else None))
    pending: list[FileResult] = []
    pending_highlights = 0
    with closing(read_files(str(root), jobs, folders, stopping)) as results:
        for done, result in enumerate(results, 1):
            if progress:
                progress(done, len(jobs))
            for kind, text in result.warnings:
                report.warn(kind, text)
            if result.kind == FileKind.SKIPPED:
                report.files_skipped += 1
                continue
            if result.kind == FileKind.SAME:
                report.files_unchanged += 1
            elif result.kind == FileKind.ORDINARY:
                report.files_ignored += 1
            else:
                report.files_read += 1
            pending.append(result)
            pending_highlights += len(result.highlights)
            if len(pending) >= CHUNK_FILES or pending_highlights >= CHUNK_HIGHLIGHTS:
                _apply_chunk(engine, vault_id, pending, known, now, report, renaming, log)
                pending, pending_highlights = [], 0
    if pending:
        _apply_chunk(engine, vault_id, pending, known, now, report, renaming, log)
    if report.files_seen - walked_before < len(entries):  # read_files stopped early
        raise Interrupted(report.files_seen, walked_before + len(entries))

    with imports.writing(engine, now) as store:
        report.highlights_retired += store.retire_unseen()
        store.mark_imported(vault_id)


def _below(path: str, rel: str) -> bool:
    """True when the vault-relative ``path`` is ``rel`` or lies in it ("" holds everything)."""
    return not rel or path == rel or path.startswith(rel + "/")


def _apply_chunk(
    engine: Engine,
    vault_id: int,
    chunk: list[FileResult],
    known: dict[str, StoredFile],
    now: datetime,
    report: ImportReport,
    renaming: bool,
    log: LogWriter | None = None,
) -> None:
    """Write one chunk of read files in one transaction; ``renaming``: look for highlights
    stored under another of their keys (see ``_match_other_keys``), and log their re-keys."""
    with imports.writing(engine, now) as store:
        found: list[_Found] = []
        for read in chunk:
            entry, source = read.entry, read.source
            previous = known.get(entry.rel)
            if read.kind == FileKind.SAME and previous:
                store.touch_file(previous.id, entry.size, entry.mtime_ns)
                continue
            source_id = store.upsert_source(source) if source else None
            mtime_ns, content_hash = (-1, "") if read.unresolved else (entry.mtime_ns, read.content_hash)
            file_id = store.upsert_file(
                vault_id, storable(entry.rel), entry.size, mtime_ns, content_hash, source_id, source is not None
            )
            if previous:
                store.clear_occurrences(file_id)
            for key, label, line, *content in read.highlights:
                found.append(_Found(key, file_id, line, (source_id, *content), label, source[0] if source else ""))
        if found:
            _merge(store, found, report, renaming)
        if log is not None and store.rekeyed:
            _log_rekeys(store, log, now, report)


def _log_rekeys(store: ImportStore, log: LogWriter, now: datetime, report: ImportReport) -> None:
    """Append a ``rekey`` event for each highlight this chunk re-keyed whose old key has events in
    the log, before the chunk commits; a log that cannot take them is a warning (the re-key stands
    here; other devices keep that history under the old key)."""
    known = store.keys_with_events([old for old, _ in store.rekeyed])
    rekeyed = [(old, new) for old, new in store.rekeyed if old in known]
    if not rekeyed:
        return
    states = store.states_of([new for _, new in rekeyed])
    moves = [(old, new, Snapshot(*states[new]) if new in states else Snapshot()) for old, new in rekeyed]
    first = store.first_vault_root()
    try:
        log.rekeys(None if first is None else Path(from_stored(first)), moves, now)
    except LogWriteError as error:
        report.warn("unlisted", f"{len(moves)} re-keyed highlights are not in the review log: {error}")


@dataclass(slots=True)
class _Found:
    """One highlight where it was found; ``content`` is in ``imports.HIGHLIGHT_CONTENT`` order."""

    key: str
    file_id: int
    line: int
    content: tuple[Any, ...]  # source id first, then text, note, ...
    label: str | None = None  # its link label, for ``identity.other_keys``
    source_key: str = ""


def _merge(store: ImportStore, found: list[_Found], report: ImportReport, renaming: bool) -> None:
    """Merge found highlights into ``highlights`` by key (the first place a key occurs
    gives its content) and record where each occurs; count what changed."""
    first: dict[str, _Found] = {}
    for item in found:
        first.setdefault(item.key, item)
    existing = store.stored_highlights(list(first))
    if renaming:  # a database that held no highlight when the import began has none to re-key
        _match_other_keys(store, first, existing)
    _match_location_edits(store, first, existing)
    next_id = store.next_highlight_id()
    ids: dict[str, int] = {}
    inserts: list[tuple[int, str, tuple[Any, ...]]] = []
    updates: list[tuple[int, tuple[Any, ...]]] = []
    restores: list[int] = []
    for key, item in first.items():
        old = existing.get(key)
        if old is None:
            ids[key] = next_id
            inserts.append((next_id, key, item.content))
            next_id += 1
            continue
        row_id, retired, *old_content = old
        ids[key] = row_id
        if tuple(old_content) != item.content:
            updates.append((row_id, item.content))
        elif retired:
            restores.append(row_id)
    store.insert_highlights(inserts)
    store.update_highlights(updates)
    store.restore_highlights(restores)
    store.add_occurrences([(item.file_id, item.line, ids[item.key]) for item in found])
    report.highlights_new += len(inserts)
    report.highlights_updated += len(updates)
    report.highlights_restored += len(restores)
    report.highlights_unchanged += len(first) - len(inserts) - len(updates) - len(restores)


def _match_other_keys(store: ImportStore, first: dict[str, _Found], existing: dict[str, StoredHighlight]) -> None:
    """A new key whose highlight is stored under one of its other keys (the one recall 0.1
    gave it, the one with or without its location) re-keys that row, so that it keeps
    its history (and ``existing`` learns it). A stored key still in use is left alone."""
    wanted = {
        other: key
        for key, item in first.items()
        if key not in existing
        for other in other_keys(key, item.label, _text_or_none(item.content[4]), str(item.content[1]), item.source_key)
    }
    if not wanted:
        return
    for old_key, row in store.stored_highlights(list(wanted)).items():
        key = wanted[old_key]
        if old_key not in first and key not in existing:
            store.rekey(row[0], key, old_key)
            existing[key] = row


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _match_location_edits(
    store: ImportStore, first: dict[str, _Found], existing: dict[str, StoredHighlight]
) -> None:
    """Where a Kindle location is the only identity, a highlight that vanished from a
    source and a new one at the same location of the same source are one edited
    highlight: re-key the old row so it keeps its history (and ``existing`` with it)."""
    newcomers = [k for k in first if k.startswith(FALLBACK_WITH_LOCATION) and k not in existing]
    if not newcomers:
        return
    sources = sorted({first[k].content[0] for k in newcomers})
    orphans: dict[tuple[object, object], list[tuple[str, StoredHighlight]]] = defaultdict(list)
    for key, row in store.unplaced_highlights(sources, FALLBACK_WITH_LOCATION + "%"):
        if key not in first:
            source_id, location = row[2], row[6]
            orphans[(source_id, location)].append((key, row))
    for key in newcomers:
        content = first[key].content
        candidates = orphans.get((content[0], content[4]))
        if candidates:
            old_key, row = candidates.pop(0)
            store.rekey(row[0], key, old_key)
            existing[key] = row

