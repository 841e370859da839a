"""Where the review log is: the ``review_log`` setting (checked by ``recall.config``) read
against the vaults imported.

The setting names a folder. A relative one (the default, ``recall-log``) is a folder inside a
vault: this device appends under the vault imported first (the oldest in ``recall vaults``),
and the import skips that folder in every vault (every vault's log is read, later: step 5 of
docs/review-log.md). An absolute one, or one under ``~``, is taken as it is; the import skips
it where it falls inside a vault. recall makes the log folder itself (and a relative one's
folders inside the vault), never the vault or the absolute folder's parent: an unmounted
drive refuses the write instead of growing an empty folder where the drive should be.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from recall.reviewlog.files import DEFAULT_FOLDER, LogWriteError

__all__ = ["DEFAULT_FOLDER", "log_root", "log_roots", "skipped_in"]


def log_root(setting: str, first_vault: Path | None) -> Path:
    """The folder this device appends to, for the ``review_log`` ``setting`` and the vault imported
    first (None: none is). Raises ``LogWriteError`` when there is nowhere to write: a relative
    setting and no vault, or the vault (the absolute folder's parent) not there."""
    folder = Path(setting).expanduser()
    if folder.is_absolute():
        base, root = folder.parent, folder
    elif first_vault is None:
        raise LogWriteError(
            f"no vault is imported to keep the review log in (review_log = {setting!r} is inside the vault "
            "imported first); import one, or set review_log to an absolute folder"
        )
    else:
        base, root = first_vault, first_vault / folder
    if not base.is_dir():
        raise LogWriteError(
            f"cannot write the review log {root}: {base} is not a folder (moved, or an unmounted drive?"
            f" A vault that moved: import it where it is now, then `recall vaults forget {base}`)"
        )
    return root


def skipped_in(setting: str, vault: Path) -> str | None:
    """The vault-relative folder (``/``-separated) the import must not walk in ``vault``: the log's
    folder when the ``review_log`` ``setting`` puts it there, else None."""
    folder = Path(setting).expanduser()
    if not folder.is_absolute():
        parts = [part for part in PurePosixPath(setting.replace("\\", "/")).parts if part != "."]
        return "/".join(parts) or None
    real_vault, real_folder = os.path.realpath(vault), os.path.realpath(folder)
    try:
        inside = Path(real_folder).relative_to(real_vault)
    except ValueError:
        return None
    return inside.as_posix() if inside.parts else None


def log_roots(setting: str, vaults: list[Path]) -> list[Path]:
    """Every folder the review log is read from, for the ``review_log`` ``setting`` and the vaults
    imported (oldest first): the absolute folder, or the relative one in each vault (every vault's
    log is read, so a vault forgotten or added keeps its devices' events), and then each vault's
    ``recall-log`` too when the setting names another folder: devices that keep the default write
    there, so a device set otherwise still reads their history. Folders need not exist."""
    folder = Path(setting).expanduser()
    chosen = [folder] if folder.is_absolute() else [vault / folder for vault in vaults]
    return chosen + [vault / DEFAULT_FOLDER for vault in vaults if vault / DEFAULT_FOLDER not in chosen]
