"""`recall show ID` and `recall export reviews`: one highlight in full, and the review log,
driven through the CLI on a real database with RECALL_NOW as the clock."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recall import exit_codes
from recall.cli import app
from recall.db.history import REVIEW_COLUMNS

runner = CliRunner()
DAY1, DAY2, DAY2_LATER = "2026-03-02T09:00:00+00:00", "2026-03-03T08:15:00+00:00", "2026-03-03T08:20:30+00:00"


@pytest.fixture
def cli(db_file: Path, monkeypatch: pytest.MonkeyPatch):
    def run(*args: str, now: str = DAY1):
        monkeypatch.setenv("RECALL_NOW", now)
        return runner.invoke(app, [*args, "--db", str(db_file)], catch_exceptions=False)

    return run


@pytest.fixture
def graded(cli, tmp_path: Path) -> int:
    """A vault with one note (a note, tags, a location, a chapter); highlight 1 graded 4 on day 1,
    2 on day 2 and 5 later on day 2 (a drill). Returns its id."""
    root = tmp_path / "vault" / "Readwise" / "Books"
    root.mkdir(parents=True)
    (root / "Deep Work.md").write_text(
        "# Deep Work [bold]x[/]\n\n## Metadata\n- Author: [[Cal Newport]]\n- Full Title: Deep Work [bold]x[/]\n"
        "- Category: #books\n- URL: https://example.com/deep\n\n## Highlights\n### Part One\n"
        "- Focus is a **skill**. ([Location 12](https://readwise.io/to_kindle?action=open&asin=B0&location=12))\n"
        "    - Note: train it\n    - Tags: #focus #work\n"
        "- Second one. ([Location 40](https://readwise.io/to_kindle?action=open&asin=B0&location=40))\n",
        encoding="utf-8",
    )
    assert cli("import", str(tmp_path / "vault")).exit_code == 0
    assert cli("rate", "1", "4", now=DAY1).exit_code == 0
    assert cli("rate", "1", "2", now=DAY2).exit_code == 0
    assert cli("rate", "1", "5", now=DAY2_LATER).exit_code == 0
    return 1


def test_show_json_has_the_highlight_its_source_schedule_and_every_review(cli, graded: int) -> None:
    result = cli("show", str(graded), "--json", now=DAY2_LATER)
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["text"] == "Focus is a **skill**." and shown["note"] == "train it"
    assert shown["tags"] == ["focus", "work"] and shown["chapter"] == "Part One"
    assert shown["location"] == "Location 12" and "location=12" in shown["location_url"]
    assert shown["source"] | {"id": 0} == {"id": 0, "title": "Deep Work [bold]x[/]", "author": "Cal Newport",
                                          "category": "books", "url": "https://example.com/deep"}
    assert shown["status"] == "active" and shown["favorite"] is False
    assert shown["file"] == "Readwise/Books/Deep Work.md" and shown["line"] == 11
    # 4 on day 1: 1 repetition, 1 day; 2 on day 2: a lapse, EF 2.50 - 0.32 = 2.18; 5 later: a drill
    assert shown["schedule"] == {"repetitions": 0, "easiness": "2.18", "interval": 1, "due": "2026-03-04"}
    assert [(r["reviewed_at"], r["study_day"], r["grade"], r["kind"]) for r in shown["reviews"]] == [
        ("2026-03-02T09:00:00+00:00", "2026-03-02", 4, "review"),
        ("2026-03-03T08:15:00+00:00", "2026-03-03", 2, "review"),
        ("2026-03-03T08:20:30+00:00", "2026-03-03", 5, "drill"),
    ]
    second = shown["reviews"][1]
    assert (second["repetitions_before"], second["easiness_before"], second["interval_before"],
            second["due_before"]) == (1, "2.50", 1, "2026-03-03")
    assert (second["repetitions_after"], second["easiness_after"], second["interval_after"],
            second["due_after"]) == (0, "2.18", 1, "2026-03-04")


def test_show_on_the_terminal_names_everything_literally(cli, graded: int) -> None:
    printed = cli("show", str(graded), now=DAY2_LATER).stdout
    for expected in ("Highlight 1 (active)", "Focus is a **skill**.", "Note:      train it",
                     "Source:    Deep Work [bold]x[/]", "Author:    Cal Newport", "Category:  books",
                     "URL:       https://example.com/deep", "Chapter:   Part One", "Tags:      #focus, #work",
                     "Readwise/Books/Deep Work.md:11", "EF 2.18, interval 1 d, due 2026-03-04", "Reviews (3)"):
        assert expected in printed, expected
    assert "1 · 2.50 · 1 d · 2026-03-03 → 0 · 2.18 · 1 d · 2026-03-04" in printed
    assert "0 · 2.50 · 0 d · — → 1 · 2.50 · 1 d · 2026-03-03" in printed
    assert printed.count(" drill ") == 1
    never = cli("show", "2").stdout
    assert "No reviews yet." in never and "new (never reviewed)" in never


@pytest.mark.parametrize("typed", ["99", "9223372036854775808"])
def test_show_an_unknown_id_is_exit_4_with_a_clear_message(cli, graded: int, typed: str) -> None:
    result = cli("show", typed)
    assert result.exit_code == exit_codes.NOT_FOUND
    assert f"no highlight with id {typed}" in result.stderr and result.stdout == ""


def test_export_reviews_csv_has_the_documented_columns_and_one_row_per_grade(cli, graded: int) -> None:
    result = cli("export", "reviews", now=DAY2_LATER)
    assert result.exit_code == 0 and "3 reviews exported" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == REVIEW_COLUMNS
    assert REVIEW_COLUMNS == [
        "review_id", "reviewed_at", "study_day", "highlight_id", "highlight_key", "grade", "kind", "seconds",
        "repetitions_before", "easiness_before", "interval_before", "due_before",
        "repetitions_after", "easiness_after", "interval_after", "due_after",
    ]  # stable: the README documents these
    key = json.loads(cli("show", "1", "--json").stdout)["key"]
    assert [(r["highlight_id"], r["highlight_key"], r["grade"], r["kind"]) for r in rows] == [
        ("1", key, "4", "review"), ("1", key, "2", "review"), ("1", key, "5", "drill")]
    assert rows[0] | {"review_id": "", "highlight_key": ""} == {
        "review_id": "", "reviewed_at": "2026-03-02T09:00:00+00:00", "study_day": "2026-03-02", "highlight_id": "1",
        "highlight_key": "", "grade": "4", "kind": "review", "seconds": "", "repetitions_before": "0",
        "easiness_before": "2.50", "interval_before": "0", "due_before": "", "repetitions_after": "1",
        "easiness_after": "2.50", "interval_after": "1", "due_after": "2026-03-03",
    }


def test_export_reviews_jsonl_to_a_file_and_refusals(cli, graded: int, tmp_path: Path, db_file: Path) -> None:
    out = tmp_path / "reviews.jsonl"
    result = cli("export", "reviews", "-f", "jsonl", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["review_id"] for r in rows] == sorted(r["review_id"] for r in rows) and len(rows) == 3
    assert rows[2]["easiness_after"] == "2.18" and rows[0]["due_before"] is None and rows[0]["seconds"] is None
    assert cli("export", "reviews", "-f", "json").exit_code == exit_codes.USAGE
    assert cli("export", "reviews", "-o", str(db_file)).exit_code == exit_codes.USAGE


def test_an_empty_log_exports_the_header_alone(cli, engine) -> None:
    result = cli("export", "reviews")
    assert result.exit_code == 0 and result.stdout == ",".join(REVIEW_COLUMNS) + "\n"
    assert "0 reviews exported" in result.stderr
