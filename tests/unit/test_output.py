"""recall.output: which files are protected, and writes that are whole or absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from recall.output import OutputFailed, ProtectedOutput, destination, write_text


def test_a_writer_interrupted_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")

    def interrupted(out) -> None:
        out.write("half a file")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_text(target, interrupted)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_a_failure_to_flush_is_an_output_error_and_nothing_is_written(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "new.json"

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputFailed) as refused:
        write_text(target, lambda out: out.write("{}"))
    assert str(refused.value) == f"cannot write {target}: No space left on device; nothing was written"
    assert os.listdir(tmp_path) == []


def test_a_symlinked_target_is_written_through_and_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert write_text(link, lambda out: out.write("new")) == 3
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_text(tmp_path / "new.csv", lambda out: out.write("x"))
    finally:
        os.umask(umask)
    assert (tmp_path / "new.csv").stat().st_mode & 0o777 == 0o644


def test_protected_files_are_refused_by_any_name(tmp_path: Path, recall_home: Path) -> None:
    db = tmp_path / "data" / "recall.db"
    db.parent.mkdir()
    db.write_bytes(b"SQLite format 3\x00")
    (db.parent / "recall.v1-20260101T000000Z.backup.db").write_bytes(b"SQLite format 3\x00")
    refused = [db, db.parent / "sub" / ".." / "recall.db", Path(f"{db}-wal"), Path(f"{db}-shm"),
               Path(f"{db}-journal"), db.parent / "recall.v1-20260101T000000Z.backup.db",
               recall_home / "config.toml"]
    (db.parent / "sub").mkdir()
    for target in refused:
        with pytest.raises(ProtectedOutput):
            destination(target, db)
    for allowed in (db.parent / "recall.csv", db.parent / "recall.db.csv", tmp_path / "recall.db",
                    db.parent / "other.v1-x.backup.sqlite"):
        assert destination(allowed, db).path == allowed
