"""One `recall import`: each PATH given (or every known vault) in turn.

A known vault that is not there (moved, unmounted, deleted) is warned about and left
as it is; the others are imported. A PATH given that names nothing importable is an
error reported after the other paths are imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from recall.db.engine import Engine
from recall.fsnames import readable
from recall.importer.interrupt import Interrupted, Stopping, never
from recall.importer.report import ImportReport
from recall.importer.sync import VaultNotFound, import_vault
from recall.importer.targets import Target, TargetError, known_targets, target_for
from recall.reviewlog.place import DEFAULT_FOLDER
from recall.reviewlog.writer import LogWriter

RunProgress = Callable[[int, int, str], None]
"""(files done, files to read, what is being imported)"""


def import_paths(
    engine: Engine,
    paths: list[Path],
    now: datetime,
    report: ImportReport,
    folders: tuple[str, ...] = (),
    progress: RunProgress | None = None,
    stopping: Stopping = never,
    review_log: str | LogWriter = DEFAULT_FOLDER,
) -> list[str]:
    """Import ``paths`` (folders or notes; none: every known vault) into the database,
    adding what happened to ``report``; ``folders`` is the ``highlight_folders`` setting,
    ``review_log`` the setting whose folder the walk skips, or this device's ``LogWriter`` (which
    also logs the highlights the import re-keys: ``sync.import_vault``).
    Returns an error message for each path that could not be imported (the others
    were). Raises Interrupted once ``stopping()`` is True."""
    errors: list[str] = []
    for target in _targets(engine, paths, errors):
        if stopping():
            raise Interrupted(report.files_seen, report.files_seen)
        shown = readable(str(target.root / target.scope if target.scope else target.root))
        label = f"Importing {shown}"
        step = (lambda done, total, label=label: progress(done, total, label)) if progress else None
        try:
            import_vault(engine, target.root, now, report, step, folders, target.scope, stopping, review_log)
        except VaultNotFound:
            report.warn("vanished", f"vault not found: {target.root}; its highlights are kept")
    return errors


def _targets(engine: Engine, paths: list[Path], errors: list[str]) -> Iterator[Target]:
    """What to import for each path, worked out when its turn comes (the import before
    may have made a vault part of another); a path that names nothing importable adds
    its message to ``errors``."""
    if not paths:
        yield from known_targets(engine)
        return
    for path in paths:
        try:
            target = target_for(engine, path)
        except TargetError as error:
            errors.append(str(error))
            continue
        yield target
