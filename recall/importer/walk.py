"""Finding a vault's highlight notes without reading them.

Skips what Obsidian and the Readwise plugin keep beside the notes: dot-folders
(``.obsidian`` holds the plugin's access token, ``.trash`` deleted notes),
``Full Document Contents/``, ``Readwise Syncs.md`` and non-Markdown files; and the folders
it is told to (the review log's, ``recall-log/`` unless the ``review_log`` setting moves it).
A symlinked file or folder is followed only while its target stays inside the vault
and outside dot-folders; it never loops and never yields the same file twice.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Iterator
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
    """Something the walk did not look into. ``path`` is where it is on disk, ``rel`` its
    vault-relative path ("" for the whole vault): what was known at or below ``rel`` must
    not count as deleted. ``kind`` is the warning kind ("unlisted": could not be listed or
    stat'ed, or a link whose target is missing; "symlink": a link out of the vault or
    into a dot-folder, not followed) and ``reason`` the warning after the path. ``loud``
    is False for a link that is neither a folder nor a note: it is warned about only if
    something was imported through it before."""

    path: str
    reason: str
    rel: str
    kind: str = "unlisted"
    loud: bool = True


def skipped_name(name: str) -> bool:
    """True for a file or folder name the walk never enters or imports (dot-names,
    ``Full Document Contents``, ``Readwise Syncs.md``)."""
    return name.startswith(".") or name in SKIPPED_FOLDERS or name in SKIPPED_FILES


def walk_vault(root: Path, unseen: list[Unseen], scope: str = "", skip: Collection[str] = ()) -> Iterator[Entry]:
    """Yield the vault's candidate notes in a stable order; what cannot be listed or
    stat'ed, and links that are not followed, are reported in ``unseen``. ``scope`` (a
    vault-relative folder or note, '/'-separated, without links or skipped names) limits
    the walk to that part of the vault; "" walks all of it. ``skip`` holds vault-relative
    folders ('/'-separated) the walk never enters, as if they were not there."""
    real_root = os.path.realpath(root)
    start = os.path.join(real_root, *scope.split("/")) if scope else real_root
    try:
        top = os.stat(start)
    except OSError as error:
        unseen.append(Unseen(start, error.strerror or str(error), scope))
        return
    if not stat.S_ISDIR(top.st_mode):  # a single note
        if stat.S_ISREG(top.st_mode) and scope.endswith(".md"):
            yield Entry(scope, top.st_size, top.st_mtime_ns)
        return
    inside = real_root.rstrip(os.sep) + os.sep
    seen_dirs: set[tuple[int, int]] = {(top.st_dev, top.st_ino)}
    seen_files: set[tuple[int, int]] = set()
    stack: list[tuple[str, str]] = [(start, scope)]
    while stack:
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as listing:
                children = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            reason = f"cannot list folder ({error.strerror or error}); what was imported from it is kept"
            unseen.append(Unseen(folder, reason, rel))
            continue
        subfolders: list[tuple[str, str]] = []
        for child in children:
            name = child.name
            if skipped_name(name):
                continue
            child_rel = f"{rel}/{name}" if rel else name
            if child_rel in skip:
                continue
            link = child.is_symlink()  # free: the listing says so
            if link and (refused := _refused_link(child.path, real_root, inside)):
                loud = name.endswith(".md") or os.path.isdir(child.path)
                unseen.append(Unseen(child.path, refused, child_rel, "symlink", loud))
                continue
            try:
                info = child.stat()  # follows symlinks
            except OSError as error:
                if link:
                    target = os.path.realpath(child.path)
                    reason = (f"a link to {target}, which cannot be reached ({error.strerror or error}); "
                              "what was imported through it is kept")
                    unseen.append(Unseen(child.path, reason, child_rel, loud=name.endswith(".md")))
                else:
                    reason = f"{error.strerror or error}; what was imported from it is kept"
                    unseen.append(Unseen(child.path, reason, child_rel))
                continue
            identity = (info.st_dev, info.st_ino)
            if stat.S_ISDIR(info.st_mode):
                if identity not in seen_dirs:
                    seen_dirs.add(identity)
                    subfolders.append((child.path, child_rel))
            elif stat.S_ISREG(info.st_mode) and name.endswith(".md") and identity not in seen_files:
                seen_files.add(identity)
                yield Entry(child_rel, info.st_size, info.st_mtime_ns)
        stack.extend(reversed(subfolders))


def _refused_link(link: str, real_root: str, inside: str) -> str | None:
    """Why the symlink ``link`` must not be followed (its resolved target leaves the vault
    at ``real_root``, whose children start with ``inside``, or enters a dot-folder), or
    None when it may be."""
    target = os.path.realpath(link)
    if target == real_root:
        return None
    if not target.startswith(inside):
        return f"a link to {target}, outside the vault; not followed"
    if any(part.startswith(".") for part in target[len(inside) :].split(os.sep)):
        return f"a link into a dot-folder ({target}); not followed"
    return None
