"""No output ever lands on recall's own files, and a file is written whole or not at all.

`export … -o`, `db backup` and a redirected stdout refuse (exit 2) a target that
is the database, however it is named (another spelling, a symlink, a hard
link), its -wal/-shm files, a backup beside it or the settings file; nothing is
read or written then. A write that fails (disk full, missing folder) is one line,
exit 1, and leaves the old file as it was and no temporary file behind.
Every test runs the real `recall` in a subprocess on real SQLite files.
"""

from __future__ import annotations

import csv
import hashlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support import SAMPLE_VAULT

from recall import exit_codes


def recall(*args: str, **options) -> subprocess.CompletedProcess:
    """The real command line, with the test's RECALL_HOME and RECALL_NOW (set by conftest)."""
    return subprocess.run([sys.executable, "-m", "recall", *args], capture_output=True, text=True, check=False,
                          env=dict(os.environ), **options)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the sample vault imported (copied by each test)."""
    folder = tmp_path_factory.mktemp("imported")
    db = folder / "recall.db"
    env = {**os.environ, "RECALL_HOME": str(folder / "home"), "RECALL_NOW": "2026-03-02T09:30:00+00:00"}
    subprocess.run([sys.executable, "-m", "recall", "import", str(SAMPLE_VAULT), "--db", str(db)], check=True,
                   capture_output=True, env=env)
    return db


@pytest.fixture
def db(imported: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data" / "recall.db"
    target.parent.mkdir()
    shutil.copy(imported, target)
    return target


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def highlight_count(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT count(*) FROM highlights").fetchone()[0]


def assert_intact(db: Path, before: str, count: int) -> None:
    assert db.stat().st_size > 0
    assert digest(db) == before
    check = recall("db", "check", "--db", str(db))
    assert (check.returncode, check.stdout[:4]) == (0, "ok (")
    assert highlight_count(db) == count


def names_for_the_database(db: Path, tmp_path: Path) -> dict[str, Path]:
    """Ways to name the database file itself, each made real on disk."""
    symlink = tmp_path / "link.db"
    symlink.symlink_to(db)
    hard = tmp_path / "hard.db"
    os.link(db, hard)
    return {
        "the same path": db,
        "another spelling": db.parent / ".." / db.parent.name / db.name,
        "a symlink to it": symlink,
        "a hard link to it": hard,
    }


@pytest.mark.parametrize("export", [["export", "highlights"], ["export", "highlights", "-f", "csv"],
                                    ["export", "stats"], ["export", "stats", "-f", "json"]])
def test_export_onto_the_database_is_refused_and_it_is_kept(db: Path, tmp_path: Path, export: list[str]) -> None:
    before, count = digest(db), highlight_count(db)
    for how, name in names_for_the_database(db, tmp_path).items():
        result = recall(*export, "-o", str(name), "--db", str(db))
        assert result.returncode == exit_codes.USAGE, (how, result.stderr)
        assert result.stderr == f"recall: refusing to write to {name}: it is the database {db}; choose another file\n"
        assert result.stdout == ""
        assert digest(db) == before
    assert_intact(db, before, count)


def test_export_onto_the_database_side_files_backups_and_settings_is_refused(db: Path, tmp_path: Path) -> None:
    backup = db.parent / "recall.v1-20260101T000000Z.backup.db"
    assert recall("db", "backup", str(backup), "--db", str(db)).returncode == 0
    assert recall("config", "init").returncode == 0
    settings = Path(recall("config", "path").stdout.strip())
    kept = {path: digest(path) for path in (db, backup, settings)}
    targets = {
        Path(f"{db}-wal"): "the database's write-ahead log",
        Path(f"{db}-shm"): "the database's shared-memory file",
        backup: "a backup of the database",
        settings: "the settings file",
    }
    for target, what in targets.items():
        result = recall("export", "highlights", "-o", str(target), "--db", str(db))
        assert result.returncode == exit_codes.USAGE, result.stderr
        assert result.stderr.startswith(f"recall: refusing to write to {target}: it is {what}")
    assert {path: digest(path) for path in kept} == kept
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").read_bytes()[:4] != b"[\n{\""


def test_stdout_redirected_onto_the_database_is_refused(db: Path) -> None:
    before, count = digest(db), highlight_count(db)
    for export in (["export", "highlights"], ["export", "stats"], ["sources"], ["due", "--json"], ["stats"],
                   ["db", "status"], ["db", "path"], ["vaults"], ["rate", "1", "4"]):
        with db.open("ab") as appended:  # `recall export highlights >> recall.db`
            result = subprocess.run([sys.executable, "-m", "recall", *export, "--db", str(db)], stdout=appended,
                                    stderr=subprocess.PIPE, text=True, check=False, env=dict(os.environ))
        assert result.returncode == exit_codes.USAGE, export
        assert "standard output is the database" in result.stderr
    assert_intact(db, before, count)
    assert recall("export", "highlights", "--db", str(db), "-f", "json").stdout.count('"due": null') == count


def test_stdout_redirected_onto_the_settings_file_is_refused(db: Path) -> None:
    settings = Path(recall("config", "init").stdout.strip())
    written = settings.read_bytes()
    for command in (["config", "show"], ["sources", "--db", str(db)], ["due", "--db", str(db)]):
        with settings.open("ab") as appended:  # `recall sources >> config.toml`
            result = subprocess.run([sys.executable, "-m", "recall", *command], stdout=appended,
                                    stderr=subprocess.PIPE, text=True, check=False, env=dict(os.environ))
        assert result.returncode == exit_codes.USAGE, command
        assert "standard output is the settings file" in result.stderr
    assert settings.read_bytes() == written


def test_config_init_never_writes_onto_the_database_or_its_side_files(db: Path, tmp_path: Path) -> None:
    before, count = digest(db), highlight_count(db)
    fresh = tmp_path / "new.db"
    for settings, database in ((Path(f"{db}-wal"), db), (Path(f"{db}-shm"), db), (db, db), (fresh, fresh)):
        environment = {**os.environ, "RECALL_CONFIG": str(settings), "RECALL_DB": str(database)}
        result = subprocess.run([sys.executable, "-m", "recall", "config", "init"], capture_output=True, text=True,
                                check=False, env=environment)
        assert result.returncode == exit_codes.USAGE, (settings, result.stderr)
        assert result.stderr.startswith(f"recall: refusing to write to {settings}: it is ")
    assert_intact(db, before, count)
    assert not fresh.exists()
    for side in (Path(f"{db}-wal"), Path(f"{db}-shm")):  # SQLite's own, if any: never the settings text
        assert not side.exists() or b"recall settings" not in side.read_bytes()


def test_db_backup_refuses_the_database_its_side_files_and_the_settings(db: Path, tmp_path: Path) -> None:
    settings = Path(recall("config", "path").stdout.strip())
    for target in (db, tmp_path / "link.db", Path(f"{db}-wal"), Path(f"{db}-shm"), settings):
        if target.name == "link.db":
            target.symlink_to(db)
        result = recall("db", "backup", str(target), "--db", str(db))
        assert result.returncode == exit_codes.USAGE, (target, result.stderr)
        assert result.stderr.startswith(f"recall: refusing to write to {target}: it is ")
    assert not settings.exists()  # the settings file was not created as a database
    assert not Path(f"{db}-wal").exists() or not Path(f"{db}-wal").read_bytes().startswith(b"SQLite format 3")


def test_export_to_a_file_replaces_it_whole(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "highlights.csv"
    out.parent.mkdir()
    out.write_text("an older export\n", encoding="utf-8")
    out.chmod(0o640)
    result = recall("export", "highlights", "-f", "csv", "-o", str(out), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("id,text,note,tags,")
    assert len(list(csv.DictReader(out.open(encoding="utf-8", newline="")))) == highlight_count(db)
    assert oct(out.stat().st_mode & 0o777) == oct(0o640)  # the file keeps its permissions
    assert os.listdir(out.parent) == ["highlights.csv"]  # no temporary file left


def _file_size_limit(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # writes past it fail ("File too large")

    return apply


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "highlights.jsonl"
    out.parent.mkdir()
    out.write_text("the previous export\n", encoding="utf-8")
    result = recall("export", "highlights", "-o", str(out), "--db", str(db), preexec_fn=_file_size_limit(40_000))
    assert result.returncode == exit_codes.ERROR
    assert result.stderr == f"recall: cannot write {out}: File too large; nothing was written\n"
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert os.listdir(out.parent) == ["highlights.jsonl"]


def test_a_backup_that_fails_midway_leaves_nothing(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "copy.db"
    target.parent.mkdir()
    result = recall("db", "backup", str(target), "--db", str(db), preexec_fn=_file_size_limit(40_000))
    assert result.returncode == exit_codes.ERROR
    assert result.stderr.startswith(f"recall: cannot write {target}: ")
    assert result.stderr.endswith("; nothing was written\n") and result.stderr.count("\n") == 1
    assert os.listdir(target.parent) == []


def test_a_missing_folder_or_a_full_device_is_one_line(db: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "x.csv"
    result = recall("export", "highlights", "-f", "csv", "-o", str(missing), "--db", str(db))
    assert result.returncode == exit_codes.ERROR
    assert result.stderr == f"recall: cannot write {missing}: No such file or directory; nothing was written\n"
    if Path("/dev/full").exists():
        full = recall("export", "stats", "-f", "json", "-o", "/dev/full", "--db", str(db))
        assert full.returncode == exit_codes.ERROR
        assert full.stderr == "recall: cannot write /dev/full: No space left on device\n"
