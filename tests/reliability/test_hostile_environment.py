"""Whatever the environment hands recall (a device for a database, another program's
SQLite file, an endless settings file, a clock at the end of time, an id past SQLite's
range, a full or read-only disk), the answer is one clear line and a documented exit
code, never a traceback, and nothing already saved is lost."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from support import MAKE_VAULT, SAMPLE_VAULT, needs_shared

from recall import exit_codes

NOW = "2026-03-02T09:30:00+00:00"


def recall(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process."""
    environment = os.environ | {"RECALL_NOW": NOW} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "recall", *map(str, args)], capture_output=True, text=True, env=environment,
        check=False, timeout=120,
    )


def one_clear_line(done: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("recall: "), done.stderr
    for word in words:
        assert word in lines[0]


def table_rows(db: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def imported_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("imported")
    db, vault = folder / "recall.db", folder / "vault"  # a copy: a grade writes the review log into the vault
    shutil.copytree(SAMPLE_VAULT, vault, symlinks=True)
    assert recall("import", vault, "--db", db).returncode == 0
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one self-contained file to copy
    return db


@pytest.fixture
def imported_db(imported_once: Path, tmp_path: Path) -> Path:
    """The sample vault imported: a private copy for each test."""
    return Path(shutil.copy(imported_once, tmp_path / "recall.db"))


def test_a_device_or_a_folder_is_not_a_database(tmp_path: Path) -> None:
    one_clear_line(recall("due", env={"RECALL_DB": "/dev/null"}), exit_codes.ERROR, "/dev/null", "not a database file")
    folder = recall("due", "--db", tmp_path)  # typer's own usage error
    assert folder.returncode == exit_codes.USAGE and "is a directory" in folder.stderr
    assert "Traceback" not in folder.stderr


def test_a_negative_schema_version_is_refused(imported_db: Path) -> None:
    with closing(sqlite3.connect(imported_db)) as connection:
        connection.execute("PRAGMA user_version = -3")
    before = table_rows(imported_db, "SELECT * FROM highlights")
    one_clear_line(recall("import", SAMPLE_VAULT, "--db", imported_db), exit_codes.ERROR, "schema version -3")
    assert table_rows(imported_db, "PRAGMA user_version") == [(-3,)]
    assert table_rows(imported_db, "SELECT * FROM highlights") == before


def test_another_programs_database_gets_no_recall_tables(tmp_path: Path) -> None:
    theirs = tmp_path / "places.sqlite"
    with closing(sqlite3.connect(theirs)) as connection, connection:
        connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        connection.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    one_clear_line(recall("import", SAMPLE_VAULT, "--db", theirs), exit_codes.ERROR, "another program's", "moz_places")
    assert table_rows(theirs, "SELECT name FROM sqlite_schema WHERE type = 'table'") == [("moz_places",)]
    assert table_rows(theirs, "SELECT url FROM moz_places") == [("https://example.org",)]


@pytest.mark.parametrize("version", [1, 2])
def test_a_file_claiming_a_recall_schema_without_its_tables_is_refused(tmp_path: Path, version: int) -> None:
    theirs = tmp_path / "notes.db"
    with closing(sqlite3.connect(theirs)) as connection, connection:
        connection.execute("CREATE TABLE reviews (id INTEGER PRIMARY KEY, body TEXT)")
        connection.execute(f"PRAGMA user_version = {version}")
    for command in (("due",), ("rate", "1", "4"), ("import", str(SAMPLE_VAULT))):
        one_clear_line(recall(*command, "--db", theirs), exit_codes.ERROR, "is not a recall database", "highlights")
    assert table_rows(theirs, "SELECT name FROM sqlite_schema WHERE type = 'table'") == [("reviews",)]
    assert not list(tmp_path.glob("*.backup.db"))


def schema_pages(db: Path) -> set[int]:
    """The pages (1-based) holding the schema: with the search index's triggers it is more than page 1."""
    with closing(sqlite3.connect(db)) as connection:
        try:
            return {page for (page,) in connection.execute("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'")}
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table to find the schema's pages")


def test_a_damaged_database_is_one_line_for_every_command(imported_db: Path) -> None:
    size = imported_db.stat().st_size
    schema = schema_pages(imported_db)
    with imported_db.open("r+b") as raw:  # every page but the schema's overwritten
        for page in range(1, size // 4096 + 1):
            if page not in schema:
                raw.seek((page - 1) * 4096)
                raw.write(b"\xff" * 4096)
    for command in (("due",), ("stats",), ("rate", "5", "4"), ("export", "highlights")):
        one_clear_line(recall(*command, "--db", imported_db), exit_codes.ERROR, "malformed")
    checked = recall("db", "check", "--db", imported_db)
    assert checked.returncode == exit_codes.ERROR and "Traceback" not in checked.stderr
    assert "malformed" in checked.stdout


def test_an_endless_settings_file_is_refused(tmp_path: Path) -> None:
    one_clear_line(recall("due", "--db", tmp_path / "r.db", env={"RECALL_CONFIG": "/dev/zero"}), exit_codes.USAGE,
                   "/dev/zero", "over 1 MiB")
    big = tmp_path / "config.toml"
    big.write_text("# padding\n" * 110_000)
    one_clear_line(recall("config", "show", env={"RECALL_CONFIG": str(big)}), exit_codes.USAGE, "over 1 MiB")


@pytest.mark.parametrize(("now", "says"), [
    ("0001-01-01T00:00:00+00:00", "outside the years"), ("0001-01-01T00:30:00+01:00", "outside the years"),
    ("9999-12-31T23:59:59+00:00", "outside the years"), ("9999-12-31T20:00:00-05:00", "outside the years"),
    ("2026-03-02T09:30:00+24:00", "offset of a day or more"), ("2026-03-02T09:30:00-24:00", "offset of a day"),
])
@pytest.mark.parametrize("command", [("due",), ("stats",), ("rate", "1", "4"), ("import", str(SAMPLE_VAULT))])
def test_a_clock_at_the_ends_of_the_calendar_is_a_usage_error(
    imported_db: Path, now: str, says: str, command: tuple[str, ...]
) -> None:
    done = recall(*command, "--db", imported_db, env={"RECALL_NOW": now})
    one_clear_line(done, exit_codes.USAGE, "RECALL_NOW", says)


@pytest.mark.parametrize("now", ["1900-01-01T00:00:00+14:00", "9998-12-31T23:59:59-12:00"])
def test_the_first_and_last_years_recall_accepts_work(imported_db: Path, now: str) -> None:
    for command in (("rate", "1", "4"), ("due",), ("stats",), ("export", "stats")):
        done = recall(*command, "--db", imported_db, env={"RECALL_NOW": now})
        assert done.returncode == 0, (command, done.stderr)


@pytest.mark.parametrize("highlight_id", ["9223372036854775808", "99999999999999999999", "-9223372036854775809"])
@pytest.mark.parametrize("command", ["rate", "skip", "discard", "restore", "favorite"])
def test_an_id_past_sqlites_range_is_not_found(imported_db: Path, highlight_id: str, command: str) -> None:
    args = [command, "--db", str(imported_db), "--", highlight_id] + (["4"] if command == "rate" else [])
    one_clear_line(recall(*args), exit_codes.NOT_FOUND, f"no highlight with id {highlight_id}")


# -- the disk refuses: a small or read-only file system of our own (a user and mount namespace) -------------

UNSHARE = shutil.which("unshare")


def in_own_mount(tmp_path: Path, script: str, size: str = "2m") -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) with $MNT a fresh tmpfs of ``size`` that only this process tree sees."""
    mount_point = tmp_path / "mnt"
    mount_point.mkdir()
    setup = f'set -e; mount -t tmpfs -o size={size} tmpfs "{mount_point}"; MNT="{mount_point}"; set +e;\n'
    recall_cmd = f"{sys.executable} -m recall"  # word-split by sh: no spaces in the path
    sample = tmp_path / "sample"  # a copy on the real disk: a grade appends to the review log in the vault
    shutil.copytree(SAMPLE_VAULT, sample, symlinks=True, dirs_exist_ok=True)
    environment = os.environ | {"RECALL_NOW": NOW, "RECALL": recall_cmd, "SAMPLE": str(sample)}
    return subprocess.run(
        [UNSHARE or "unshare", "--map-root-user", "--mount", "sh", "-c", setup + script], capture_output=True,
        text=True, env=environment, check=False, timeout=300,
    )


@pytest.fixture
def own_mounts(tmp_path: Path) -> None:
    if UNSHARE is None:
        pytest.skip("needs unshare(1) to mount a small file system without privileges")
    probe = subprocess.run([UNSHARE, "--map-root-user", "--mount", "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a private tmpfs here (user namespaces disabled?): {probe.stderr.strip()}")


FULL = "the disk is full; nothing was lost"
READ_ONLY = "read-only"


def test_a_full_disk_during_rate_and_undo_is_one_line_and_loses_nothing(tmp_path: Path, own_mounts: None) -> None:
    done = in_own_mount(tmp_path, r"""
        $RECALL import "$SAMPLE" --db "$MNT/r.db" 2>/dev/null || exit 90
        $RECALL rate 2 4 --db "$MNT/r.db" >/dev/null || exit 91
        dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null
        $RECALL rate 1 4 --db "$MNT/r.db"; echo "rate=$?" >&2
        $RECALL undo --db "$MNT/r.db"; echo "undo=$?" >&2
        rm "$MNT/fill"
        $RECALL export highlights --db "$MNT/r.db" -f json
    """)
    assert "Traceback" not in done.stderr
    assert "rate=1" in done.stderr and "undo=1" in done.stderr
    refusals = [line for line in done.stderr.splitlines() if line.startswith("recall: ")]
    assert len(refusals) == 2 and all(FULL in line for line in refusals), done.stderr
    import json

    exported = {row["id"]: row for row in json.loads(done.stdout)}
    assert exported[2]["interval"] == 1 and exported[2]["due"] == "2026-03-03"  # the grade before is kept
    assert exported[1]["due"] is None  # the refused grade left no trace


@needs_shared
def test_a_full_disk_during_import_is_one_line_and_the_next_import_finishes(
    tmp_path: Path, own_mounts: None
) -> None:
    vault = tmp_path / "big-vault"  # more highlights than the space left on the disk
    subprocess.run([sys.executable, str(MAKE_VAULT), str(vault), "--notes", "150", "--seed", "5", "-q"], check=True)
    reference = tmp_path / "reference.db"
    assert recall("import", SAMPLE_VAULT, vault, "--db", reference).returncode == 0
    check = f'"{sys.executable}" -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(' \
        "'PRAGMA integrity_check').fetchone()[0])\""
    done = in_own_mount(tmp_path, f"""
        $RECALL import "$SAMPLE" --db "$MNT/r.db" 2>/dev/null || exit 90
        dd if=/dev/zero of="$MNT/fill" bs=64k 2>/dev/null; truncate -s -300K "$MNT/fill"
        $RECALL import "{vault}" --db "$MNT/r.db"; echo "import=$?" >&2
        rm "$MNT/fill"
        {check} "$MNT/r.db"
        $RECALL import --db "$MNT/r.db" 2>/dev/null; echo "again=$?" >&2
        $RECALL sources --json --db "$MNT/r.db"
    """, size="32m")
    assert "Traceback" not in done.stderr
    assert "import=1" in done.stderr and "again=0" in done.stderr, done.stderr
    refusals = [line for line in done.stderr.splitlines() if line.startswith("recall: ")]
    assert len(refusals) == 1 and FULL in refusals[0], done.stderr
    integrity, listing = done.stdout.split("\n", 1)
    assert integrity == "ok"
    import json

    expected = json.loads(recall("sources", "--json", "--db", reference).stdout)
    assert json.loads(listing) == expected


def test_a_read_only_file_system_refuses_rate_and_import_in_one_line(tmp_path: Path, own_mounts: None) -> None:
    done = in_own_mount(tmp_path, r"""
        $RECALL import "$SAMPLE" --db "$MNT/r.db" 2>/dev/null || exit 90
        mount -o remount,ro "$MNT" || exit 91
        $RECALL rate 1 4 --db "$MNT/r.db"; echo "rate=$?" >&2
        $RECALL import "$SAMPLE" --db "$MNT/r.db"; echo "import=$?" >&2
        $RECALL undo --db "$MNT/r.db"; echo "undo=$?" >&2
    """)
    assert "Traceback" not in done.stderr
    assert {"rate=1", "import=1", "undo=1"} <= set(done.stderr.split()), done.stderr
    refusals = [line for line in done.stderr.splitlines() if line.startswith("recall: ")]
    assert len(refusals) == 3 and all(READ_ONLY in line and "nothing was lost" in line for line in refusals)
