"""`recall import` is loud, never silent: lines it cannot read are warned about with
path and line (and repeated until the note changes), many warnings of one kind are one
line, exit code 3 says something was not imported, and `--explain` shows every line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from recall import exit_codes
from recall.cli import app

runner = CliRunner()
KINDLE = "([Location\u00a0{n}](https://readwise.io/to_kindle?action=open&asin=B0&location={n}))"
NOTE = (
    "# A Book\n\n## Metadata\n- Author: [[Ann Writer]]\n- Full Title: A Book\n\n## Highlights\n"
    f"- First thought. {KINDLE.format(n=12)}\n    - Note: mine\n"
    "| a table row | recall does not read |\n"
    f"- Second thought. {KINDLE.format(n=40)}\n"
)


def recall(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def write(vault: Path, rel: str, text: str) -> Path:
    path = vault / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_lines_not_understood_are_warned_with_path_and_line_at_every_import(tmp_path: Path, db_file: Path) -> None:
    path = write(tmp_path / "v", "Readwise/Books/A Book.md", NOTE)
    for _ in range(2):  # the second import has nothing new to read, and still says it
        result = recall("import", str(tmp_path / "v"), "--db", str(db_file))
        assert result.exit_code == exit_codes.PARTIAL, result.output
        assert f"warning: {path}:10: 1 line not understood (10); not imported" in result.stderr
        assert "highlights:" in result.stderr
    path.write_text(NOTE.replace("| a table row | recall does not read |\n", ""), encoding="utf-8")
    fixed = recall("import", str(tmp_path / "v"), "--db", str(db_file), "--json")
    assert fixed.exit_code == exit_codes.OK and "warning" not in fixed.stderr
    assert json.loads(fixed.stdout)["highlights_unchanged"] == 2


def test_a_note_with_signatures_and_no_highlight_is_named(tmp_path: Path, db_file: Path) -> None:
    path = write(tmp_path / "v", "Clippings/Table.md", f"| quote | where |\n| --- | --- |\n| Words | {KINDLE.format(n=3)} |\n")
    result = recall("import", str(tmp_path / "v"), "--db", str(db_file))
    assert result.exit_code == exit_codes.PARTIAL
    assert f"warning: {path}: it has highlight signatures, but no line reads as a highlight" in result.stderr


def test_many_warnings_of_one_kind_are_one_line_unless_verbose(tmp_path: Path, db_file: Path) -> None:
    broken = "---\nauthor: @someone on Twitter\n---\n"
    for n in range(5):
        write(tmp_path / "v", f"Readwise/Tweets/T{n}.md", broken + NOTE.replace("| a table row | recall does not read |\n", ""))
    grouped = recall("import", str(tmp_path / "v"), "--db", str(db_file))
    assert grouped.exit_code == exit_codes.OK  # metadata came from the body: nothing was lost
    (line,) = [w for w in grouped.stderr.splitlines() if w.startswith("warning:")]
    assert line.startswith("warning: 5 notes have frontmatter recall cannot read; their title and author came from")
    assert "T0.md:" in line and "invalid YAML frontmatter" in line and "--verbose lists them all" in line
    for n in range(5):
        (tmp_path / "v" / f"Readwise/Tweets/T{n}.md").touch()
    listed = recall("import", str(tmp_path / "v"), "--db", str(db_file), "--verbose", "--json")
    assert [w["kind"] for w in json.loads(listed.stdout)["warnings"]] == []  # bytes unchanged: not parsed again
    (tmp_path / "other.db").unlink(missing_ok=True)
    fresh = recall("import", str(tmp_path / "v"), "--db", str(tmp_path / "other.db"), "--verbose")
    assert len([w for w in fresh.stderr.splitlines() if w.startswith("warning:")]) == 5


def test_explain_shows_what_each_line_became(tmp_path: Path) -> None:
    path = write(tmp_path / "v", "Readwise/Books/A Book.md", NOTE.replace("First thought.", "First [bold]thought\x1b[31m."))
    result = recall("import", "--explain", str(path))
    assert result.exit_code == exit_codes.OK, result.output
    out = result.stdout.splitlines()
    assert out[1] == "  read by: list items"
    assert "a highlights heading" in out[2] and "folder Readwise/" in out[2]
    assert out[4] == "  2 highlights; 1 lines not understood"
    rows = {line.split(" \u2502 ")[0].strip(): line.split(" \u2502 ")[1].strip() for line in out[6:] if " \u2502 " in line}
    assert (rows["7"], rows["8"], rows["9"], rows["10"], rows["11"]) == (
        "heading",
        "highlight 1",
        "note of 1",
        "NOT UNDERSTOOD",
        "highlight 2",
    )
    assert "First [bold]thought\u241b[31m." in result.stdout  # shown literally, escape made visible


def test_explain_says_why_an_ordinary_note_is_not_read(tmp_path: Path) -> None:
    path = write(tmp_path, "Daily/2026-04-12.md", "# Trip\n## Highlights\n- saw the sea\n")
    result = recall("import", "--explain", str(path), "--json")
    data = json.loads(result.stdout)
    assert (data["highlight_note"], data["highlights"]) == (False, 0)
    assert "nothing marks it as a highlight note" in data["reason"]
    missing = recall("import", "--explain", str(tmp_path / "nope.md"))
    assert missing.exit_code == exit_codes.USAGE and "cannot read" in missing.stderr


def test_highlight_folders_setting_reaches_the_import(tmp_path: Path, db_file: Path, recall_home: Path) -> None:
    write(tmp_path / "v", "Reading/Clips/x.md", "- my clipping\n- another\n")
    assert "0 new" in recall("import", str(tmp_path / "v"), "--db", str(db_file)).stderr
    recall_home.mkdir(parents=True, exist_ok=True)
    (recall_home / "config.toml").write_text('highlight_folders = ["Reading/Clips"]\n', encoding="utf-8")
    (tmp_path / "v" / "Reading/Clips/x.md").write_text("- my clipping\n- another\n\n", encoding="utf-8")
    assert "2 new" in recall("import", str(tmp_path / "v"), "--db", str(db_file)).stderr


def test_a_highlight_keyed_by_bad_bytes_is_held_back_until_the_note_is_fixed(tmp_path: Path, db_file: Path) -> None:
    reader = "([View Highlight](https://read.readwise.io/read/01hv0000000000000000000001))"
    body = f"# A Book\n\n## Metadata\n- Full Title: A Book\n\n## Highlights\n- Caf\xe9 with an id {reader}\n- Caf\xe9 without one\n"
    path = tmp_path / "v" / "Readwise" / "Articles" / "A Book.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(body.encode("latin-1"))
    result = recall("import", str(tmp_path / "v"), "--db", str(db_file), "--json")
    assert result.exit_code == exit_codes.PARTIAL
    assert f"warning: {path}:8: highlight not imported: its text has bytes that are not valid text" in result.stderr
    assert json.loads(result.stdout)["highlights_new"] == 1  # the one with an id, shown with U+FFFD
    path.write_bytes(body.encode("utf-8"))
    fixed = recall("import", str(tmp_path / "v"), "--db", str(db_file), "--json")
    assert fixed.exit_code == exit_codes.OK
    assert (json.loads(fixed.stdout)["highlights_new"], json.loads(fixed.stdout)["highlights_updated"]) == (1, 1)
