"""`recall compare` end to end on a real SQLite file: the sample vault imported, 60 study days of
reviews written by bench/history.py's ``add_history``, a grade given today through `recall rate`,
the clock fixed by RECALL_NOW (conftest: 2 March 2026, 09:30 UTC)."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len
from support import REPO, db_rows
from typer.testing import CliRunner

from recall import exit_codes
from recall.cli import app
from recall.stats.compare import DEFAULT_SEED

sys.path.insert(0, str(REPO / "bench"))  # bench/history.py's year of reviews, reused as is
from history import add_history

runner = CliRunner()
TODAY = date(2026, 3, 2)


@pytest.fixture
def reviewed(db_file: Path, vault: Path) -> Path:
    """The database: the sample vault, 60 days of reviews (2 new a day), a due highlight graded today."""
    assert runner.invoke(app, ["import", str(vault), "--db", str(db_file)]).exit_code == 0
    add_history(str(db_file), TODAY, days=60, per_day=15, new_per_day=2)
    queue = json.loads(compare_cli(db_file, "due", "--json").stdout)["queue"]
    due = [item["id"] for item in queue if item["kind"] == "due"]
    assert len(due) >= 5 and len(queue) > len(due)  # the history leaves some due today, and new ones
    assert compare_cli(db_file, "rate", str(due[0]), "4").exit_code == 0
    return db_file


def compare_cli(db: Path, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, [*args, "--db", str(db), "--timezone", "UTC"], env=env, catch_exceptions=False)


def as_json(db: Path, *args: str) -> dict:
    result = compare_cli(db, "compare", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_has_the_inputs_the_horizons_and_the_daily_series(reviewed: Path) -> None:
    found = as_json(reviewed, "--days", "30,7")
    assert (found["study_day"], found["horizons"], found["seed"]) == ("2026-03-02", [7, 30], DEFAULT_SEED)
    in_reach = db_rows(reviewed, "SELECT count(*) FROM highlights WHERE due IS NOT NULL AND NOT retired AND NOT discarded"
                                 " AND NOT placeholder AND (words IS NULL OR words >= 4)")[0][0]
    collection = found["collection"]
    assert collection["scheduled"] == in_reach > 0
    assert (collection["new_per_day"], collection["reviews_per_day"]) == (10, 200)  # the settings' defaults
    assert (collection["reviewed_today"], collection["new_today"]) == (1, 0)  # the grade given today
    assert sum(found["grades"]["first"]) == in_reach  # one first review per highlight scheduled (all reviewed)
    assert found["fsrs"]["desired_retention"] == 0.9 and found["fsrs"]["default_weights"] is True
    for name in ("sm2", "fsrs"):
        simulated = found["schedulers"][name]
        days = simulated["days"]
        assert [d["day"] for d in days[:2]] == ["2026-03-02", "2026-03-03"] and len(days) == 30
        week, month = simulated["horizons"]
        assert (week["days"], month["days"]) == (7, 30)
        assert month["reviews"] == sum(d["reviews"] for d in days) > 0
        assert week["reviews"] == sum(d["reviews"] for d in days[:7])
        assert month["peak"] == max(d["reviews"] for d in days)
        assert month["new"] == sum(d["new"] for d in days) <= collection["new"]
        assert 0.5 < month["recall_rate"] < 1 and 0.5 < month["retention"] < 1
        assert days[0]["reviews"] <= 200 - 1  # today's limit less the grade given
    assert found["schedulers"]["sm2"]["due_at_start"] == json.loads(
        compare_cli(reviewed, "due", "--json").stdout)["counts"]["due_total"]


def test_the_same_database_gives_the_same_figures(reviewed: Path) -> None:
    first = as_json(reviewed, "--days", "30")
    assert as_json(reviewed, "--days", "30") == first
    assert as_json(reviewed, "--days", "30", "--seed", "15")["schedulers"] != first["schedulers"]
    assert as_json(reviewed, "--days", "30", "--seed", "14") == first


def test_more_retention_more_fsrs_reviews_and_the_limits_apply(reviewed: Path) -> None:
    low = as_json(reviewed, "--days", "90", "--retention", "0.75")
    high = as_json(reviewed, "--days", "90", "--retention", "0.95")
    assert high["fsrs"]["desired_retention"] == 0.95
    assert high["schedulers"]["fsrs"]["horizons"][0]["reviews"] > low["schedulers"]["fsrs"]["horizons"][0]["reviews"]
    assert high["schedulers"]["sm2"] == low["schedulers"]["sm2"]
    capped = as_json(reviewed, "--days", "30", "--reviews-per-day", "5", "--new-per-day", "0")
    for name in ("sm2", "fsrs"):
        days = capped["schedulers"][name]["days"]
        assert max(d["reviews"] for d in days) <= 5 and not any(d["new"] for d in days)
        assert days[0]["reviews"] == 4  # one of the five was given today
    text = compare_cli(reviewed, "compare", "--days", "30", "--reviews-per-day", "5", "--new-per-day", "0").stdout
    held = [capped["schedulers"][name]["horizons"][0] for name in ("sm2", "fsrs")]
    assert all(h["held_days"] > 0 and h["most_held"] >= h["backlog"] for h in held)  # 5 a day is too few
    assert (f"The limit of 5 reviews a day held reviews back under SM-2 on {held[0]['held_days']} days (at most "
            f"{held[0]['most_held']:,} waiting, {held[0]['backlog']:,} at the end) and under FSRS on "
            f"{held[1]['held_days']} days (at most {held[1]['most_held']:,} waiting, {held[1]['backlog']:,} at the end)."
            ) in " ".join(text.split())
    assert "held reviews back" not in compare_cli(reviewed, "compare", "--days", "30").stdout


def test_the_text_output_at_80_columns_plain(reviewed: Path) -> None:
    result = compare_cli(reviewed, "compare", "--days", "7,30,365", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "\x1b" not in result.stdout  # not a terminal: no colour, no style
    assert all(cell_len(line) <= 80 and line == line.rstrip() for line in lines)
    assert lines[0] == "recall compare · study day 2 Mar 2026 · simulated, seed 14"
    found = as_json(reviewed, "--days", "7,30,365")
    head = lines.index(next(line for line in lines if line.startswith("next ")))
    assert re.fullmatch(r" +─+ SM-2 ─+ +─+ FSRS at 90% ─+", lines[head - 1])
    assert lines[head].split() == ["next", "reviews", "a", "day", "peak", "recalled"] * 1 + [
        "reviews", "a", "day", "peak", "recalled"]
    for row, days in zip(lines[head + 1 : head + 4], (7, 30, 365), strict=True):
        figures = [found["schedulers"][name]["horizons"][(7, 30, 365).index(days)] for name in ("sm2", "fsrs")]
        expected = [f"{days:,}", "days"]
        for figure in figures:
            expected += [f"{figure['reviews']:,}", f"{figure['per_day']:,.1f}", f"{figure['peak']:,}",
                         f"{figure['recall_rate']:.1%}"]
        assert row.split() == expected
    chart = lines.index("Reviews a day, the next 365 days (a column: 7 days, their average)")
    assert [lines[chart + 1].strip(), lines[chart + 8].strip()] == ["SM-2", "FSRS at 90%"]
    bars = lines[chart + 2 : chart + 8] + lines[chart + 9 : chart + 15]
    assert all(set(line[7:]) <= set("▁▂▃▄▅▆▇█· ") for line in bars)
    assert all(len(line[7:]) <= 53 for line in bars)  # 365 days in weeks
    assert lines[chart + 15].split()[:2] == ["2", "Mar"] and lines[chart + 15].endswith("2027 Feb")
    assert lines[chart + 2][:6].strip() and not any(line[:6].strip() for line in bars[1:6])  # the scale, on top


def test_a_narrow_terminal_drops_columns_and_widens_the_chart_s_columns(reviewed: Path) -> None:
    result = compare_cli(reviewed, "compare", env={"COLUMNS": "50"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(cell_len(line) <= 50 for line in lines)
    assert next(line for line in lines if line.startswith("next ")).split() == ["next", "reviews", "recalled"] * 1 + [
        "reviews", "recalled"]
    assert "(a column: 14 days, their average)" in " ".join(result.stdout.split())


def test_a_database_with_nothing_reviewed_yet(db_file: Path, vault: Path) -> None:
    runner.invoke(app, ["import", str(vault), "--db", str(db_file)])
    found = as_json(db_file, "--days", "30")
    assert found["collection"]["scheduled"] == 0 and found["collection"]["new"] > 0
    assert found["grades"] == {"first": [0] * 6, "later": [0] * 6}
    assert found["schedulers"]["sm2"]["horizons"][0]["new"] == min(300, found["collection"]["new"])
    text = compare_cli(db_file, "compare", "--days", "30").stdout
    assert "Good for a pass and Again for a failure (no reviews yet)" in " ".join(text.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "0"], "each from 1 to 3,650 days"),
        (["--days", "30,x"], "whole numbers of days"),
        (["--days", "1,2,3,4,5,6,7"], "up to 6 horizons"),
        (["--days", "٣٠"], "whole numbers of days"),
        (["--retention", "0.5"], "desired retention must be a number from 0.70 to 0.97"),
    ],
)
def test_refusals(db_file: Path, vault: Path, args: list[str], message: str) -> None:
    runner.invoke(app, ["import", str(vault), "--db", str(db_file)])
    result = compare_cli(db_file, "compare", *args)
    assert result.exit_code == exit_codes.USAGE
    assert message in result.stderr


def test_no_database_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = compare_cli(missing, "compare")
    assert result.exit_code == exit_codes.ERROR and "nothing imported there yet" in result.stderr
    assert not missing.exists()
