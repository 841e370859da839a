"""Finding a vault's highlight notes without reading them.

Skips what Obsidian and the Readwise plugin keep beside the notes: dot-folders
(``.obsidian`` holds the plugin's access token, ``.trash`` deleted notes),
``Full Document Contents/``, ``Readwise Syncs.md`` and non-Markdown files.
Follows symlinked folders as Obsidian does, but never loops and never yields
the same file twice.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SKIPPED_FOLDERS = {"Full Document Contents"}
SKIPPED_FILES = {"Readwise Syncs.md"}


@dataclass(frozen=True, slots=True)
class Entry:
    """A Markdown file in the vault: path relative to the root ('/'-separated) and stat."""

    rel: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Unseen:
    """A folder or file the walk could not look into: ``rel`` is its vault-relative
    path (folders end with '/'); what was known below it must not count as deleted."""

    path: str
    reason: str
    rel: str


def walk_vault(root: Path, unseen: list[Unseen]) -> Iterator[Entry]:
    """Yield the vault's candidate notes in a stable order; what cannot be listed or
    stat'ed is reported in ``unseen``."""
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()
    try:
        top = root.stat()
    except OSError as error:
        unseen.append(Unseen(str(root), error.strerror or str(error), ""))
        return
    seen_dirs.add((top.st_dev, top.st_ino))
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                children = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            unseen.append(Unseen(folder, f"cannot list folder ({error.strerror or error})", prefix))
            continue
        subfolders: list[tuple[str, str]] = []
        for child in children:
            name = child.name
            if name.startswith("."):
                continue
            try:
                info = child.stat()  # follows symlinks
            except OSError as error:
                if not child.is_symlink():
                    unseen.append(Unseen(child.path, error.strerror or str(error), prefix + name))
                continue  # a dangling link is not a file to import
            identity = (info.st_dev, info.st_ino)
            if stat.S_ISDIR(info.st_mode):
                if name not in SKIPPED_FOLDERS and identity not in seen_dirs:
                    seen_dirs.add(identity)
                    subfolders.append((child.path, prefix + name + "/"))
            elif stat.S_ISREG(info.st_mode) and name.endswith(".md") and name not in SKIPPED_FILES:
                if identity not in seen_files:
                    seen_files.add(identity)
                    yield Entry(prefix + name, info.st_size, info.st_mtime_ns)
        stack.extend(reversed(subfolders))
