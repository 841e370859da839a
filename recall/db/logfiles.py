"""How far each file of the review log has been read: the ``log_files`` table.

One row per (log root, file): the fields of ``recall.reviewlog.files.Cursor`` as plain values
(``offset`` and ``size`` in bytes, ``mtime_ns`` in nanoseconds, ``torn_since`` in
``time.time()`` seconds or None). The review log's reader keeps them between runs, so a file
whose size and mtime are unchanged is never opened again (docs/review-log.md, "Reading,
incrementally"). The root and the paths are stored as ``recall.fsnames.storable`` gives them
(text, or the bytes of a name that is not UTF-8). Every function runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects.sqlite import insert

from recall.db.models import LOG_FILES
from recall.fsnames import from_stored, storable

FIELDS: Final = ("size", "mtime_ns", "offset", "lines", "last_line", "torn", "torn_since")


def stored_cursors(connection: Connection, root: str) -> dict[str, dict[str, Any]]:
    """The files of the log at ``root`` read before: relative path → ``{field: value}`` (``FIELDS``);
    empty when nothing under that root was ever read."""
    columns = [LOG_FILES.c[name] for name in FIELDS]
    rows = connection.execute(select(LOG_FILES.c.path, *columns).where(LOG_FILES.c.root == storable(root)))
    return {from_stored(path): dict(zip(FIELDS, values, strict=True)) for path, *values in rows}


def stored_roots(connection: Connection) -> list[str]:
    """Every log root read before (as paths), in order: a root stays read after its vault is forgotten."""
    rows = connection.execute(select(LOG_FILES.c.root).distinct().order_by(LOG_FILES.c.root)).scalars()
    return [from_stored(root) for root in rows]


def keep_cursors(connection: Connection, root: str, cursors: Mapping[str, Mapping[str, Any]]) -> None:
    """Make the rows of ``root`` exactly ``cursors`` (relative path → every field of ``FIELDS``): files
    no longer listed (deleted, renamed by sync) are forgotten. ``KeyError`` names a missing field."""
    stored = storable(root)
    paths = {storable(path): cursor for path, cursor in cursors.items()}
    connection.execute(delete(LOG_FILES).where(LOG_FILES.c.root == stored, LOG_FILES.c.path.not_in(list(paths))))
    if not paths:
        return
    rows = [{"root": stored, "path": path, **{name: cursor[name] for name in FIELDS}} for path, cursor in paths.items()]
    statement = insert(LOG_FILES)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[LOG_FILES.c.root, LOG_FILES.c.path], set_={name: statement.excluded[name] for name in FIELDS}
        ),
        rows,
    )
