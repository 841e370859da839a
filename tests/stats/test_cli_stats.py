"""`recall stats` and `recall export stats` on a small known log written with ``actions.rate``.

The log (Europe/Paris, rollover 04:00; highlights 1-3 are new at the start):

=================  ==================  ==========================================  =======
written at (CET)   study day           what                                        seconds
=================  ==================  ==========================================  =======
25 Feb 09:00       2026-02-25          h1 graded 4 (new) · h2 graded 2 (new)       30 · 20
26 Feb 09:00       2026-02-26          h2 graded 1 (lapse) · h2 again 4 (a drill)  40 · 20
                                       · h1 graded 5                               10
27 Feb 09:00       2026-02-27          h3 skipped: nothing in the log
1 Mar 01:00        2026-02-28          h3 graded 3 (new), before the rollover      25
1 Mar 10:00        2026-03-01          h1 graded 3                                 15
2 Mar 10:30        2026-03-02 (today)  nothing yet
=================  ==================  ==========================================  =======

SM-2 by hand: h1 goes 4 (interval 1, EF 2.50), 5 (interval 6, EF 2.60), 3 (interval
ceil(6 x 2.60) = 16, due 17 Mar); h2 fails twice and is due 27 Feb; h3 is due 1 Mar.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from statslog import instant
from typer.testing import CliRunner

from recall import exit_codes
from recall.cli import app
from recall.clock import FixedClock
from recall.config import Settings
from recall.context import Context
from recall.db.engine import open_db
from recall.scheduler import actions

runner = CliRunner()
NOW = "2026-03-02T10:30:00+01:00"


def paris(*args: int) -> datetime:
    return instant(datetime(*args), "Europe/Paris")


def write_known_log(db_file: Path, log_writer) -> None:
    engine = open_db(db_file)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO sources (id, key, title, category, first_seen, last_seen)"
            " VALUES (1, 's1', 'Meditations', 'books', '2026-01-01', '2026-01-01')"
        )
        for hid in (1, 2, 3):
            connection.exec_driver_sql(
                "INSERT INTO highlights (id, key, source_id, text, first_seen, last_seen)"
                " VALUES (?, ?, 1, ?, '2026-01-01', '2026-01-01')",
                (hid, f"h{hid}", f"Highlight number {hid}."),
            )
    clock = FixedClock(paris(2026, 2, 25, 9, 0))
    context = Context(engine, Settings(timezone="Europe/Paris", rollover_hour=4), clock)

    def rate(hid: int, grade: int, seconds: float) -> str:
        return actions.rate(engine, hid, grade, context.now(), context.today(), seconds, log=log_writer).kind

    assert (rate(1, 4, 30), rate(2, 2, 20)) == ("review", "review")
    clock.advance(days=1)
    assert (rate(2, 1, 40), rate(2, 4, 20), rate(1, 5, 10)) == ("review", "drill", "review")
    clock.advance(days=1)
    actions.skip(engine, 3, context.now(), context.today(), log=log_writer)
    clock.advance(hours=40)  # 1 March 01:00
    assert context.today().isoformat() == "2026-02-28"
    assert rate(3, 3, 25) == "review"
    clock.advance(hours=9)  # 1 March 10:00
    assert rate(1, 3, 15) == "review"


@pytest.fixture
def cli(db_file: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RECALL_NOW", NOW)

    def run(*args: str):
        return runner.invoke(app, [*args, "--db", str(db_file)], catch_exceptions=False)

    return run


@pytest.fixture
def known(db_file: Path, log_writer) -> Path:
    write_known_log(db_file, log_writer)
    return db_file


EXPECTED_CSV = [
    ["date", "reviews", "new", "lapses", "retention", "minutes", "streak"],
    ["2026-02-25", "2", "2", "0", "", "0.83", "1"],  # 50 s; two new highlights, nothing scheduled
    ["2026-02-26", "2", "0", "1", "0.5", "1.17", "2"],  # 40 + 20 (drill) + 10 s; h2 lapsed, h1 recalled
    ["2026-02-27", "0", "0", "0", "", "0.0", "0"],  # only a skip
    ["2026-02-28", "1", "1", "0", "", "0.42", "1"],  # the 01:00 review; 25 s
    ["2026-03-01", "1", "0", "0", "1.0", "0.25", "2"],  # 15 s
    ["2026-03-02", "0", "0", "0", "", "0.0", "0"],  # today, nothing yet
]
EXPECTED_SUMMARY = {
    "study_day": "2026-03-02",
    "current_streak": 2,
    "current_streak_start": "2026-02-28",
    "current_streak_end": "2026-03-01",
    "longest_streak": 2,  # 25-26 Feb and 28 Feb-1 Mar tie: the latest is reported
    "longest_streak_start": "2026-02-28",
    "longest_streak_end": "2026-03-01",
    "study_days": 4,
    "first_day": "2026-02-25",
    "reviews": 6,
    "new": 3,
    "lapses": 1,
    "retention": 0.6667,  # h2 graded 1, h1 graded 5 and 3: 2 of 3
    "minutes": 2.67,  # 160 s
}


def test_export_stats_csv_column_by_column(cli, known: Path) -> None:
    result = cli("export", "stats", "--format", "csv", "--timezone", "Europe/Paris")
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == EXPECTED_CSV[0]
    for column, name in enumerate(EXPECTED_CSV[0]):
        assert [row[column] for row in table] == [row[column] for row in EXPECTED_CSV], name
    assert result.stderr == "6 days exported\n"


def test_export_stats_json_column_by_column(cli, known: Path) -> None:
    result = cli("export", "stats", "-f", "json", "--timezone", "Europe/Paris")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["summary", "days"]
    assert data["summary"] == EXPECTED_SUMMARY
    assert list(data["summary"]) == list(EXPECTED_SUMMARY)  # the documented order
    columns = EXPECTED_CSV[0]
    assert [list(day) for day in data["days"]] == [columns] * 6
    expected = {
        "date": [row[0] for row in EXPECTED_CSV[1:]],
        "reviews": [2, 2, 0, 1, 1, 0],
        "new": [2, 0, 0, 1, 0, 0],
        "lapses": [0, 1, 0, 0, 0, 0],
        "retention": [None, 0.5, None, None, 1.0, None],
        "minutes": [0.83, 1.17, 0.0, 0.42, 0.25, 0.0],
        "streak": [1, 2, 0, 1, 2, 0],
    }
    for name in columns:
        assert [day[name] for day in data["days"]] == expected[name], name


def test_export_stats_to_a_file_keeps_stdout_empty(cli, known: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "stats.csv"
    target.parent.mkdir()
    result = cli("export", "stats", "-o", str(target), "--timezone", "Europe/Paris")  # csv is the default
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert list(csv.reader(target.open(encoding="utf-8"))) == EXPECTED_CSV


def test_export_stats_refuses_other_formats(cli, known: Path) -> None:
    result = cli("export", "stats", "--format", "jsonl")
    assert result.exit_code == exit_codes.USAGE
    assert "csv, json" in result.stderr and result.stdout == ""


def test_export_stats_of_an_empty_log(cli, engine) -> None:
    csv_result = cli("export", "stats")
    assert (csv_result.exit_code, csv_result.stdout) == (0, "date,reviews,new,lapses,retention,minutes,streak\n")
    data = json.loads(cli("export", "stats", "-f", "json").stdout)
    assert data["days"] == []
    assert data["summary"]["current_streak"] == 0 and data["summary"]["retention"] is None


def test_the_timezone_comes_from_the_settings_file(cli, known: Path, recall_home: Path) -> None:
    recall_home.mkdir(parents=True, exist_ok=True)
    (recall_home / "config.toml").write_text('timezone = "Europe/Paris"\n')
    summary = json.loads(cli("export", "stats", "-f", "json").stdout)["summary"]
    assert summary == EXPECTED_SUMMARY
    # The same instant (09:30 UTC) is still 23:30 on 1 March in Honolulu: today is 1 March there,
    # the stored study days do not move, and the series stops at 1 March.
    hawaii = json.loads(cli("export", "stats", "-f", "json", "--timezone", "Pacific/Honolulu").stdout)
    assert hawaii["summary"]["study_day"] == "2026-03-01"
    assert hawaii["days"][-1]["date"] == "2026-03-01"
    assert hawaii["summary"]["current_streak"] == 2 and hawaii["summary"]["current_streak_end"] == "2026-03-01"


def test_stats_json_numbers(cli, known: Path) -> None:
    result = cli("stats", "--json", "--timezone", "Europe/Paris")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["study_day"] == "2026-03-02"
    assert data["streaks"] == {
        "current": 2, "current_start": "2026-02-28", "current_end": "2026-03-01",
        "longest": 2, "longest_start": "2026-02-28", "longest_end": "2026-03-01", "study_days": 4,
    }
    assert data["today"]["reviews"] == 0
    # Grades of the 6 reviews: 4, 2, 1, 5, 3, 3 -> 18 / 6 = 3.0; one drill; 160 s.
    assert data["all_time"] == {
        "reviews": 6, "new": 3, "lapses": 1, "drills": 1, "retention": 0.6667, "average_grade": 3.0,
        "minutes": 2.67, "study_days": 4, "first_day": "2026-02-25", "reviews_per_study_day": 1.5,
        "minutes_per_study_day": 0.67,
    }
    assert {k: data["last_30_days"][k] for k in ("reviews", "lapses", "retention", "study_days")} == {
        "reviews": 6, "lapses": 1, "retention": 0.6667, "study_days": 4,
    }
    # h2 (due 27 Feb) and h3 (due 1 Mar) are due now; h1 falls due on 17 Mar, day 15 of 30.
    assert data["forecast"]["due_now"] == 2
    assert [(d["date"], d["due"]) for d in data["forecast"]["days"] if d["due"]] == [("2026-03-17", 1)]
    assert data["highlights"] == {"active": 3, "retired": 0, "discarded": 0, "never_reviewed": 0, "total": 3}
    assert data["categories"] == [{"category": "books", "active": 3, "total": 3, "reviews": 6}]
    assert [(s["title"], s["reviews"]) for s in data["top_sources"]] == [("Meditations", 6)]
    assert [(f["id"], f["lapses"], f["last_lapse"]) for f in data["most_forgotten"]] == [(2, 1, "2026-02-26")]
    assert [d["reviews"] for d in data["days"]] == [2, 2, 0, 1, 1, 0]


def test_stats_report_in_the_terminal(cli, known: Path) -> None:
    result = cli("stats", "--timezone", "Europe/Paris")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "study day 2 Mar 2026 (Europe/Paris, day starts 04:00)" in out
    assert "2 days (28 Feb – 1 Mar 2026)" in out
    assert "6 on 4 study days" in out
    assert "66.7% all time" in out
    assert "2 now · 1 in the next 30 days" in out
    assert "Mon" in out and "Less" in out and "More" in out


def test_stats_of_an_empty_database(cli, engine) -> None:
    result = cli("stats")
    assert result.exit_code == 0 and "No reviews yet" in result.stdout
    assert json.loads(cli("stats", "--json").stdout)["streaks"]["current"] == 0


PROBE = """
import sys
from recall.cli import app
code = None
try:
    app(sys.argv[1:], prog_name="recall")
except SystemExit as done:
    code = done.code
print("textual" in sys.modules, "sqlalchemy" in sys.modules, code, file=sys.stderr)
"""


def test_recall_stats_never_loads_textual(known: Path) -> None:
    for args in (["stats"], ["stats", "--json"], ["export", "stats", "-f", "json"]):
        result = subprocess.run(
            [sys.executable, "-c", PROBE, *args, "--db", str(known)],
            capture_output=True, text=True, check=False, env={**_env(), "RECALL_NOW": NOW},
        )
        assert result.stderr.strip().splitlines()[-1] == "False True 0", (args, result.stderr)
        assert "2026-02-28" in result.stdout or "Streak" in result.stdout  # it really ran


def _env() -> dict[str, str]:
    import os

    return {key: value for key, value in os.environ.items() if not key.startswith("RECALL_DB")}
