"""Exports hold plain values a spreadsheet or a script reads without knowing Python.

CSV: booleans `true`/`false`, tags `a;b` (`\\;` and `\\\\` inside a tag), easiness a
plain number cell (`2.50`), instants ISO 8601 with `T` and an offset. JSON and JSON
Lines: the same instants, tags as an array, booleans as JSON, easiness as its exact
two-decimal text (`"2.50"`, as `rate --json` gives it). `db status --json` gives
ISO instants too. The real `recall` runs in a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

NOTE = """# A Book

## Metadata
- Author: Ann Writer
- Full Title: A Book
- Category: #books

## Highlights
- First thought. ([Location 12](https://readwise.io/to_kindle?action=open&asin=B0&location=12))
    - Tags: #plain [[semi;colon]] [[back\\slash]] #nested/tag
- Second thought. ([Location 40](https://readwise.io/to_kindle?action=open&asin=B0&location=40))
"""
TAGS = ["plain", "semi;colon", "back\\slash", "nested/tag"]
IMPORTED = "2026-03-02T09:30:00+00:00"  # RECALL_NOW, set by conftest


def recall(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "recall", *args], capture_output=True, text=True, check=False,
                            env=dict(os.environ))
    assert result.returncode == 0, (args, result.stderr)
    return result


def split_tags(cell: str) -> list[str]:
    """How the README says to read a tags cell: split on unescaped `;`, then unescape."""
    return [re.sub(r"\\(.)", r"\1", tag) for tag in re.findall(r"(?:\\.|[^;\\])+", cell)]


def is_iso_instant(value: str) -> bool:
    return "T" in value and datetime.fromisoformat(value).utcoffset() == timedelta(0)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    note = tmp_path / "vault" / "Readwise" / "Books" / "A Book.md"
    note.parent.mkdir(parents=True)
    note.write_text(NOTE, encoding="utf-8")
    db = tmp_path / "recall.db"
    recall("import", str(tmp_path / "vault"), "--db", str(db))
    recall("favorite", "1", "--db", str(db))
    return db


def test_csv_cells_are_plain_values(db: Path) -> None:
    rated = json.loads(recall("rate", "1", "5", "--json", "--db", str(db)).stdout)
    assert rated["easiness"] == "2.60"
    rows = list(csv.DictReader(io.StringIO(recall("export", "highlights", "-f", "csv", "--db", str(db)).stdout)))
    first, second = rows
    assert (first["favorite"], second["favorite"]) == ("true", "false")
    assert first["tags"] == "plain;semi\\;colon;back\\\\slash;nested/tag"
    assert split_tags(first["tags"]) == TAGS and second["tags"] == ""
    assert (first["easiness"], second["easiness"]) == ("2.60", "2.50")
    assert first["first_seen"] == first["last_seen"] == IMPORTED
    assert (first["due"], first["last_review"], second["due"], second["last_review"]) == ("2026-03-03", "2026-03-02", "", "")
    assert (first["line"], first["repetitions"], first["interval"]) == ("9", "1", "1")


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_json_exports_hold_arrays_booleans_and_iso_instants(db: Path, fmt: str) -> None:
    printed = recall("export", "highlights", "-f", fmt, "--db", str(db)).stdout
    records = json.loads(printed) if fmt == "json" else [json.loads(line) for line in printed.splitlines()]
    first, second = records
    assert first["tags"] == TAGS and first["favorite"] is True and second["favorite"] is False
    assert first["easiness"] == "2.50"
    assert all(is_iso_instant(r[key]) for r in records for key in ("first_seen", "last_seen"))
    assert first["first_seen"] == IMPORTED


def test_db_status_gives_iso_instants(db: Path) -> None:
    status = json.loads(recall("db", "status", "--json", "--db", str(db)).stdout)
    assert status["vaults"][0]["last_import"] == IMPORTED
    assert f"(last import {IMPORTED})" in recall("db", "status", "--db", str(db)).stdout
