"""`recall sources`: ids, per-source progress, and titles that stay told apart in 80 columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from support import write_note
from typer.testing import CliRunner

from recall.cli import app
from recall.columns import cut_end, cut_middle, share

runner = CliRunner()
LONG = "The Complete and Unabridged Field Guide to Pruning Old Fruit Trees in Small Gardens, Volume"
CJK = "日本語のタイトルはとても長いのでこの表の幅には収まりません、第一巻と第二巻"


@pytest.fixture
def cli(db_file: Path, monkeypatch: pytest.MonkeyPatch):
    def run(*args: str, now: str = "2026-03-02T09:00:00+00:00", columns: int = 80):
        monkeypatch.setenv("RECALL_NOW", now)
        monkeypatch.setenv("COLUMNS", str(columns))
        return runner.invoke(app, [*args, "--db", str(db_file)], catch_exceptions=False)

    return run


@pytest.fixture
def library(cli, tmp_path: Path) -> dict[str, int]:
    """Four sources: volumes 1 and 2 of one long title, two CJK volumes; volume 1 has 3
    highlights, two graded on 2 March (due 3 March). Returns title -> source id."""
    root = tmp_path / "vault"
    write_note(root, "Readwise/Books/v1.md", f"{LONG} 1", "volone", count=3)
    write_note(root, "Readwise/Books/v2.md", f"{LONG} 2", "voltwo", count=2)
    write_note(root, "Readwise/Books/j1.md", f"{CJK}1", "jpone", count=1)
    write_note(root, "Readwise/Books/j2.md", f"{CJK}2", "jptwo", count=1)
    assert cli("import", str(root)).exit_code == 0
    listing = json.loads(cli("sources", "--json").stdout)
    ids = {row["title"]: row["id"] for row in listing}
    exported = [json.loads(line) for line in cli("export", "highlights").stdout.splitlines()]
    first, second = [
        str(r["id"]) for r in exported if r["title"] == f"{LONG} 1"][:2]
    assert cli("rate", first, "4").exit_code == 0 and cli("rate", second, "5").exit_code == 0
    return ids


def test_json_has_ids_and_progress(cli, library: dict[str, int]) -> None:
    rows = {r["title"]: r for r in json.loads(cli("sources", "--json", now="2026-03-03T09:00:00+00:00").stdout)}
    assert rows[f"{LONG} 1"] | {"id": 0} == {"id": 0, "title": f"{LONG} 1", "author": None, "category": "books",
                                            "active": 3, "due": 2, "reviewed": 2, "total": 3, "frequency": "normal"}
    assert (rows[f"{LONG} 2"]["due"], rows[f"{LONG} 2"]["reviewed"]) == (0, 0)
    assert sorted(r["id"] for r in rows.values()) == sorted(library.values())
    before = {r["title"]: r["due"] for r in json.loads(cli("sources", "--json").stdout)}
    assert before[f"{LONG} 1"] == 0  # on 2 March nothing is due yet: graded that day, due the next


def test_table_fits_80_columns_and_tells_titles_apart(cli, library: dict[str, int]) -> None:
    result = cli("sources", now="2026-03-03T09:00:00+00:00")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Id", "Title", "Author", "Category", "Active", "Due", "Reviewed"]  # all normal
    assert all(cell_len(line) <= 80 for line in lines), lines
    by_id = {int(line.split()[0]): line for line in lines[1:]}
    assert by_id.keys() == set(library.values())
    one, two = by_id[library[f"{LONG} 1"]], by_id[library[f"{LONG} 2"]]
    assert "Volume 1" in one.split("…")[1] and "Volume 2" in two.split("…")[1]  # cut in the middle: the end stays
    assert one.split()[-3:] == ["3", "2", "2"]  # active, due today, reviewed
    j1, j2 = by_id[library[f"{CJK}1"]], by_id[library[f"{CJK}2"]]
    assert "1" in j1.split("…")[1] and "2" in j2.split("…")[1]
    assert "4 sources, 7 active highlights: 2 due today, 2 reviewed" in result.stderr


def test_narrow_terminal_still_never_wraps(cli, library: dict[str, int]) -> None:
    lines = cli("sources", columns=40).stdout.splitlines()
    assert all(cell_len(line) <= 40 for line in lines), lines
    assert lines[0].split() == ["Id", "Title", "Active", "Due", "Reviewed"]


def test_cutting_measures_display_cells() -> None:
    assert cut_middle("abcdefghij", 7) == "abc…hij"
    assert cut_middle("日本語のタイトル", 7) == "日本…ル"  # 2 + 2 + 1 + 2 cells: a wide character is never split
    assert cell_len(cut_middle("日本語のタイトル", 8)) <= 8
    assert cut_end("👩‍👩‍👧 family", 3) == "👩‍👩‍👧…"  # the emoji sequence stays whole (2 cells)
    assert cut_end("short", 10) == "short"
    assert share(20, [30, 10]) == [10, 10] and share(100, [30, 10]) == [30, 10]


def test_a_frequency_column_once_a_source_is_not_normal(cli, library: dict[str, int]) -> None:
    volume = library[f"{LONG} 2"]
    assert cli("frequency", str(volume), "rarely").exit_code == 0
    result = cli("sources", now="2026-03-03T09:00:00+00:00")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Id", "Title", "Author", "Category", "Active", "Due", "Reviewed", "Frequency"]
    assert all(cell_len(line) <= 80 for line in lines), lines
    by_id = {int(line.split()[0]): line for line in lines[1:]}
    assert by_id[volume].split()[-1] == "rarely" and by_id[library[f"{LONG} 1"]].split()[-1] == "normal"
    assert result.stderr.rstrip().endswith("2 reviewed; 1 at rarely")
    narrow = cli("sources", columns=40).stdout.splitlines()
    assert all(cell_len(line) <= 40 for line in narrow) and "Frequency" not in narrow[0]  # no room: left out
