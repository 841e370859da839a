"""Nothing outside the vault, nothing from a dot-folder, even through symlinks: a link is
followed only while its resolved target stays inside the vault and outside dot-folders.
Any other link is not read, is named in a warning ("symlink") and makes the import
exit 3; what was imported through it before is kept. Links inside the vault work."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from support import db_rows, recall_process, write_note

SECRET = "recall-test-secret-4f1d"


def vault_with_one_note(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    write_note(root, "Readwise/Articles/Inside.md", "Inside", "in")
    (root / ".obsidian").mkdir()
    return root


def import_json(root: Path, db: Path, **options) -> tuple[int, dict, str]:
    result = recall_process("import", str(root), "--db", str(db), "--json", **options)
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout), result.stderr


def symlink_warnings(summary: dict) -> list[str]:
    return [w["warning"] for w in summary["warnings"] if w["kind"] == "symlink"]


def test_a_link_to_a_note_elsewhere_on_disk_is_not_read(tmp_path: Path) -> None:
    root = vault_with_one_note(tmp_path)
    outside = write_note(tmp_path / "elsewhere", "Private.md", "Private", "out")
    link = root / "Readwise" / "Articles" / "Private.md"
    link.symlink_to(outside)
    folder_link = root / "Readwise" / "Elsewhere"
    folder_link.symlink_to(outside.parent, target_is_directory=True)
    db = tmp_path / "recall.db"

    code, summary, stderr = import_json(root, db)

    assert code == 3
    assert symlink_warnings(summary) == [
        f"{folder_link}: a link to {outside.parent}, outside the vault; not followed",
        f"{link}: a link to {outside}, outside the vault; not followed",
    ]
    assert f"warning: {link}: a link to" in stderr
    assert db_rows(db, "SELECT path FROM files") == [("Readwise/Articles/Inside.md",)]
    assert db_rows(db, "SELECT count(*) FROM highlights WHERE text LIKE 'Private%'") == [(0,)]


def test_a_link_into_dot_obsidian_is_not_read(tmp_path: Path) -> None:
    root = vault_with_one_note(tmp_path)
    plugin = root / ".obsidian" / "plugins" / "readwise-official"
    write_note(plugin, "Cached.md", "Cached", "ob")
    (plugin / "data.json").write_text(f'{{"token": "{SECRET}"}}', encoding="utf-8")
    note_link = root / "Readwise" / "Cached.md"
    note_link.symlink_to(plugin / "Cached.md")
    folder_link = root / "Readwise" / "Plugin"
    folder_link.symlink_to(Path("..", ".obsidian", "plugins"), target_is_directory=True)  # relative, as usual
    db = tmp_path / "recall.db"

    code, summary, _stderr = import_json(root, db)

    assert code == 3
    assert symlink_warnings(summary) == [
        f"{note_link}: a link into a dot-folder ({plugin / 'Cached.md'}); not followed",
        f"{folder_link}: a link into a dot-folder ({root / '.obsidian' / 'plugins'}); not followed",
    ]
    assert db_rows(db, "SELECT path FROM files") == [("Readwise/Articles/Inside.md",)]
    assert SECRET.encode() not in db.read_bytes()


def test_a_link_to_proc_self_environ_is_not_read(tmp_path: Path) -> None:
    root = vault_with_one_note(tmp_path)
    link = root / "x.md"
    link.symlink_to("/proc/self/environ")
    db = tmp_path / "recall.db"

    code, summary, _stderr = import_json(root, db, env={**os.environ, "RECALL_TEST_SECRET": SECRET})

    assert code == 3
    (warning,) = symlink_warnings(summary)
    assert warning.startswith(f"{link}: a link to /proc/") and warning.endswith("outside the vault; not followed")
    assert db_rows(db, "SELECT path FROM files") == [("Readwise/Articles/Inside.md",)]
    assert SECRET.encode() not in db.read_bytes()


def test_what_was_imported_before_through_a_link_that_now_leads_out_is_kept(tmp_path: Path) -> None:
    root = vault_with_one_note(tmp_path)
    write_note(root, "Readwise/Books/Book.md", "Book", "bk")
    db = tmp_path / "recall.db"
    assert import_json(root, db)[0] == 0

    # The folder moves out of the vault (to a synced drive) and a link is left in its place.
    moved = tmp_path / "Drive" / "Books"
    moved.parent.mkdir()
    shutil.move(root / "Readwise" / "Books", moved)
    (root / "Readwise" / "Books").symlink_to(moved, target_is_directory=True)
    code, summary, _stderr = import_json(root, db)

    assert code == 3 and len(symlink_warnings(summary)) == 1
    assert (summary["files_removed"], summary["highlights_retired"]) == (0, 0)
    assert db_rows(db, "SELECT count(*) FROM highlights WHERE NOT retired") == [(4,)]


def test_links_inside_the_vault_are_followed_once(tmp_path: Path) -> None:
    root = vault_with_one_note(tmp_path)
    write_note(root, "Library/Book.md", "Book", "bk")
    (root / "Readwise" / "Books").symlink_to(Path("..", "Library"), target_is_directory=True)
    (root / "Readwise" / "Articles" / "Same.md").symlink_to(root / "Readwise" / "Articles" / "Inside.md")
    (root / "Readwise" / "Loop").symlink_to(Path(".."), target_is_directory=True)
    db = tmp_path / "recall.db"

    code, summary, stderr = import_json(root, db)

    assert code == 0, stderr
    assert summary["warnings"] == []
    assert db_rows(db, "SELECT count(*) FROM files") == [(2,)]
    assert db_rows(db, "SELECT count(*), count(DISTINCT highlight_id) FROM occurrences") == [(4, 4)]


def test_a_note_named_through_a_link_out_of_its_vault_is_not_read(tmp_path: Path) -> None:
    """`recall import VAULT/link.md` where the link leads out of the known vault: one line,
    nothing read, and the folder outside does not become a vault."""
    root = vault_with_one_note(tmp_path)
    outside = write_note(tmp_path / "elsewhere", "Private.md", "Private", "out")
    link = root / "Readwise" / "Private.md"
    link.symlink_to(outside)
    db = tmp_path / "recall.db"
    assert import_json(root, db)[0] == 3
    result = recall_process("import", str(link), "--db", str(db))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"recall: {link}: a link to {outside}, outside the vault {root}; not followed" in result.stderr
    assert db_rows(db, "SELECT root FROM vaults") == [(str(root),)]
    assert db_rows(db, "SELECT count(*) FROM highlights WHERE text LIKE 'Private%'") == [(0,)]


def test_a_link_that_loops_is_one_line(tmp_path: Path) -> None:
    root = vault_with_one_note(tmp_path)
    (root / "loop1.md").symlink_to("loop2.md")
    (root / "loop2.md").symlink_to("loop1.md")
    (root / "itself").symlink_to("itself")
    db = tmp_path / "recall.db"
    assert import_json(root, db)[0] == 3  # the loops are named, the note is imported
    for looping in ("loop1.md", "itself"):
        result = recall_process("import", str(root / looping), "--db", str(db))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"recall: {root / looping}: a link that cannot be followed" in result.stderr


def test_explain_reads_nothing_the_import_would_not(tmp_path: Path) -> None:
    """`--explain` is no way round the rules: a token file in `.obsidian/`, a link to
    `/proc/self/environ` or out of the vault, a file that is not a note are not shown."""
    root = vault_with_one_note(tmp_path)
    plugin = root / ".obsidian" / "plugins" / "readwise-official"
    write_note(plugin, "Cached.md", "Cached", "ob")
    (plugin / "data.json").write_text(f'{{"token": "{SECRET}"}}', encoding="utf-8")
    outside = write_note(tmp_path / "elsewhere", "Private.md", "Private", "out")
    (root / "Readwise" / "Env.md").symlink_to("/proc/self/environ")
    (root / "Readwise" / "Out.md").symlink_to(outside)
    (root / "Readwise" / "Token.md").symlink_to(plugin / "data.json")
    for named, why in (
        (plugin / "Cached.md", "dot-folder"), (plugin / "data.json", "dot-folder"),
        (root / "Readwise" / "Env.md", "outside the vault"), (root / "Readwise" / "Out.md", "outside the vault"),
        (root / "Readwise" / "Token.md", "dot-folder"), (root / "Readwise" / "Articles", "not a Markdown note"),
    ):
        result = recall_process("import", "--explain", str(named))
        assert result.returncode == 3, (named, result.stderr)
        assert why in result.stderr and "does not read it" in result.stderr, named
        assert SECRET not in result.stdout + result.stderr and "PATH=" not in result.stdout + result.stderr
        assert "Private" not in result.stdout
    assert recall_process("import", "--explain", str(root / "Readwise/Articles/Inside.md")).returncode == 0
