"""A multi-day scenario driven only through the CLI, with RECALL_NOW as the clock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recall import exit_codes
from recall.cli import app

runner = CliRunner()


@pytest.fixture
def cli(db_file: Path, monkeypatch: pytest.MonkeyPatch):
    def run(*args: str, now: str = "2026-03-02T09:00:00+01:00"):
        monkeypatch.setenv("RECALL_NOW", now)
        return runner.invoke(app, [*args, "--db", str(db_file)], catch_exceptions=False)

    return run


def due(cli, now: str) -> dict:
    result = cli("due", "--json", "--timezone", "Europe/Paris", now=now)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def schedule(cli, now: str) -> dict[int, dict]:
    lines = cli("export", "highlights", now=now).stdout.splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def test_three_days_of_reviews(cli, vault: Path) -> None:
    assert cli("import", str(vault)).exit_code == 0
    day1 = "2026-03-02T09:00:00+01:00"
    first = due(cli, day1)
    assert first["study_day"] == "2026-03-02"
    assert (first["counts"]["due"], first["counts"]["new"]) == (0, 10)  # default: 10 new a day
    todays = [item["id"] for item in first["queue"]]
    grades = [5, 4, 3, 2, 1, 0] * 4
    for highlight_id, grade in zip(todays, grades, strict=False):
        assert cli("rate", str(highlight_id), str(grade), "--timezone", "Europe/Paris", now=day1).exit_code == 0
    after = due(cli, day1)
    assert after["counts"] == after["counts"] | {"due": 0, "new": 0, "done_today": 10, "new_today": 10}
    assert after["upcoming"] == [{"day": "2026-03-03", "count": 10}]
    table = schedule(cli, day1)
    assert {table[i]["due"] for i in todays} == {"2026-03-03"}
    assert [table[i]["easiness"] for i in todays[:6]] == ["2.60", "2.50", "2.36", "2.18", "1.96", "1.70"]

    # 01:30 the next night still counts for 2 March: nothing is due yet.
    night = due(cli, "2026-03-03T01:30:00+01:00")
    assert (night["study_day"], night["counts"]["due"]) == ("2026-03-02", 0)

    day2 = "2026-03-03T08:00:00+01:00"
    second = due(cli, day2)
    assert second["counts"]["due"] == 10 and second["counts"]["new"] == 10
    assert {item["kind"] for item in second["queue"][:10]} == {"due"}
    for item in second["queue"][:10]:
        cli("rate", str(item["id"]), "4", "--timezone", "Europe/Paris", now=day2)
    table = schedule(cli, day2)
    recalled = [i for i, g in zip(todays, grades, strict=False) if g >= 3]
    failed = [i for i, g in zip(todays, grades, strict=False) if g < 3]
    assert {table[i]["interval"] for i in recalled} == {6}  # second success: 6 days
    assert {table[i]["interval"] for i in failed} == {1}  # failure reset: 1 day
    assert {table[i]["due"] for i in recalled} == {"2026-03-09"}
    assert all(table[i]["last_review"] == "2026-03-03" for i in todays)

    day3 = "2026-03-04T20:00:00+01:00"
    third = due(cli, day3)
    assert third["counts"]["due"] == len(failed)
    assert {item["id"] for item in third["queue"] if item["kind"] == "due"} == set(failed)


def test_undo_and_refusals_through_the_cli(cli, vault: Path) -> None:
    cli("import", str(vault))
    first = due(cli, "2026-03-02T09:00:00+01:00")["queue"][0]["id"]
    before = schedule(cli, "2026-03-02T09:00:00+01:00")[first]
    assert cli("rate", str(first), "5").exit_code == 0
    undone = cli("undo")
    assert undone.exit_code == 0 and f"highlight {first}" in undone.stdout
    assert schedule(cli, "2026-03-02T09:00:00+01:00")[first] == before
    assert cli("undo").exit_code == exit_codes.INVALID_STATE
    assert cli("rate", "999999", "3").exit_code == exit_codes.NOT_FOUND
    assert cli("rate", str(first), "9").exit_code == exit_codes.USAGE
    assert cli("discard", str(first)).exit_code == 0
    refused = cli("rate", str(first), "3")
    assert refused.exit_code == exit_codes.INVALID_STATE and "recall restore" in refused.stderr
    assert cli("restore", str(first)).exit_code == 0
    assert cli("skip", str(first)).exit_code == 0
    assert first not in [i["id"] for i in due(cli, "2026-03-02T09:00:00+01:00")["queue"]]
    assert cli("favorite", str(first)).exit_code == 0
    assert schedule(cli, "2026-03-02T09:00:00+01:00")[first]["favorite"] is True


def test_undo_from_the_shell_takes_back_only_todays_grades(cli, vault: Path) -> None:
    cli("import", str(vault))
    day1, day2 = "2026-03-02T09:00:00+01:00", "2026-03-03T09:00:00+01:00"
    first = due(cli, day1)["queue"][0]["id"]
    before = schedule(cli, day1)[first]
    assert cli("rate", str(first), "5", now=day1).exit_code == 0
    after = schedule(cli, day2)[first]
    refused = cli("undo", now=day2)
    assert refused.exit_code == exit_codes.INVALID_STATE
    assert "given on 2026-03-02, not today" in refused.stderr and "--any-day" in refused.stderr
    assert schedule(cli, day2)[first] == after  # nothing changed
    undone = cli("undo", "--any-day", now=day2)
    assert undone.exit_code == 0 and f"highlight {first}" in undone.stdout
    assert schedule(cli, day2)[first] == before


def test_bad_settings_name_the_key(cli, vault: Path, recall_home: Path) -> None:
    recall_home.mkdir(parents=True, exist_ok=True)
    (recall_home / "config.toml").write_text("rollover_hour = 25\n")
    result = cli("due")
    assert result.exit_code == exit_codes.USAGE
    assert "rollover_hour" in result.stderr and "Traceback" not in result.output


def test_config_path_and_init(cli, recall_home: Path) -> None:
    path = runner.invoke(app, ["config", "path"]).stdout.strip()
    assert path == str(recall_home / "config.toml")
    assert runner.invoke(app, ["config", "init"]).exit_code == 0
    again = runner.invoke(app, ["config", "init"])
    assert again.exit_code == exit_codes.ERROR and f"already exists at {path}" in again.stderr
    shown = json.loads(runner.invoke(app, ["config", "show", "--json"]).stdout)
    assert shown["rollover_hour"] == 4 and shown["new_per_day"] == 10
    assert shown["review_log"] == "recall-log" and 'review_log = "recall-log"' in Path(path).read_text()


def test_due_listing_shows_escape_sequences_and_markup_literally(cli, tmp_path: Path) -> None:
    root = tmp_path / "hostile"
    root.mkdir()
    (root / "Odd.md").write_text(
        "# Odd [bold]Title[/]\n## Highlights\n- \x1b[31mred\x1b[0m and [link=https://e.com]x[/link] as typed (Location\u00a01)\n",
        encoding="utf-8",
    )
    cli("import", str(root))
    listing = cli("due").stdout
    assert "\x1b" not in listing
    assert "␛[31mred␛[0m and [link=https://e.com]x[/link]" in listing
    assert "Odd [bold]Title[/]" in listing
