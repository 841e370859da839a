"""Vaults come and go: one that vanished (moved, unmounted, deleted) keeps its highlights
and never stops the others; a folder inside a known vault is imported as part of it,
and a folder holding a known vault takes it in: no note is ever registered twice, and
nothing outside what was imported is retired. `recall vaults` lists them; forgetting
one deletes only what no other vault has, after a backup, and asks first."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
from pathlib import Path

from support import db_rows, recall_process, write_note


def two_vaults(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Vaults "a" and "b" (two notes each, 4 highlights a note), imported; returns (a, b, db)."""
    a, b = tmp_path / "a", tmp_path / "b"
    write_note(a, "Readwise/Books/A1.md", "A1", "aa", 4)
    write_note(a, "Kindle/A2.md", "A2", "ab", 4)
    write_note(b, "Readwise/Articles/B1.md", "B1", "ba", 4)
    write_note(b, "Readwise/Articles/B2.md", "B2", "bb", 4)
    db = tmp_path / "recall.db"
    first = recall_process("import", str(a), str(b), "--db", str(db))
    assert first.returncode == 0, first.stderr
    return a, b, db


def imported(db: Path, *args: str) -> tuple[int, dict, str]:
    result = recall_process("import", *args, "--db", str(db), "--json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout), result.stderr


def counts(db: Path) -> dict[str, int]:
    sql = {
        "vaults": "SELECT count(*) FROM vaults",
        "files": "SELECT count(*) FROM files",
        "present": "SELECT count(*) FROM files WHERE present",
        "occurrences": "SELECT count(*) FROM occurrences",
        "active": "SELECT count(*) FROM highlights WHERE NOT retired",
        "retired": "SELECT count(*) FROM highlights WHERE retired",
    }
    return {name: db_rows(db, query)[0][0] for name, query in sql.items()}


ALL_IN = {"vaults": 2, "files": 4, "present": 4, "occurrences": 16, "active": 16, "retired": 0}


def test_a_vanished_vault_keeps_its_highlights_and_the_others_are_imported(tmp_path: Path) -> None:
    a, b, db = two_vaults(tmp_path)
    write_note(b, "Readwise/Articles/B3.md", "B3", "bc", 4)
    shutil.move(a, tmp_path / "a-moved")

    code, summary, stderr = imported(db)  # no PATH: every known vault

    assert code == 3
    assert f"warning: vault not found: {a}; its highlights are kept" in stderr
    assert [w["kind"] for w in summary["warnings"]] == ["vanished"]
    assert (summary["highlights_new"], summary["highlights_retired"], summary["files_removed"]) == (4, 0, 0)
    assert counts(db) == {**ALL_IN, "files": 5, "present": 5, "occurrences": 20, "active": 20}

    shutil.move(tmp_path / "a-moved", a)  # back again: nothing to restore, nothing new
    code, summary, _ = imported(db)
    assert code == 0
    assert (summary["files_unchanged"], summary["highlights_restored"], summary["highlights_new"]) == (5, 0, 0)


def test_a_vault_folder_left_empty_keeps_its_highlights(tmp_path: Path) -> None:
    a, _b, db = two_vaults(tmp_path)
    for child in a.iterdir():  # an unmounted drive leaves its empty mount point
        shutil.rmtree(child)

    code, summary, stderr = imported(db)

    assert code == 3
    assert f"warning: {a}: the vault is empty; its highlights are kept" in stderr
    assert summary["highlights_retired"] == 0
    assert counts(db) == ALL_IN


def test_a_path_given_that_does_not_exist_is_an_error_after_the_others_are_imported(tmp_path: Path) -> None:
    a, b, db = two_vaults(tmp_path)
    write_note(b, "Readwise/Articles/B3.md", "B3", "bc", 4)
    missing = tmp_path / "nowhere"

    result = recall_process("import", str(missing), str(b), "--db", str(db))

    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"recall: vault not found: {missing}"
    assert "highlights: 4 new" in result.stderr
    assert counts(db)["active"] == 20


def test_a_symlinked_folder_whose_target_disappeared_keeps_its_highlights(tmp_path: Path) -> None:
    a, _b, db = two_vaults(tmp_path)
    write_note(a, "Shelf/Lent/Lent.md", "Lent", "le", 4)
    (a / "Borrowed").symlink_to(Path("Shelf", "Lent"), target_is_directory=True)
    assert imported(db, str(a))[0] == 0
    assert db_rows(db, "SELECT count(*) FROM files WHERE path = 'Borrowed/Lent.md'") == [(1,)]

    shutil.move(a / "Shelf", tmp_path / "Shelf")  # the link is left pointing at nothing
    code, summary, stderr = imported(db, str(a))

    assert code == 3
    assert f"warning: {a / 'Borrowed'}: a link to {a / 'Shelf' / 'Lent'}, which cannot be reached" in stderr
    assert (summary["files_removed"], summary["highlights_retired"]) == (0, 0)
    assert counts(db)["active"] == 20


def test_importing_a_folder_inside_a_known_vault_imports_it_as_part_of_that_vault(tmp_path: Path) -> None:
    a, _b, db = two_vaults(tmp_path)
    (a / "Kindle" / "A2.md").unlink()  # outside the folder imported: not looked at
    write_note(a, "Readwise/Books/A3.md", "A3", "ac", 4)

    for run in range(2):
        code, summary, stderr = imported(db, str(a / "Readwise"))
        assert code == 0, stderr
        assert summary["vaults"] == [str(a)]
        assert (summary["files_removed"], summary["highlights_retired"]) == (0, 0)
        assert summary["highlights_new"] == (4 if run == 0 else 0)
        assert counts(db) == {**ALL_IN, "files": 5, "present": 5, "occurrences": 20, "active": 20}

    code, summary, _ = imported(db, str(a))  # the whole vault: now A2 is gone
    assert (code, summary["files_removed"], summary["highlights_retired"]) == (0, 1, 4)


def test_importing_a_folder_holding_a_known_vault_takes_it_in(tmp_path: Path) -> None:
    outer = tmp_path / "vault"
    write_note(outer, "Readwise/Books/In.md", "In", "in", 4)
    write_note(outer, "Kindle/Out.md", "Out", "ou", 4)
    db = tmp_path / "recall.db"
    assert imported(db, str(outer / "Readwise"))[0] == 0  # the inner folder first, as its own vault
    graded = recall_process("rate", "1", "4", "--db", str(db))
    assert graded.returncode == 0, graded.stderr
    schedule = db_rows(db, "SELECT id, repetitions, easiness, interval, due FROM highlights ORDER BY id")

    for run in range(2):
        code, summary, stderr = imported(db, str(outer))
        assert code == 0, stderr
        assert summary["absorbed"] == ([str(outer / "Readwise")] if run == 0 else [])
        assert (summary["highlights_new"], summary["highlights_retired"]) == (4 if run == 0 else 0, 0)
        assert summary["files_read"] == (1 if run == 0 else 0)  # the inner vault's note was not read again
        assert db_rows(db, "SELECT root FROM vaults") == [(str(outer),)]
        assert db_rows(db, "SELECT path FROM files ORDER BY path") == [("Kindle/Out.md",), ("Readwise/Books/In.md",)]
        assert db_rows(db, "SELECT count(*), count(DISTINCT highlight_id) FROM occurrences") == [(8, 8)]
    assert db_rows(db, "SELECT id, repetitions, easiness, interval, due FROM highlights ORDER BY id")[:4] == schedule
    assert db_rows(db, "SELECT count(*) FROM reviews") == [(1,)]

    again = recall_process("import", "--db", str(db), "--json")  # no PATH: the one vault
    assert json.loads(again.stdout)["vaults"] == [str(outer)]


def test_recall_vaults_lists_each_vault_with_its_notes_and_whether_it_is_there(tmp_path: Path) -> None:
    a, b, db = two_vaults(tmp_path)
    shutil.move(b, tmp_path / "b-moved")

    listed = recall_process("vaults", "--db", str(db), "--json")

    assert listed.returncode == 0, listed.stderr
    assert [(v["root"], v["present"], v["notes"], v["highlights"]) for v in json.loads(listed.stdout)] == [
        (str(a), True, 2, 8), (str(b), False, 2, 8),
    ]
    assert recall_process("vaults", "--db", str(db)).stdout.splitlines() == [
        f"{a}  (2 notes, 8 highlights; last import 2026-03-02 09:30 UTC)",
        f"{b}  (2 notes, 8 highlights; last import 2026-03-02 09:30 UTC; FOLDER NOT FOUND)",
    ]


def shared_and_graded(tmp_path: Path) -> tuple[Path, Path, Path]:
    """``two_vaults`` where both vaults also hold one note with the same 2 highlights, and
    every highlight of vault "a" (the shared ones too) has been graded once."""
    a, b, db = two_vaults(tmp_path)
    for root in (a, b):
        write_note(root, "Readwise/Shared.md", "Shared", "sh")
    assert recall_process("import", "--db", str(db)).returncode == 0
    a_only = db_rows(db, "SELECT id FROM highlights WHERE text LIKE 'A%' OR text LIKE 'Shared%' ORDER BY id")
    for (highlight_id,) in a_only:
        assert recall_process("rate", str(highlight_id), "4", "--db", str(db)).returncode == 0
    return a, b, db


def test_forgetting_a_vault_deletes_what_only_it_had_after_a_backup(tmp_path: Path) -> None:
    a, b, db = shared_and_graded(tmp_path)
    before = {name: db_rows(db, f"SELECT count(*) FROM {name}")[0][0] for name in ("highlights", "reviews", "files")}
    assert before == {"highlights": 18, "reviews": 10, "files": 6}

    refused = recall_process("vaults", "forget", str(a), "--db", str(db), stdin=subprocess.DEVNULL)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert db_rows(db, "SELECT count(*) FROM reviews") == [(10,)]

    result = recall_process("vaults", "forget", str(a), "--yes", "--db", str(db))

    assert result.returncode == 0, result.stderr
    saved = db.with_name("recall.forget-20260302T093000Z.backup.db")
    assert f"backup of the database before: {saved}" in result.stderr
    assert f"forgot {a}: deleted 3 notes, 8 highlights found only there and their 8 reviews" in result.stderr
    assert "(2 highlights also in another vault are kept)" in result.stderr
    assert db_rows(saved, "SELECT count(*) FROM reviews") == [(10,)]
    assert db_rows(db, "SELECT root FROM vaults") == [(str(b),)]
    assert db_rows(db, "SELECT count(*) FROM highlights WHERE text LIKE 'A%'") == [(0,)]
    assert db_rows(db, "SELECT count(*) FROM highlights") == [(10,)]
    assert db_rows(db, "SELECT count(*) FROM reviews") == [(2,)]  # the shared highlights keep their history
    assert db_rows(db, "SELECT count(*) FROM sources WHERE title LIKE 'A%'") == [(0,)]
    assert recall_process("db", "check", "--db", str(db)).stdout.startswith("ok (")

    again = recall_process("import", "--db", str(db), "--json")  # no PATH: the forgotten vault stays forgotten
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["vaults"] == [str(b)]
    assert db_rows(db, "SELECT count(*) FROM highlights") == [(10,)]

    unknown = recall_process("vaults", "forget", str(a), "--yes", "--db", str(db))
    assert unknown.returncode == 1 and "recall vaults" in unknown.stderr


def test_forgetting_a_vault_asks_first_on_a_terminal(tmp_path: Path) -> None:
    a, _b, db = shared_and_graded(tmp_path)

    for answer, code in ((b"n\n", 1), (b"y\n", 0)):
        controller, terminal = pty.openpty()
        try:
            os.write(controller, answer)
            result = recall_process("vaults", "forget", str(a), "--db", str(db), stdin=terminal)
        finally:
            os.close(terminal)
            os.close(controller)
        assert result.returncode == code, result.stderr
        assert f"Forget {a}? This deletes 3 notes, 8 highlights found only there and their 8 reviews" in result.stderr
        assert "A backup of the database is written first" in result.stderr
        assert db_rows(db, "SELECT count(*) FROM vaults") == [(2 if answer == b"n\n" else 1,)]
