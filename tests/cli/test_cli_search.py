"""`recall search`: the FTS5 index is built on the first search (never during an import), then
follows the highlights through imports, edits, renames and upgrades; what the user types is
words, never query syntax."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from typer.testing import CliRunner

from recall.cli import app
from recall.db.engine import open_db
from recall.db.search import MATCH_START, build_search_index, match_expression, search

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOTE = """# {title}

## Metadata
- Author: [[{author}]]
- Full Title: {title}

## Highlights
- The **café** is where ideas ==meet== and "quotes" live - NEAR the door. ([Location 1](https://readwise.io/to_kindle?action=open&asin=B0&location=1))
    - Note: remember the espresso
- Pruning {word} happens in winter; {filler} ([Location 9](https://readwise.io/to_kindle?action=open&asin=B0&location=9))
"""
FILLER = " ".join(f"word{n}" for n in range(40))


@pytest.fixture
def cli(db_file: Path, monkeypatch: pytest.MonkeyPatch):
    def run(*args: str, columns: int = 80):
        monkeypatch.setenv("COLUMNS", str(columns))
        return runner.invoke(app, [*args, "--db", str(db_file)], catch_exceptions=False)

    return run


def write(root: Path, title: str = "Coffee Book", author: str = "Ann Author", word: str = "apples") -> Path:
    note = root / "Readwise" / "Books" / "Coffee.md"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(NOTE.format(title=title, author=author, word=word, filler=FILLER), encoding="utf-8")
    return root


def index_state(db_file: Path) -> tuple[bool, int]:
    """Whether the search index is marked built, and the rows it holds."""
    with sqlite3.connect(db_file) as raw:
        built = raw.execute("SELECT built FROM search_index_state").fetchone()[0]
        return bool(built), raw.execute("SELECT count(*) FROM highlights_fts").fetchone()[0]


def found(cli, words: str) -> list[int]:
    result = cli("search", words, "--json")
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)["results"]]


def test_text_note_title_and_author_are_found_any_case_and_accent(cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path / "v")))
    assert found(cli, "cafe") == [1] and found(cli, "CAFÉ") == [1]
    assert found(cli, "espresso") == [1]  # the note
    assert sorted(found(cli, "coffee")) == [1, 2] and sorted(found(cli, "ann author")) == [1, 2]
    assert found(cli, "apples winter") == [2] and found(cli, "apples espresso") == []  # every word, one highlight
    shown = json.loads(cli("search", "espresso", "--json").stdout)
    assert shown["total"] == 1 and shown["results"][0]["matched_in"] == "note"
    assert shown["results"][0]["snippet"] == "remember the espresso" and MATCH_START not in shown["results"][0]["snippet"]


@pytest.mark.parametrize("typed", ['"quotes"', '"unbalanced', "- NEAR", "NEAR(the door)", "*", "caf*", "ideas AND",
                                   "OR", "text:café", "^ideas", "(", "''", "a\"b\"c", "\x1b[2J"])
def test_query_syntax_is_text_and_never_an_error(cli, tmp_path: Path, typed: str) -> None:
    cli("import", str(write(tmp_path / "v")))
    result = cli("search", typed)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    if not result.stdout:
        assert "No highlight matches" in result.stderr and "\x1b" not in result.stderr


def test_quoted_words_match_as_words(cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path / "v")))
    assert found(cli, '"quotes"') == [1] and found(cli, "NEAR") == [1] and found(cli, "- door") == [1]
    assert found(cli, "caf*") == []  # a star is not a prefix operator
    assert match_expression('say "hi" -x') == '"say" """hi""" "-x"' and match_expression("  ") is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(alphabet=st.sampled_from(list('"*-^:()+ NEARORandcafé\'{}[]\\\x00')), max_size=30) | st.text())
def test_any_typed_text_gives_an_answer(engine, typed: str) -> None:
    assert search(engine, typed, 5).total >= 0


def test_index_follows_edits_retirement_and_forgetting(cli, tmp_path: Path, db_file: Path) -> None:
    """Once built (by the first search), the triggers keep the index in step with every import."""
    root = write(tmp_path / "v")
    cli("import", str(root))
    assert found(cli, "apples") == [2] and index_state(db_file) == (True, 2)
    write(root, word="pears")  # the highlight's text is edited (same location: same highlight)
    cli("import", str(root))
    assert found(cli, "apples") == [] and found(cli, "pears") == [2]
    write(root, title="Tea Book", author="Bo Writer", word="pears")  # another source: new highlights, old retired
    cli("import", str(root))
    assert sorted(found(cli, "tea writer")) == [3, 4] and sorted(found(cli, "coffee")) == [1, 2]
    retired = json.loads(cli("search", "pears", "--json").stdout)["results"]
    assert sorted((r["id"], r["status"]) for r in retired) == [(2, "retired"), (4, "active")]  # kept, with status
    assert "(retired)" in cli("search", "coffee").stdout
    assert cli("vaults", "forget", str(root), "--yes").exit_code == 0
    assert found(cli, "tea") == [] and found(cli, "pears") == [2]  # forgotten highlights leave the index
    assert index_state(db_file) == (True, 2)  # 1 and 2, kept by the other vault


def test_a_deleted_highlight_leaves_the_index(cli, tmp_path: Path, db_file: Path) -> None:
    cli("import", str(write(tmp_path / "v")))
    assert found(cli, "espresso") == [1] and index_state(db_file) == (True, 2)  # built: the trigger acts
    with sqlite3.connect(db_file) as raw:
        raw.execute("DELETE FROM highlights WHERE id = 1")
    assert found(cli, "espresso") == [] and found(cli, "coffee") == [2]


def test_a_source_renamed_in_place_is_found_by_its_new_title(cli, tmp_path: Path, db_file: Path) -> None:
    """The trigger on sources: a title or author changed on the row is what the index holds."""
    cli("import", str(write(tmp_path / "v")))
    assert sorted(found(cli, "coffee")) == [1, 2] and index_state(db_file)[0]  # built: the trigger acts
    with sqlite3.connect(db_file) as raw:
        raw.execute("UPDATE sources SET title = 'Herbal Infusions', author = 'Zed Other'")
    assert found(cli, "coffee") == [] and found(cli, "ann") == []
    assert sorted(found(cli, "herbal zed")) == [1, 2]


def test_unchanged_rows_are_not_reindexed(cli, tmp_path: Path, db_file: Path) -> None:
    """The update triggers fire only on a change (an import rewrites the columns of every
    highlight it updates): writing rows as they are changes nothing in the index."""
    cli("import", str(write(tmp_path / "v")))
    assert found(cli, "espresso") == [1] and index_state(db_file) == (True, 2)  # built: the triggers act
    with sqlite3.connect(db_file) as raw:
        before = raw.total_changes  # counts the triggers' writes too
        raw.execute("UPDATE highlights SET text = text, note = note, source_id = source_id")
        raw.execute("UPDATE sources SET title = title, author = author")
        assert raw.total_changes - before == 3  # two highlights and one source, no index row
        raw.execute("UPDATE highlights SET note = 'changed' WHERE id = 1")
        assert raw.total_changes - before > 3 + 1  # the row, and its index row deleted and written again
        raw.execute("INSERT INTO highlights_fts (highlights_fts) VALUES ('integrity-check')")
    assert found(cli, "changed") == [1]


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_upgraded_database_is_searchable_at_once(tmp_path: Path, version: int) -> None:
    """Migration 4 creates the index empty and not built (an upgrade costs nothing); the first
    search builds it from the highlights already there."""
    copy = tmp_path / "recall.db"
    shutil.copy(FIXTURES / f"schema-v{version}.db", copy)
    engine = open_db(copy)
    with engine.connect() as connection:
        total = connection.exec_driver_sql("SELECT count(*) FROM highlights").scalar_one()
    assert total > 100 and index_state(copy) == (False, 0)
    assert search(engine, "promise future self" if version == 1 else "canopy", 5).rows[0]["id"] == 3
    assert index_state(copy) == (True, total)


def test_terminal_lines_fit_and_say_when_nothing_matched(cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path / "v", title="A title " + "long " * 30 + "end")))
    result = cli("search", "winter")
    lines = result.stdout.splitlines()
    assert lines[0].split()[0] == "2" and lines[0].rstrip().endswith("Ann Author")
    assert "Pruning apples happens in winter" in lines[1]
    assert all(cell_len(line) <= 80 for line in lines)
    late = cli("search", "word39", columns=60).stdout.splitlines()
    assert "word39" in late[1] and late[1].lstrip().startswith("…") and all(cell_len(x) <= 60 for x in late)
    assert "café is where ideas meet" in cli("search", "ideas").stdout  # Markdown shown as plain text
    none = cli("search", "zebra")
    assert none.exit_code == 0 and none.stdout == "" and "No highlight matches 'zebra'." in none.stderr
    many = cli("search", "ann", "--limit", "1")
    assert len(many.stdout.splitlines()) == 2 and "2 highlights match (the best 1 shown" in many.stderr


def test_a_first_import_leaves_the_index_unbuilt_and_the_first_search_builds_it(
    cli, tmp_path: Path, db_file: Path
) -> None:
    """The first import pays nothing for search: the triggers do nothing while the index is not
    built, re-imports and edits included; the first search builds it whole, and finds everything."""
    root = write(tmp_path / "v")
    cli("import", str(root))
    write(root, word="pears")  # an edit before any search
    cli("import", str(root))
    write(root, title="Tea Book", author="Bo Writer", word="pears")  # a new source, the old highlights retired
    cli("import", str(root))
    with sqlite3.connect(db_file) as raw:
        raw.execute("DELETE FROM highlights WHERE id = 1")
        raw.execute("UPDATE sources SET title = 'Herbal Infusions' WHERE title = 'Coffee Book'")
    assert index_state(db_file) == (False, 0)
    first = cli("search", "pears", "--json")
    assert "Building the search index" not in first.stderr  # a few highlights: too quick to mention
    assert sorted(row["id"] for row in json.loads(first.stdout)["results"]) == [2, 4]
    assert index_state(db_file) == (True, 3)
    assert found(cli, "apples") == [] and found(cli, "espresso") == [3] and found(cli, "coffee") == []
    assert found(cli, "herbal") == [2] and sorted(found(cli, "tea writer")) == [3, 4]
    with sqlite3.connect(db_file) as raw:
        raw.execute("INSERT INTO highlights_fts (highlights_fts) VALUES ('integrity-check')")


def test_forgetting_a_vault_before_the_index_is_built(cli, tmp_path: Path, db_file: Path) -> None:
    cli("import", str(write(tmp_path / "v")))
    cli("import", str(write(tmp_path / "w", title="Tea Book", author="Bo Writer")))
    assert cli("vaults", "forget", str(tmp_path / "w"), "--yes").exit_code == 0
    assert index_state(db_file) == (False, 0)
    assert found(cli, "tea") == [] and sorted(found(cli, "coffee")) == [1, 2]
    assert index_state(db_file) == (True, 2)


def test_a_long_build_is_told_once(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import recall.cli.browsing

    monkeypatch.setattr(recall.cli.browsing, "BUILD_NOTICE_AT", 2)
    cli("import", str(write(tmp_path / "v")))
    first = cli("search", "apples")
    assert first.exit_code == 0 and first.stderr.startswith("Building the search index (once)…\n")
    assert "Pruning apples" in first.stdout
    assert "Building" not in cli("search", "apples").stderr


def test_the_index_is_built_once(engine) -> None:
    told: list[int] = []
    assert build_search_index(engine, told.append) is True and told == [0]
    assert build_search_index(engine, told.append) is False and told == [0]
