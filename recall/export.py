"""Writing rows as CSV or JSON Lines to a stream: data on stdout, never chatter."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import IO, Any

FORMATS = ("jsonl", "csv", "json")


def write_rows(rows: Iterable[Mapping[str, Any]], columns: list[str], fmt: str, out: IO[str]) -> int:
    """Write ``rows`` (dicts with ``columns`` as keys) in ``fmt``; returns the row count.

    CSV cells hold lists as JSON; ``json`` is one array, ``jsonl`` one object a line.
    """
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row[c]) for c in columns])
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps({c: row[c] for c in columns}, ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "json":
        out.write("[")
        for row in rows:
            out.write(("," if count else "") + "\n" + json.dumps({c: row[c] for c in columns}, ensure_ascii=False))
            count += 1
        out.write("\n]\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return count


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return value
