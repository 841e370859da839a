"""Writing rows as CSV, JSON or JSON Lines to a stream: data on stdout, never chatter.

CSV cells are plain text for spreadsheets and scripts: booleans ``true``/``false``,
lists as ``a;b`` (a ``;`` or ``\\`` inside an item is written ``\\;`` or ``\\\\``),
``None`` as an empty cell, numbers as numbers. Written to a terminal, vault text
in the cells is shown as ``recall.text.visible`` shows it; to a file or a pipe
it is exact. JSON keeps lists, booleans and ``null`` as JSON, written by
``recall.text.json_text``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import IO, Any

from recall.text import json_text, visible

FORMATS = ("jsonl", "csv", "json")


def write_rows(rows: Iterable[Mapping[str, Any]], columns: list[str], fmt: str, out: IO[str]) -> int:
    """Write ``rows`` (dicts with ``columns`` as keys) in ``fmt`` to ``out``; returns the row count.

    ``json`` is one array, ``jsonl`` one object a line, ``csv`` a header and a row
    each (cells as the module docstring says). Raises ``ValueError`` for another format.
    """
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        shown = visible if out.isatty() else str
        writer.writerow(columns)
        for row in rows:
            writer.writerow([shown(csv_cell(row[c])) for c in columns])
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json_text({c: row[c] for c in columns}) + "\n")
            count += 1
    elif fmt == "json":
        out.write("[")
        for row in rows:
            out.write(("," if count else "") + "\n" + json_text({c: row[c] for c in columns}))
            count += 1
        out.write("\n]\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return count


def csv_cell(value: Any) -> str:
    """One value as CSV cell text: ``true``/``false``, ``a;b`` for a list, ``""`` for None, else ``str``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(item).replace("\\", "\\\\").replace(";", "\\;") for item in value)
    return str(value)
