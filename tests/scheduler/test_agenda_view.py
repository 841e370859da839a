"""`recall due` in the terminal: rows fit the width in display cells, Markdown reads as plain
text, vault text stays literal, and the columns have headers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from recall.cli import app
from recall.plain import plain_text
from recall.scheduler.agenda_view import agenda_lines

runner = CliRunner()
TEXTS = [
    "A **bold** claim, a ==marked== word and [a link](https://example.com/a_(b)) in one long sentence that goes on",
    "日本語の文章はとても長いので一行には収まりません。日本語の文章はとても長いので一行には収まりません。",
    "👩‍👩‍👧 family 🎉 party " * 6,
    "\x1b[31mred\x1b[0m and [bold]not markup[/] \u202eevil",
]


def result(texts: list[str], titles: list[str]) -> dict:
    queue = [
        {"position": n, "id": 1000 + n, "kind": "new", "due": None, "overdue_days": None, "title": title,
         "author": None, "location": None, "text": text}
        for n, (text, title) in enumerate(zip(texts, titles, strict=True), 1)
    ]
    return {"study_day": "2026-03-02", "counts": {"due": 0, "new": len(queue), "done_today": 0, "new_today": 0,
                                                 "due_total": 0, "new_available": len(queue)},
            "queue": queue, "next_due_day": None,
            "upcoming": [{"day": f"2026-03-{d:02d}", "count": 100 + d} for d in range(3, 10)]}


@pytest.mark.parametrize("cells", [80, 60, 40, 120])
def test_no_line_is_wider_than_the_terminal(cells: int) -> None:
    titles = ["Deep Work", "日本語のとても長い本のタイトル、第一巻", "Emoji 🎉 Book", "Odd [bold]Title[/]"]
    lines = agenda_lines(result(TEXTS, titles), cells)
    assert all(cell_len(line) <= cells for line in lines), [(cell_len(x), x) for x in lines]
    header = next(line for line in lines if line.lstrip().startswith("#"))
    assert header.split()[:4] == ["#", "Id", "When", "Highlight"]
    assert ("Source" in header) == (cells >= 60)


def test_rows_show_plain_text_literally() -> None:
    lines = agenda_lines(result(TEXTS, ["T1", "T2", "T3", "Odd [bold]Title[/]"]), 200)
    rows = {line.split()[1]: line for line in lines if line.split() and line.split()[0].isdigit()}
    assert "A bold claim, a marked word and a link in one long" in rows["1001"]
    assert "**" not in rows["1001"] and "==" not in rows["1001"] and "https" not in rows["1001"]
    assert "␛[31mred␛[0m and [bold]not markup[/] <U+202E>evil" in rows["1004"]
    assert "Odd [bold]Title[/]" in rows["1004"]
    assert "\x1b" not in "\n".join(lines)


def test_wide_characters_are_cut_by_cells_not_characters() -> None:
    lines = agenda_lines(result(TEXTS[1:3], ["T", "T"]), 80)
    rows = [line for line in lines if line.split() and line.split()[0].isdigit()]
    assert len({cell_len(row) for row in rows}) == 1  # both cut at the same cell, whatever the script
    assert all(row.rstrip().endswith("T") and "…" in row for row in rows)
    assert "👩‍👩‍👧" in rows[1]  # an emoji sequence is never split


def test_counts_more_and_coming_up_are_kept() -> None:
    many = result(["x"] * 35, ["t"] * 35)
    lines = agenda_lines(many, 80)
    assert lines[0] == "Study day 2026-03-02: 0 due, 35 new in the queue; 0 reviewed today."
    assert "… and 5 more (--json lists them all)" in lines
    coming = " ".join(line.strip() for line in lines if "Coming up" in line or line.startswith("  "))
    assert "tomorrow 103" in coming and "2026-03-09 109" in coming


def test_plain_text_leaves_what_is_not_markdown() -> None:
    assert plain_text("2 * 3 * 4 and snake_case_name") == "2 * 3 * 4 and snake_case_name"
    assert plain_text(r"\*kept\* `**code**` [[Page|alias]] ~~old~~") == "*kept* **code** alias old"
    assert plain_text("***both*** __strong__ _em_ *em*") == "both strong em em"
    assert plain_text("[t](u) ![alt](i.png) [bold]x[/]") == "t alt [bold]x[/]"


def test_recall_due_fits_80_columns(tmp_path: Path, db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "vault" / "Readwise"
    root.mkdir(parents=True)
    items = "".join(f"- {text} ([Location {n}](https://readwise.io/to_kindle?action=open&asin=B0&location={n}))\n"
                    for n, text in enumerate(TEXTS, 1))
    (root / "Book.md").write_text(f"# 本のタイトル Book With A Rather Long Title, Volume 2\n## Highlights\n{items}",
                                  encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "80")
    assert runner.invoke(app, ["import", str(tmp_path / "vault"), "--db", str(db_file)]).exit_code == 0
    printed = runner.invoke(app, ["due", "--db", str(db_file)]).stdout
    assert all(cell_len(line) <= 80 for line in printed.splitlines()), printed
    assert "A bold claim" in printed and printed.count("…, Volume 2") == 4
    data = json.loads(runner.invoke(app, ["due", "--json", "--db", str(db_file)]).stdout)
    assert {item["text"] for item in data["queue"]} == {text.strip() for text in TEXTS}  # JSON keeps the text
