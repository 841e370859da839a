"""`recall import NOTE.md` imports that one note, and only it: inside a known vault as
part of that vault (nothing else of it is read, removed or retired); elsewhere as part
of the Obsidian vault holding it (the nearest folder with `.obsidian`), else of its
own folder."""

from __future__ import annotations

import json
from pathlib import Path

from support import db_rows, recall_process, write_note


def imported(db: Path, *args: str) -> tuple[int, dict, str]:
    result = recall_process("import", *args, "--db", str(db), "--json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout) if result.stdout else {}, result.stderr


def test_a_note_of_a_known_vault_is_imported_alone_and_nothing_else_is_retired(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    one = write_note(root, "Readwise/Books/One.md", "One", "on")
    other = write_note(root, "Readwise/Books/Other.md", "Other", "ot")
    db = tmp_path / "recall.db"
    assert imported(db, str(root))[0] == 0
    edited = one.read_text(encoding="utf-8").replace("- One highlight 2.", "- One highlight 2, edited.")
    one.write_text(edited, encoding="utf-8")
    other.unlink()

    for run in range(2):
        code, summary, stderr = imported(db, str(one))
        assert code == 0, stderr
        assert summary["vaults"] == [str(root)]
        assert summary["files_read"] == (1 if run == 0 else 0)
        assert summary["highlights_updated"] == (1 if run == 0 else 0)
        assert (summary["files_removed"], summary["highlights_retired"]) == (0, 0)
        assert db_rows(db, "SELECT path, present FROM files ORDER BY path") == [
            ("Readwise/Books/One.md", 1), ("Readwise/Books/Other.md", 1),
        ]
        assert db_rows(db, "SELECT count(*) FROM highlights WHERE NOT retired") == [(4,)]

    code, summary, _ = imported(db)  # the whole vault, as usual: now Other.md is gone
    assert (code, summary["files_removed"], summary["highlights_retired"]) == (0, 1, 2)


def test_a_note_outside_known_vaults_is_imported_alone_as_part_of_its_obsidian_vault(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    (root / ".obsidian").mkdir(parents=True)
    # Only its folder says it is a highlight note: the vault-relative path must be kept.
    note = root / "Readwise" / "Books" / "Plain.md"
    note.parent.mkdir(parents=True)
    note.write_text("# Plain\n## Highlights\n- A plain highlight.\n- Another one.\n", encoding="utf-8")
    write_note(root, "Readwise/Books/Next.md", "Next", "ne")
    db = tmp_path / "recall.db"

    code, summary, stderr = imported(db, str(note))

    assert code == 0, stderr
    assert summary["vaults"] == [str(root)]
    assert summary["highlights_new"] == 2
    assert db_rows(db, "SELECT path FROM files") == [("Readwise/Books/Plain.md",)]
    code, summary, _ = imported(db, str(root))  # then the vault: Plain.md is not registered twice
    assert (code, summary["files_unchanged"], summary["highlights_new"]) == (0, 1, 2)
    assert db_rows(db, "SELECT count(*) FROM files") == [(2,)]


def test_a_note_in_a_plain_folder_is_imported_alone_as_part_of_that_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Downloads"
    note = write_note(folder, "Book.md", "Book", "bo")
    write_note(folder, "Unrelated.md", "Unrelated", "un")
    db = tmp_path / "recall.db"

    code, summary, stderr = imported(db, str(note))

    assert code == 0, stderr
    assert summary["vaults"] == [str(folder)]
    assert db_rows(db, "SELECT path FROM files") == [("Book.md",)]


def test_files_that_are_not_notes_recall_reads_are_errors(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    write_note(root, "Readwise/Books/One.md", "One", "on")
    hidden = write_note(root, ".obsidian/Cached.md", "Cached", "ca")
    text = root / "list.txt"
    text.write_text("not a note\n", encoding="utf-8")
    db = tmp_path / "recall.db"
    assert imported(db, str(root))[0] == 0

    plugins = tmp_path / "unknown vault" / ".obsidian" / "plugins"  # in a vault not imported yet
    write_note(plugins, "Cached.md", "Cached", "pl")
    dot_folders = "recall never imports from dot-folders, `Full Document Contents/` or `Readwise Syncs.md`"
    for path, why in ((hidden, dot_folders), (plugins, dot_folders), (text, "not a folder or a Markdown note")):
        result = recall_process("import", str(path), "--db", str(db))
        assert result.returncode == 1
        assert result.stderr.splitlines()[-1] == f"recall: {path}: {why}"
    assert db_rows(db, "SELECT path FROM files") == [("Readwise/Books/One.md",)]
