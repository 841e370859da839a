"""`recall db path | status | backup | check` on real SQLite files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from recall import exit_codes
from recall.cli import app
from recall.db.migrations import SCHEMA_VERSION

runner = CliRunner()


def recall(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_path_follows_flag_then_environment_then_home(tmp_path: Path, recall_home: Path, monkeypatch) -> None:
    assert recall("db", "path").stdout.strip() == str(recall_home / "recall.db")
    monkeypatch.setenv("RECALL_DB", str(tmp_path / "env.db"))
    assert recall("db", "path").stdout.strip() == str(tmp_path / "env.db")
    assert recall("db", "path", "--db", str(tmp_path / "flag.db")).stdout.strip() == str(tmp_path / "flag.db")


def test_status_counts_what_was_imported(vault: Path, db_file: Path) -> None:
    recall("import", str(vault), "--db", str(db_file))
    recall("discard", "1", "--db", str(db_file))
    info = json.loads(recall("db", "status", "--json", "--db", str(db_file)).stdout)
    assert info["schema_version"] == SCHEMA_VERSION
    assert info["highlights"]["discarded"] == 1
    assert info["highlights"]["active"] + 1 == sum(
        int(line.split("\t")[1]) for line in (Path(__file__).parents[1] / "data" / "sample_vault_expected.tsv")
        .read_text().splitlines()[1:]
    )
    assert info["vaults"][0]["root"] == str(vault.resolve())
    assert f"schema version {SCHEMA_VERSION}" in recall("db", "status", "--db", str(db_file)).stdout


def test_backup_is_a_complete_database_and_never_overwrites(vault: Path, db_file: Path, tmp_path: Path) -> None:
    recall("import", str(vault), "--db", str(db_file))
    recall("rate", "1", "4", "--db", str(db_file))
    copy = tmp_path / "copy.db"
    assert recall("db", "backup", str(copy), "--db", str(db_file)).exit_code == 0
    with sqlite3.connect(copy) as backup, sqlite3.connect(db_file) as live:
        for table in ("highlights", "reviews", "sources", "files", "occurrences"):
            query = f"SELECT * FROM {table} ORDER BY 1, 2"
            assert backup.execute(query).fetchall() == live.execute(query).fetchall()
    again = recall("db", "backup", str(copy), "--db", str(db_file))
    assert again.exit_code == exit_codes.ERROR and "already exists" in again.stderr


def test_check_reports_ok_then_a_broken_reference(vault: Path, db_file: Path) -> None:
    recall("import", str(vault), "--db", str(db_file))
    ok = recall("db", "check", "--db", str(db_file))
    assert (ok.exit_code, ok.stdout.strip()) == (0, "ok (0 events in the review log, 177 highlights)")
    with sqlite3.connect(db_file) as raw:  # foreign keys are off on a bare connection
        raw.execute("INSERT INTO occurrences (file_id, line, highlight_id) VALUES (99999, 1, 1)")
    broken = recall("db", "check", "--db", str(db_file))
    assert broken.exit_code == exit_codes.ERROR
    assert "occurrences row" in broken.stdout and "files" in broken.stdout


def test_a_command_on_a_missing_database_says_to_import_and_creates_nothing(tmp_path: Path) -> None:
    """A typo in --db (or a fresh home) must not leave an empty database that then says "nothing due"."""
    missing = tmp_path / "typo" / "recal.db"
    for command in (["due"], ["stats"], ["show", "1"], ["search", "x"], ["sources"], ["export", "reviews"],
                    ["db", "status"], ["rate", "1", "4"]):
        result = recall(*command, "--db", str(missing))
        assert result.exit_code == exit_codes.ERROR, (command, result.output)
        assert f"no database at {missing}" in result.stderr and "recall import VAULT --db" in result.stderr, command
        assert not missing.parent.exists(), command
    imported = recall("import", str(tmp_path / "nowhere"), "--db", str(missing))  # only an import creates one
    assert missing.exists() and imported.exit_code != exit_codes.OK
