"""Every exit code is the one the README's table gives, with one clear line on stderr.

Each case runs the real `recall` in a subprocess and names the words of the
README row it relies on, so the table and the behaviour cannot drift apart.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, SAMPLE_VAULT


def recall(*args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    database = ["--db", str(db)] if db else []
    return subprocess.run([sys.executable, "-m", "recall", *args, *database], capture_output=True, text=True,
                          check=False, env=dict(os.environ))


def documented_codes() -> dict[int, str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1].split("\n## ", 1)[0]
    return {int(code): meaning for code, meaning in re.findall(r"^\| (\d) \| (.+) \|$", table, re.MULTILINE)}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("imported")
    vault = shutil.copytree(SAMPLE_VAULT, folder / "vault")  # the actions write the review log into it
    env = {**os.environ, "RECALL_HOME": str(folder / "home"), "RECALL_NOW": "2026-03-02T09:30:00+00:00"}
    subprocess.run([sys.executable, "-m", "recall", "import", str(vault), "--db", str(folder / "recall.db")],
                   check=True, capture_output=True, env=env)
    return folder / "recall.db"


@pytest.fixture
def db(imported: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "recall.db"
    copy.write_bytes(imported.read_bytes())
    return copy


CASES = [
    # (what, arguments, exit code, words of its README row, words of the message)
    ("a grade that is a word", ["rate", "1", "good"], 2, "grade not a whole number from 0 to 5",
     "grade must be a whole number from 0 to 5, got 'good'"),
    ("a negative grade", ["rate", "1", "-1"], 2, "grade not a whole number from 0 to 5",
     "grade must be a whole number from 0 to 5, got '-1'"),
    ("a grade above 5", ["rate", "1", "6"], 2, "grade not a whole number from 0 to 5",
     "grade must be a whole number from 0 to 5, got '6'"),
    ("a grade out of range for a missing highlight", ["rate", "99999", "-1"], 2, "grade not a whole number",
     "grade must be"),
    ("a grade in another script's digits", ["rate", "3", "\u0665"], 2, "grade not a whole number from 0 to 5",
     "grade must be a whole number from 0 to 5, got '\u0665'"),
    ("a grade with an underscore", ["rate", "3", "0_4"], 2, "grade not a whole number", "got '0_4'"),
    ("a grade with a sign", ["rate", "3", "+4"], 2, "grade not a whole number", "got '+4'"),
    ("rating a missing highlight", ["rate", "99999", "4"], 4, "no highlight with that id", "no highlight with id 99999"),
    ("favourite, British spelling", ["favourite", "1"], 0, "success", ""),
    ("favourite --off", ["favourite", "1", "--off"], 0, "success", ""),
    ("favourite of a missing highlight", ["favourite", "99999"], 4, "no highlight with that id",
     "no highlight with id 99999"),
    ("favorite of a missing highlight", ["favorite", "99999"], 4, "no highlight with that id",
     "no highlight with id 99999"),
    ("nothing to undo", ["undo"], 5, "nothing to undo", "nothing to undo"),
    ("an export onto the database", ["export", "highlights", "-o", "{db}"], 2,
     "an output file that is the database", "refusing to write to"),
    ("a backup onto the database", ["db", "backup", "{db}"], 2, "an output file that is the database",
     "refusing to write to"),
    ("an export into a missing folder", ["export", "stats", "-o", "{db}.d/x.csv"], 1, "a file that cannot be written",
     "nothing was written"),
]


@pytest.mark.parametrize(("what", "args", "code", "row", "message"), CASES, ids=[case[0] for case in CASES])
def test_exit_code_and_message(db: Path, what: str, args: list[str], code: int, row: str, message: str) -> None:
    result = recall(*(arg.format(db=db) for arg in args), db=db)
    assert result.returncode == code, (what, result.stderr)
    assert row in documented_codes()[code]
    if code:
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("recall: "), result.stderr
        assert message in result.stderr
        assert "Usage:" not in result.stderr and "Traceback" not in result.stderr


def test_a_grade_the_review_log_cannot_take_is_exit_1_and_not_saved(db: Path, tmp_path: Path, recall_home: Path) -> None:
    recall_home.mkdir(parents=True, exist_ok=True)
    (recall_home / "config.toml").write_text(f'review_log = "{tmp_path / "unmounted" / "recall-log"}"\n')
    result = recall("rate", "1", "4", db=db)
    documented = "a grade, skip, discard, restore, favourite mark, undo, scheduler switch"
    assert result.returncode == 1 and documented in documented_codes()[1]
    assert result.stderr.startswith("recall: grade not saved: cannot write the review log ") and "unmounted" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM reviews").fetchone() == (0,)


def test_favourite_is_favorite(db: Path) -> None:
    assert recall("favourite", "3", db=db).returncode == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT favorite FROM highlights WHERE id = 3").fetchone() == (1,)


def test_config_init_over_an_existing_file_is_an_error_that_says_where() -> None:
    first, again = recall("config", "init"), recall("config", "init")
    path = first.stdout.strip()
    assert first.returncode == 0 and Path(path).is_file()
    assert again.returncode == 1 and "a settings file that already exists" in documented_codes()[1]
    assert again.stderr == (f"recall: a settings file already exists at {path}; edit it, or delete it to write a "
                            "fresh one\n")


def test_an_id_is_ascii_digits_only(db: Path) -> None:
    """Python's int() reads `1_1` as 11 and `\u0663` as 3: a typo must not act on another highlight."""
    for typed in ("1_1", "\u0663", "\uff14", " 4"):
        result = recall("skip", typed, db=db)
        assert result.returncode == 2 and "is not an id" in result.stderr, (typed, result.stderr)
        assert "Traceback" not in result.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM highlights WHERE skipped_until IS NOT NULL").fetchone() == (0,)


def test_explaining_a_note_too_large_to_import_says_so_at_once(tmp_path: Path) -> None:
    big = tmp_path / "Readwise" / "Big.md"
    big.parent.mkdir()
    big.write_bytes(b"# Big\n\n## Highlights\n" + b"- y\n" * 2_500_000)
    result = recall("import", "--explain", str(big))
    assert result.returncode == 3
    assert result.stderr.strip() == f"recall: {big}: 10.0 MB is too large for a highlight note (limit 8 MiB); `recall import` does not read it"
