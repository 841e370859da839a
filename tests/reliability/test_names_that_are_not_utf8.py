"""A file or folder whose name is not UTF-8 (Linux names are bytes: `café` saved in
Latin-1) is imported like any other: shown with U+FFFD, stored so that a re-import
changes nothing and the review app's editor still opens the file, and it never blocks
the rest of the vault."""

from __future__ import annotations

import json
import os
from pathlib import Path

from support import FIXED_NOW, db_rows, recall_process

NOTE = (
    "## Metadata\n- Author: [[Ann Writer]]\n\n## Highlights\n"
    "- First thought. ([View Highlight](https://read.readwise.io/read/01latin1first00000000000))\n"
    "- Second thought. ([View Highlight](https://read.readwise.io/read/01latin1second0000000000))\n"
)
OTHER = NOTE.replace("latin1", "utf8ok").replace("thought", "idea")


def latin1_vault(tmp_path: Path, folder: bytes = b"vault") -> tuple[Path, Path]:
    """A vault holding ``Readwise/Books/caf\\xe9.md`` (Latin-1) and a clean note; returns
    (vault, the Latin-1 note) as ``os`` functions name them."""
    root = tmp_path / os.fsdecode(folder)
    books = root / "Readwise" / "Books"
    books.mkdir(parents=True)
    latin1 = books / os.fsdecode(b"caf\xe9.md")
    latin1.write_text(NOTE, encoding="utf-8")
    (books / "Clean.md").write_text(OTHER, encoding="utf-8")
    return root, latin1


def test_a_latin1_file_name_is_imported_shown_with_replacement_characters(tmp_path: Path) -> None:
    root, latin1 = latin1_vault(tmp_path)
    db = tmp_path / "recall.db"
    first = recall_process("import", str(root), "--db", str(db), "--json")
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert json.loads(first.stdout)["highlights_new"] == 4

    export = recall_process("export", "highlights", "--db", str(db))
    exported = [json.loads(line) for line in export.stdout.splitlines()]
    by_text = {r["text"]: r for r in exported}
    assert by_text["First thought."]["file"] == "Readwise/Books/caf\ufffd.md"
    assert by_text["First thought."]["title"] == "caf\ufffd"
    assert by_text["First idea."]["file"] == "Readwise/Books/Clean.md"

    again = recall_process("import", "--db", str(db), "--json")  # no PATH: the same vault
    assert again.returncode == 0, again.stderr
    counts = json.loads(again.stdout)
    assert (counts["files_read"], counts["files_unchanged"], counts["files_removed"]) == (0, 2, 0)
    assert db_rows(db, "SELECT count(*) FROM files") == [(2,)]
    assert db_rows(db, "SELECT path FROM files WHERE typeof(path) = 'blob'") == [(b"Readwise/Books/caf\xe9.md",)]


def test_a_changed_latin1_note_warns_with_its_replaced_name(tmp_path: Path) -> None:
    root, latin1 = latin1_vault(tmp_path)
    db = tmp_path / "recall.db"
    latin1.write_text(NOTE + "| a table row | recall does not read |\n- Third thought.\n", encoding="utf-8")
    result = recall_process("import", str(root), "--db", str(db), "--json")
    assert result.returncode == 3, result.stderr
    shown = str(root / "Readwise" / "Books" / "caf\ufffd.md")
    assert f"warning: {shown}:7: 1 line not understood" in result.stderr
    assert any(w["warning"].startswith(shown) for w in json.loads(result.stdout)["warnings"])


def test_explain_shows_a_latin1_note(tmp_path: Path) -> None:
    _root, latin1 = latin1_vault(tmp_path)
    result = recall_process("import", "--explain", str(latin1))
    assert result.returncode == 0, result.stderr
    assert "caf\ufffd.md" in result.stdout.splitlines()[0]
    assert "title: caf\ufffd" in result.stdout
    as_json = json.loads(recall_process("import", "--explain", str(latin1), "--json").stdout)
    assert as_json["path"].endswith("caf\ufffd.md") and as_json["highlights"] == 2


def test_a_vault_whose_own_folder_name_is_latin1_is_imported_again_by_name(tmp_path: Path) -> None:
    root, _latin1 = latin1_vault(tmp_path, b"v\xe9ault")
    db = tmp_path / "recall.db"
    first = recall_process("import", str(root), "--db", str(db), "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["vaults"] == [str(tmp_path / "v\ufffdault")]
    again = recall_process("import", "--db", str(db), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["files_unchanged"] == 2
    status = json.loads(recall_process("db", "status", "--db", str(db), "--json").stdout)
    assert [v["root"] for v in status["vaults"]] == [str(tmp_path / "v\ufffdault")]


def test_the_review_app_opens_a_latin1_note_in_the_editor(tmp_path: Path) -> None:
    from recall.config import Settings
    from recall.context import Context
    from recall.db.engine import open_db
    from recall.tui.store import Store
    from recall.vocabulary import QueueFilter

    root, latin1 = latin1_vault(tmp_path, b"v\xe9ault")
    db = tmp_path / "recall.db"
    assert recall_process("import", str(root), "--db", str(db)).returncode == 0
    (highlight_id,) = db_rows(db, "SELECT id FROM highlights WHERE text = 'First thought.'")[0]

    class Fixed:
        def now(self):
            return FIXED_NOW

    store = Store(Context(open_db(db), Settings(), Fixed()), QueueFilter())
    card = store.card(highlight_id)
    assert card is not None and card.note_file == latin1.resolve() and card.note_file.is_file()
    assert card.line == 5
