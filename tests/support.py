"""Paths and markers the tests share (imported as ``support``)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_VAULT = REPO / "sample_vault"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
MAKE_VAULT = SHARED / "tools" / "make_vault.py"

needs_shared = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the shared reference corpus is not at {SHARED} (it is never copied into the repo)"
)

FIXED_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def run_import(engine, root: Path):
    """Import ``root`` at FIXED_NOW and return the report."""
    from recall.importer.sync import ImportReport, import_vault

    report = ImportReport()
    import_vault(engine, root, FIXED_NOW, report)
    return report


def rows(engine, sql: str, *params) -> list[tuple]:
    """All rows of ``sql`` as plain tuples."""
    with engine.connect() as connection:
        return [tuple(r) for r in connection.exec_driver_sql(sql, params).all()]


def recall_process(*args: str, **options) -> subprocess.CompletedProcess[str]:
    """Run the real ``recall`` (``python -m recall``) in a subprocess with ``args``; text
    output, no check. The environment carries RECALL_HOME and RECALL_NOW from conftest."""
    return subprocess.run([sys.executable, "-m", "recall", *args], capture_output=True, text=True, check=False,
                          timeout=300, **options)


def db_rows(db: Path, sql: str, *params: object) -> list[tuple]:
    """All rows of ``sql`` on the SQLite file ``db``, read with a plain sqlite3 connection."""
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def highlight_note(title: str, tag: str, count: int = 2) -> str:
    """A Readwise note titled ``title`` with ``count`` highlights ("{title} highlight {n}.")
    keyed by Reader ids made from ``tag`` (lowercase letters and digits)."""
    items = "".join(
        f"- {title} highlight {n}. ([View Highlight](https://read.readwise.io/read/{f'01{tag}{n}'.ljust(26, 'z')}))\n"
        for n in range(1, count + 1)
    )
    return f"# {title}\n## Highlights\n{items}"


def write_note(root: Path, rel: str, title: str, tag: str, count: int = 2) -> Path:
    """Write ``highlight_note`` at ``root / rel`` (folders made as needed); returns its path."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(highlight_note(title, tag, count), encoding="utf-8")
    return path
