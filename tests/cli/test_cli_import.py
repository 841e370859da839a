"""`recall import`, `recall sources` and `recall export highlights`, end to end on real SQLite files."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from recall import exit_codes
from recall.cli import app

runner = CliRunner()


def recall(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def expected_total() -> int:
    lines = (Path(__file__).resolve().parents[1] / "data" / "sample_vault_expected.tsv").read_text().splitlines()
    return sum(int(line.split("\t")[1]) for line in lines[1:] if line.strip())


def test_import_sample_vault_then_again_is_a_no_op(vault: Path, db_file: Path) -> None:
    first = recall("import", str(vault), "--db", str(db_file), "--json")
    assert first.exit_code == exit_codes.OK, first.output
    summary = json.loads(first.stdout)
    assert summary["highlights_new"] == expected_total()
    assert summary["files_skipped"] == 0
    assert summary["vaults"] == [str(vault.resolve())]
    second = recall("import", "--db", str(db_file), "--json")  # no path: the vault imported before
    again = json.loads(second.stdout)
    assert again["highlights_new"] == again["highlights_updated"] == again["files_read"] == 0
    assert again["files_unchanged"] == summary["files_read"] + summary["files_ignored"]


def test_summary_line_goes_to_stderr_and_stdout_stays_empty(vault: Path, db_file: Path) -> None:
    result = recall("import", str(vault), "--db", str(db_file))
    assert result.stdout == ""
    assert "warning" not in result.stderr  # the bundled vault imports cleanly
    assert "highlights:" in result.stderr and f"{expected_total()} new" in result.stderr


def test_db_from_environment(vault: Path, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("RECALL_DB", str(target))
    assert recall("import", str(vault)).exit_code == 0
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM highlights").fetchone()[0] == expected_total()


def test_default_db_lives_under_recall_home(vault: Path, recall_home: Path) -> None:
    assert recall("import", str(vault)).exit_code == 0
    assert (recall_home / "recall.db").is_file()


def test_skipped_file_gives_warning_and_exit_code_3(vault: Path, db_file: Path) -> None:
    from recall.importer.parse import MAX_FILE_BYTES

    huge = vault / "Readwise" / "Huge.md"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    result = recall("import", str(vault), "--db", str(db_file))
    assert result.exit_code == exit_codes.PARTIAL
    assert f"warning: {huge}" in result.stderr and "too large" in result.stderr
    with sqlite3.connect(db_file) as db:
        assert db.execute("SELECT count(*) FROM highlights").fetchone()[0] == expected_total()


def test_missing_vault_and_no_vault_are_clear_errors(tmp_path: Path, db_file: Path) -> None:
    missing = recall("import", str(tmp_path / "nope"), "--db", str(db_file))
    assert missing.exit_code == exit_codes.ERROR
    assert "vault not found" in missing.stderr and "Traceback" not in missing.output
    none = recall("import", "--db", str(db_file))
    assert none.exit_code == exit_codes.USAGE
    assert "recall import PATH" in none.stderr


def test_bad_recall_now_is_a_usage_error(vault: Path, db_file: Path, monkeypatch) -> None:
    monkeypatch.setenv("RECALL_NOW", "yesterday")
    result = recall("import", str(vault), "--db", str(db_file))
    assert result.exit_code == exit_codes.USAGE
    assert "RECALL_NOW" in result.stderr


def test_export_highlights_jsonl_and_csv(vault: Path, db_file: Path) -> None:
    recall("import", str(vault), "--db", str(db_file))
    jsonl = recall("export", "highlights", "--db", str(db_file))
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert len(records) == expected_total()
    assert f"{expected_total()} highlights exported" in jsonl.stderr
    first = records[0]
    for column in ("id", "text", "note", "tags", "location", "location_url", "title", "author", "category",
                   "source_url", "file", "status", "repetitions", "easiness", "interval", "due"):
        assert column in first
    assert all(r["status"] == "active" and r["file"] and not r["file"].startswith("/") for r in records)
    assert all(isinstance(r["tags"], list) for r in records)
    assert first["easiness"] == "2.50" and first["repetitions"] == 0
    table = list(csv.DictReader(io.StringIO(recall("export", "highlights", "-f", "csv", "--db", str(db_file)).stdout)))
    assert [row["text"] for row in table] == [r["text"] for r in records]


def test_export_to_file_and_unknown_format(vault: Path, db_file: Path, tmp_path: Path) -> None:
    recall("import", str(vault), "--db", str(db_file))
    out = tmp_path / "out.csv"
    result = recall("export", "highlights", "-f", "csv", "-o", str(out), "--db", str(db_file))
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("id,text,")
    bad = recall("export", "highlights", "-f", "xml", "--db", str(db_file))
    assert bad.exit_code == exit_codes.USAGE and "unknown format" in bad.stderr


def test_sources_lists_titles_literally(vault: Path, db_file: Path) -> None:
    recall("import", str(vault), "--db", str(db_file))
    listing = json.loads(recall("sources", "--db", str(db_file), "--json").stdout)
    assert sum(row["active"] for row in listing) == expected_total()
    table = recall("sources", "--db", str(db_file))
    assert listing[0]["title"] in table.stdout
