"""`recall optimize` end to end on a real SQLite file: too few reviews, then a generated history."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from support import REPO, db_rows
from typer.testing import CliRunner

from recall.cli import app

sys.path.insert(0, str(REPO / "bench"))
from history import add_history  # bench/history.py: the generated history the README shows

runner = CliRunner()
DAY_1, DAY_2 = "2026-03-02T09:00:00+00:00", "2026-03-03T09:00:00+00:00"


@pytest.fixture
def cli(db_file: Path, monkeypatch: pytest.MonkeyPatch):
    def run(*args: str, now: str = DAY_1):
        monkeypatch.setenv("RECALL_NOW", now)
        return runner.invoke(app, [*args, "--db", str(db_file)], catch_exceptions=False)

    return run


def test_too_few_reviews_is_one_line_and_exit_0(cli, vault: Path) -> None:
    assert cli("import", str(vault)).exit_code == 0
    for highlight_id, grade in ((1, 4), (2, 2), (2, 5), (3, 5)):  # the second grade of 2 is a drill
        assert cli("rate", str(highlight_id), str(grade)).exit_code == 0
    assert cli("rate", "1", "4", now=DAY_2).exit_code == 0

    result = cli("optimize")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.startswith(
        "Not enough reviews to fit FSRS yet: 0 usable of the 64 needed (4 reviews of 3 highlights; a highlight's"
    )
    assert result.stderr.endswith("FSRS uses its default parameters until then.\n")

    result = cli("optimize", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "fitted": False, "reviews": 4, "highlights": 3, "used": 0, "needed": 64, "stored": False,
    }


def test_a_generated_history_is_fitted(cli, db_file: Path, vault: Path) -> None:
    assert cli("import", str(vault)).exit_code == 0
    add_history(str(db_file), date(2026, 3, 2), days=60, per_day=20, new_per_day=3)
    with sqlite3.connect(db_file) as raw:  # a history from before the review log: the next command logs it
        raw.execute("DELETE FROM log_history")
    (reviews, highlights), = db_rows(db_file, "SELECT count(*), count(DISTINCT highlight_id) FROM reviews"
                                              " WHERE kind = 'review'")
    assert db_rows(db_file, "SELECT count(*) FROM reviews WHERE kind = 'drill'")[0][0] > 0  # left out

    result = cli("optimize", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record | {"before": None, "after": None, "weights": None, "used": None} == {
        "fitted": True, "reviews": reviews, "highlights": highlights, "used": None, "needed": 64,
        "before": None, "after": None, "improved": record["after"]["rmse"] < record["before"]["rmse"],
        "weights": None, "stored": record["improved"], "current": "default",
    }
    assert record["improved"]  # a history SM-2 scheduled, fitted: better than FSRS's defaults
    assert 64 <= record["used"] <= reviews - highlights
    assert set(record["before"]) == set(record["after"]) == {"log_loss", "rmse"}
    assert len(record["weights"]) == 21 and all(isinstance(w, float) for w in record["weights"])

    stored = json.loads(cli("scheduler", "--json").stdout)["scheduler"]
    assert (stored["scheduler"], stored["weights"]) == ("sm2", record["weights"])  # kept for FSRS, in the log

    text = cli("optimize")
    assert text.exit_code == 0 and text.stderr == ""
    lines = text.stdout.splitlines()
    assert lines[0] == f"FSRS fitted to {reviews} reviews of {highlights} highlights."
    assert lines[1].startswith(f"{record['used']} of them used (")
    assert lines[4].split()[0] == "current"  # the weights just stored are those in use now
    assert lines[5].split()[:3] == ["fitted", f"{record['after']['log_loss']:.4f}", f"{record['after']['rmse']:.2%}"]
    assert lines[8] == "Weights w0-w20:"
    assert " ".join(lines[9:12]).split() == [f"{w:.4f}" for w in record["weights"]]
    assert lines[-1] == "Not stored."  # the same fit is no better than itself
