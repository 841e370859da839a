"""A folder the import cannot look into is not a folder whose notes were deleted: what
was imported from it is kept (not removed, not retired), a warning names it, the rest
of the vault is imported, and the import exits 3 (something was not imported)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from support import db_rows, highlight_note, recall_process, write_note


def import_json(root: Path, db: Path) -> tuple[int, dict, str]:
    result = recall_process("import", str(root), "--db", str(db), "--json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout), result.stderr


def test_a_folder_with_mode_000_gives_exit_3_and_keeps_its_highlights(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    write_note(root, "Readwise/Articles/Open.md", "Open", "op")
    private = root / "Private"
    write_note(private, "Secret.md", "Secret", "se")
    db = tmp_path / "recall.db"
    assert import_json(root, db)[0] == 0

    private.chmod(0)
    try:
        if os.access(private, os.R_OK):
            pytest.skip("running as a user whom permissions do not stop (root): see the long-path test below")
        code, summary, stderr = import_json(root, db)
    finally:
        private.chmod(stat.S_IRWXU)

    assert code == 3
    assert f"warning: {private}: cannot list folder (Permission denied); what was imported from it is kept" in stderr
    assert (summary["files_removed"], summary["highlights_retired"]) == (0, 0)
    assert db_rows(db, "SELECT count(*) FROM highlights WHERE NOT retired") == [(4,)]


def test_a_folder_out_of_reach_gives_exit_3_and_the_rest_is_imported(tmp_path: Path) -> None:
    # Permissions do not stop root, but no one can reach a folder whose path is longer
    # than the system allows (PATH_MAX); it is made one level at a time.
    root = tmp_path / "vault"
    write_note(root, "Readwise/Articles/Open.md", "Open", "op")
    limit = os.pathconf(tmp_path, "PC_PATH_MAX")
    folder = os.open(root, os.O_RDONLY)
    length = len(str(root))
    while length <= limit:
        os.mkdir("d" * 200, dir_fd=folder)
        deeper = os.open("d" * 200, os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder, length = deeper, length + 201
    note = os.open("Buried.md", os.O_WRONLY | os.O_CREAT, dir_fd=folder)
    os.write(note, highlight_note("Buried", "bu").encode())
    os.close(note)
    os.close(folder)
    db = tmp_path / "recall.db"

    code, summary, stderr = import_json(root, db)

    assert code == 3
    (warning,) = [w["warning"] for w in summary["warnings"] if w["kind"] == "unlisted"]
    assert warning.startswith(str(root / ("d" * 200))) and "File name too long" in warning
    assert f"warning: {warning}" in stderr
    assert db_rows(db, "SELECT path FROM files") == [("Readwise/Articles/Open.md",)]
