"""`recall/db/` is the only package that knows SQL: no SQL text anywhere else in recall."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import recall

PACKAGE = Path(recall.__file__).parent
SQL = re.compile(
    r"\b(SELECT\s+(DISTINCT\s+)?[\w.*()]+(\s*,\s*[\w.*()]+)*\s+FROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)"
    r"|DROP\s+TABLE|ALTER\s+TABLE|PRAGMA\s+\w+|BEGIN\s+IMMEDIATE|VACUUM\s+INTO)\b",
    re.IGNORECASE | re.DOTALL,
)


def sql_outside_db() -> list[str]:
    """``path:line: text`` of every string literal outside ``recall/db`` that reads as SQL."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if PACKAGE / "db" in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:60]!r}")
    return found


def test_no_sql_text_outside_recall_db() -> None:
    assert sql_outside_db() == []


def test_the_search_finds_sql() -> None:
    assert SQL.search("SELECT id FROM highlights WHERE due <= :day")
    assert SQL.search("SELECT h.id, count(*),\n  s.title FROM highlights h")
    assert SQL.search("update files set present = 0 where id = ?")
    assert SQL.search("INSERT OR IGNORE INTO occurrences (file_id) VALUES (?)")
    assert not SQL.search("Select the highlights you want to review from the queue")
