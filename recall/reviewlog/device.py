"""This device's id: a random UUID made once and kept in recall's data folder.

The id names the device's folder in the review log and is written in every event it
appends. It lives in ``device.json`` in ``recall.paths.data_dir()`` (the platform's user
data folder from platformdirs, or ``$RECALL_HOME``), outside the vault, so a vault synced to
another machine never carries it there. It is random rather than a host name, so a vault
shared or published leaks nothing about the machines behind it. A data folder copied to a
second machine gives both the same id: their events stay distinct (each has its own UUID)
and the copies sync would make of the same file are read like any conflict copy.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import uuid
from pathlib import Path

DEVICE_FILENAME = "device.json"


class DeviceFileError(Exception):
    """``device.json`` exists but holds no device id; the message names the file."""


def device_file(folder: Path | None = None) -> Path:
    """Where the id is kept: ``folder`` (default ``recall.paths.data_dir()``) / ``device.json``."""
    if folder is None:
        from recall.paths import data_dir

        folder = data_dir()
    return folder / DEVICE_FILENAME


def device_id(folder: Path | None = None) -> str:
    """This device's id (a lowercase UUID), made and stored on first use.

    Two processes making it at once agree: the file is written whole under a temporary name
    and linked into place only if no id is there yet, and both then read the one that won.
    Raises ``DeviceFileError`` for a damaged file (it is never replaced silently: events
    already written name the id it held) and ``OSError`` when the folder cannot be written.
    """
    path = device_file(folder)
    found = _read(path)
    if found is not None:
        return found
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=".device.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"device": str(uuid.uuid4())}, out)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(name, path)  # fails if another process got there first: its id wins
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(name, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
    found = _read(path)
    if found is None:
        raise DeviceFileError(f"{path}: no device id after writing it")
    return found


def _read(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise DeviceFileError(f"{path}: cannot read the device id ({error})") from error
    try:
        value = json.loads(text)["device"]
        if isinstance(value, str) and str(uuid.UUID(value)) == value:
            return value
    except (ValueError, KeyError, TypeError):
        pass
    raise DeviceFileError(f"{path}: not a device id file (expected {{\"device\": \"<uuid>\"}}); move it away to make a new id")
