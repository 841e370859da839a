"""Start-up discipline: only the review app loads Textual; --help loads no ORM; no command but
the review loads wordfreq (the cloze's word list, a quarter of a second); the daily commands do not
load py-fsrs under SM-2, and only `recall optimize` loads the optimizer (fsrs-rs-python)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from support import SAMPLE_VAULT

PROBE = """
import json, sys
from recall.cli import app
try:
    app(sys.argv[1:], prog_name="recall")
except SystemExit:
    pass
heavy = sorted(m for m in ("textual", "sqlmodel", "sqlalchemy", "wordfreq", "fsrs", "fsrs_rs_python") if m in sys.modules)
print(json.dumps(heavy), file=sys.stderr)
"""


def loaded_modules(*args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False)
    return json.loads(result.stderr.strip().splitlines()[-1])


def test_help_and_version_load_neither_textual_nor_the_orm() -> None:
    assert loaded_modules("--help") == []
    assert loaded_modules("--version") == []
    assert loaded_modules("import", "--help") == []


def test_import_never_loads_textual(tmp_path: Path) -> None:
    modules = loaded_modules("import", str(SAMPLE_VAULT), "--db", str(tmp_path / "r.db"))
    assert "sqlalchemy" in modules  # the import really ran
    assert "textual" not in modules
    assert "wordfreq" not in modules


def test_export_and_sources_never_load_textual(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    assert "textual" not in loaded_modules("sources", "--db", db)
    assert "textual" not in loaded_modules("export", "highlights", "--db", db)


def test_the_daily_commands_run_on_the_table_models(tmp_path: Path) -> None:
    """The SQLModel models are the schema in use, not a mirror: `recall import`, `due` and `rate`
    load them (and still no Textual, and under SM-2 no py-fsrs)."""
    db, vault = str(tmp_path / "r.db"), tmp_path / "vault"
    shutil.copytree(SAMPLE_VAULT, vault)  # a grade writes the review log into the vault
    for command in (["import", str(vault), "--db", db], ["due", "--db", db], ["rate", "1", "4", "--db", db]):
        modules = loaded_modules(*command)
        assert "sqlmodel" in modules, command
        assert "textual" not in modules, command
        assert "wordfreq" not in modules, command
        assert "fsrs" not in modules, command  # py-fsrs is for the FSRS option only (issue 14)
        assert "fsrs_rs_python" not in modules, command  # the optimizer is `recall optimize`'s alone


def test_only_optimize_loads_the_optimizer(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    loaded_modules("import", str(SAMPLE_VAULT), "--db", db)
    for command in (["--help"], ["optimize", "--help"], ["stats", "--db", db], ["export", "reviews", "--db", db]):
        assert "fsrs_rs_python" not in loaded_modules(*command), command
    assert "fsrs_rs_python" in loaded_modules("optimize", "--db", db)  # the probe sees it when it is loaded


def test_help_and_due_never_load_the_word_list(tmp_path: Path) -> None:
    """wordfreq is the cloze's, loaded on the first cloze of a review, never by another command."""
    db = str(tmp_path / "r.db")
    loaded_modules("import", str(SAMPLE_VAULT), "--db", db)
    for command in (["--help"], ["review", "--help"], ["due", "--db", db], ["due", "--json", "--db", db]):
        assert "wordfreq" not in loaded_modules(*command), command


def test_compare_loads_py_fsrs_only_when_it_runs(tmp_path: Path) -> None:
    """`recall compare` simulates FSRS (issue 14): py-fsrs loads when it runs, never for its --help,
    and no command's start-up pays for it (``recall.cli`` imports the simulation inside the command)."""
    db = str(tmp_path / "r.db")
    loaded_modules("import", str(SAMPLE_VAULT), "--db", db)
    assert loaded_modules("compare", "--help") == []
    modules = loaded_modules("compare", "--days", "7", "--db", db)
    assert "fsrs" in modules and "sqlalchemy" in modules  # it really ran
    assert "textual" not in modules and "wordfreq" not in modules


def test_the_load_tools_do_not_load_py_fsrs_under_sm2(tmp_path: Path) -> None:
    """`recall postpone`, `advance` and `break` rank by the interval under SM-2: py-fsrs is FSRS's alone."""
    db, vault = str(tmp_path / "r.db"), tmp_path / "vault"
    shutil.copytree(SAMPLE_VAULT, vault)
    loaded_modules("import", str(vault), "--db", db)
    loaded_modules("rate", "1", "4", "--db", db)
    for command in (["postpone", "3", "--db", db], ["advance", "3", "--dry-run", "--db", db],
                    ["break", "7d", "--dry-run", "--db", db], ["break", "--db", db]):
        modules = loaded_modules(*command)
        assert "sqlalchemy" in modules, command  # it ran
        assert "fsrs" not in modules and "textual" not in modules, command
