"""Where the review log is (the ``review_log`` setting against the vaults), and the import never walking it."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import FIXED_NOW, rows, run_import, write_note

from recall.importer.report import ImportReport
from recall.importer.sync import import_vault
from recall.reviewlog.files import LogWriteError
from recall.reviewlog.place import log_root, log_roots, skipped_in


def test_a_relative_folder_is_in_the_vault_imported_first(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    assert log_root("recall-log", vault) == vault / "recall-log"
    assert log_root("Meta/recall log", vault) == vault / "Meta" / "recall log"
    with pytest.raises(LogWriteError, match="no vault is imported to keep the review log in"):
        log_root("recall-log", None)
    with pytest.raises(LogWriteError, match="is not a folder .moved, or an unmounted drive"):
        log_root("recall-log", tmp_path / "unmounted")  # never made: the log would grow a fake vault


def test_an_absolute_folder_is_used_as_it_is_if_its_parent_is_there(tmp_path: Path, monkeypatch) -> None:
    assert log_root(str(tmp_path / "log"), None) == tmp_path / "log"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert log_root("~/log", tmp_path / "vault") == tmp_path / "log"
    with pytest.raises(LogWriteError, match="cannot write the review log"):
        log_root(str(tmp_path / "drive" / "log"), None)


def test_every_vaults_log_is_read_and_the_default_folder_too_when_the_setting_names_another(tmp_path: Path) -> None:
    first, second = tmp_path / "notes", tmp_path / "more"
    assert log_roots("recall-log", [first, second]) == [first / "recall-log", second / "recall-log"]
    assert log_roots("logs/recall", [first]) == [first / "logs" / "recall", first / "recall-log"]
    absolute = tmp_path / "sync" / "log"
    assert log_roots(str(absolute), [first, second]) == [absolute, first / "recall-log", second / "recall-log"]


def test_the_folder_skipped_in_a_vault(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "Meta").mkdir(parents=True)
    assert skipped_in("recall-log", vault) == "recall-log"
    assert skipped_in("./Meta/log/", vault) == "Meta/log"
    assert skipped_in(str(vault / "Meta" / "log"), vault) == "Meta/log"
    assert skipped_in(str(tmp_path / "elsewhere"), vault) is None
    assert skipped_in(str(vault), vault) is None  # the log is the vault: nothing to leave out


def notes_imported(engine) -> list[str]:
    return [path for (path,) in rows(engine, "SELECT path FROM files WHERE present AND is_note ORDER BY path")]


def test_the_import_never_walks_the_log_folder(engine, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    write_note(vault, "Books/Kept.md", "Kept", "kept")
    write_note(vault, "recall-log/Stray.md", "Stray", "stray")  # a note someone left in the log folder
    write_note(vault, "Meta/log/Other.md", "Other", "other")
    (vault / "recall-log" / "5f0c2d1e-8f53-4b0e-a1f4-0d0c9a7b6e21").mkdir()
    (vault / "recall-log" / "5f0c2d1e-8f53-4b0e-a1f4-0d0c9a7b6e21" / "2026-03.jsonl").write_text("{}\n")
    run_import(engine, vault)  # the default setting
    assert notes_imported(engine) == ["Books/Kept.md", "Meta/log/Other.md"]
    report = ImportReport()
    import_vault(engine, vault, FIXED_NOW, report, review_log=str(vault / "Meta" / "log"))
    assert notes_imported(engine) == ["Books/Kept.md", "recall-log/Stray.md"]
    assert report.files_removed == 1 and not report.warnings


def test_recall_import_skips_the_folder_the_setting_names(tmp_path: Path, recall_home: Path) -> None:
    from typer.testing import CliRunner

    from recall.cli import app

    vault = tmp_path / "vault"
    write_note(vault, "Books/Kept.md", "Kept", "kept")
    write_note(vault, "Sync/log/Stray.md", "Stray", "stray")
    recall_home.mkdir(parents=True, exist_ok=True)
    (recall_home / "config.toml").write_text('review_log = "Sync/log"\n')
    db = tmp_path / "recall.db"
    result = CliRunner().invoke(app, ["import", str(vault), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    from recall.db.engine import open_db

    assert notes_imported(open_db(db)) == ["Books/Kept.md"]
