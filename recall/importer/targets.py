"""What a PATH given to `recall import` means: which vault, and which part of it.

- A folder that is a known vault, or that no known vault holds: that vault, all of it.
- A folder or note inside a known vault: that part of the known vault; the rest of
  the vault is not touched (nothing in it is removed or retired).
- A note outside every known vault: that note alone, as part of the Obsidian vault
  holding it (the nearest folder with ``.obsidian``, as ``--explain`` reads it), else
  of its own folder.

A vault never holds another: known vaults inside one being imported become part of
it (``absorb_nested``), so no note is registered twice.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from recall.db.engine import Engine
from recall.db.imports import ImportStore, vault_roots
from recall.fsnames import from_stored, readable, storable
from recall.importer.walk import skipped_name


@dataclass(frozen=True, slots=True)
class Target:
    """A vault ``root`` (absolute, resolved) and the ``scope`` to import: "" for all of
    it, else a vault-relative folder or note ('/'-separated)."""

    root: Path
    scope: str = ""


class TargetError(Exception):
    """A PATH that names nothing recall can import; the message says why."""


def known_roots(engine: Engine) -> list[Path]:
    """The roots of the vaults imported before (and not forgotten), oldest first."""
    return [Path(from_stored(root)) for root in vault_roots(engine)]


def known_targets(engine: Engine) -> list[Target]:
    """Every known vault, whole, for `recall import` without PATH (a vault inside
    another, left by an older recall, is imported as part of the outer one)."""
    roots = known_roots(engine)
    return [Target(root) for root in roots if not any(root != other and root.is_relative_to(other) for other in roots)]


def target_for(engine: Engine, path: Path) -> Target:
    """What importing ``path`` (a folder or a Markdown note, as given) means.
    Raises TargetError when it does not exist, is neither, or lies where recall
    never reads (dot-folders, ``Full Document Contents/``, ``Readwise Syncs.md``), or is a
    link that loops or leads out of the known vault it lies in."""
    given = Path(os.path.abspath(path.expanduser()))  # as named: links not followed
    try:
        resolved = given.resolve()
    except (RuntimeError, OSError) as error:  # a symlink loop
        raise TargetError(f"{readable(str(path))}: a link that cannot be followed ({error})") from error
    if not resolved.exists():
        raise TargetError(f"vault not found: {readable(str(path))}")
    roots = known_roots(engine)
    for root in roots:
        if given.is_relative_to(root) and not resolved.is_relative_to(root):
            raise TargetError(
                f"{readable(str(path))}: a link to {readable(str(resolved))}, outside the vault {readable(str(root))};"
                " not followed"
            )
    folder = resolved.is_dir()
    if not folder and not (resolved.is_file() and resolved.name.endswith(".md")):
        raise TargetError(f"{readable(str(path))}: not a folder or a Markdown note")
    holders = [root for root in roots if resolved.is_relative_to(root)]
    obsidian = next((p for p in resolved.parents if (p / ".obsidian").is_dir()), None)
    vault = min(holders, key=lambda r: len(r.parts)) if holders else obsidian  # the vault it lies in, if any
    if vault and any(skipped_name(part) for part in resolved.relative_to(vault).parts):
        raise TargetError(
            f"{readable(str(path))}: recall never imports from dot-folders, `Full Document Contents/` "
            "or `Readwise Syncs.md`"
        )
    if not holders and folder:
        return Target(resolved)
    root = vault or resolved.parent
    return Target(root, resolved.relative_to(root).as_posix() if resolved != root else "")


def absorb_nested(store: ImportStore, vault_id: int, root: Path) -> list[str]:
    """Make every other known vault inside ``root`` part of the vault ``vault_id`` (in
    the caller's transaction): its files rows move there, their paths prefixed with
    where it lies in ``root``; review history is untouched. Where both vaults have a
    row for one note, the one seen present wins (the vault's own when both are) and the
    other goes, with its occurrences. Returns the absorbed roots, to show."""
    absorbed = []
    for other_id, stored in store.other_vaults(vault_id):
        other = Path(from_stored(stored))
        if other == root or not other.is_relative_to(root):
            continue
        prefix = other.relative_to(root).as_posix()
        own = {from_stored(file.path): file for file in store.files_of_vault(vault_id)}
        losers: list[int] = []
        moves: list[tuple[int, str | bytes]] = []
        for file in store.files_of_vault(other_id):
            moved = f"{prefix}/{from_stored(file.path)}"
            twin = own.get(moved)
            if twin and (twin.present or not file.present):
                losers.append(file.id)
                continue
            if twin:
                losers.append(twin.id)
            moves.append((file.id, storable(moved)))
        store.absorb_vault(other_id, vault_id, losers, moves)
        absorbed.append(readable(str(other)))
    return absorbed
