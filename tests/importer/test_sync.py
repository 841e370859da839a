"""Re-sync semantics: idempotent, incremental, and never a lost review history."""

from __future__ import annotations

import os
from pathlib import Path

from support import rows
from support import run_import as run

NBSP = "\u00a0"


def kindle(n: int) -> str:
    return f"([Location{NBSP}{n}](https://readwise.io/to_kindle?action=open&asin=B0X&location={n}))"


BOOK = (
    "# Deep Book\n## Metadata\n- Author: [[Ann]]\n- Category: #books\n## Highlights\n"
    f"- Alpha text {kindle(10)}\n- Beta text {kindle(20)}\n- Gamma text {kindle(30)}\n"
)
ARTICLE = (
    "# An Article\n## Highlights\n"
    "- Reader one ([View Highlight](https://read.readwise.io/read/01aaaaaaaaaaaaaaaaaaaaaaaa))\n"
    "- Reader two ([View Highlight](https://read.readwise.io/read/01bbbbbbbbbbbbbbbbbbbbbbbb))\n"
)


def make_vault(root: Path) -> Path:
    (root / "Readwise" / "Books").mkdir(parents=True)
    (root / "Readwise" / "Articles").mkdir(parents=True)
    (root / "Readwise" / "Books" / "Deep Book.md").write_text(BOOK, encoding="utf-8")
    (root / "Readwise" / "Articles" / "An Article.md").write_text(ARTICLE, encoding="utf-8")
    (root / "Journal.md").write_text("# Journal\n- not a highlight\n", encoding="utf-8")
    return root




def dump(engine):
    return rows(engine, "SELECT * FROM highlights ORDER BY id"), rows(engine, "SELECT * FROM reviews ORDER BY id")


def give_history(engine, text_prefix: str) -> int:
    """Give the highlight whose text starts with ``text_prefix`` a schedule and a logged review."""
    from recall.db.engine import writing

    (highlight_id,) = rows(engine, "SELECT id FROM highlights WHERE text LIKE ?", text_prefix + "%")[0]
    with writing(engine) as connection:
        connection.exec_driver_sql(
            "UPDATE highlights SET repetitions = 2, easiness = 260, interval = 6, due = '2026-03-08' WHERE id = ?",
            (highlight_id,),
        )
        connection.exec_driver_sql(
            "INSERT INTO reviews (highlight_id, reviewed_at, study_day, grade, kind, repetitions_before,"
            " easiness_before, interval_before, repetitions_after, easiness_after, interval_after, due_after)"
            " VALUES (?, '2026-03-02 09:00:00.000000', '2026-03-02', 5, 'review', 1, 250, 1, 2, 260, 6, '2026-03-08')",
            (highlight_id,),
        )
    return highlight_id


def state(engine, highlight_id: int):
    return rows(
        engine,
        "SELECT text, repetitions, easiness, interval, due, retired,"
        " (SELECT count(*) FROM reviews r WHERE r.highlight_id = h.id) FROM highlights h WHERE id = ?",
        highlight_id,
    )[0]


def test_first_import_then_second_changes_nothing(tmp_path: Path, engine) -> None:
    root = make_vault(tmp_path / "v")
    first = run(engine, root)
    assert (first.files_read, first.files_ignored, first.highlights_new) == (2, 1, 5)
    before = dump(engine)
    second = run(engine, root)
    assert (second.files_read, second.files_unchanged, second.files_ignored) == (0, 3, 0)
    assert second.highlights_new == second.highlights_updated == second.highlights_retired == 0
    assert dump(engine) == before


def test_touched_but_identical_file_is_not_parsed(tmp_path: Path, engine) -> None:
    root = make_vault(tmp_path / "v")
    run(engine, root)
    book = root / "Readwise" / "Books" / "Deep Book.md"
    os.utime(book, ns=(1, 1))
    report = run(engine, root)
    assert (report.files_read, report.files_unchanged) == (0, 3)


def test_edited_text_with_id_keeps_history(tmp_path: Path, engine) -> None:
    root = make_vault(tmp_path / "v")
    run(engine, root)
    hid = give_history(engine, "Reader one")
    article = root / "Readwise" / "Articles" / "An Article.md"
    article.write_text(ARTICLE.replace("Reader one", "Reader one, corrected"), encoding="utf-8")
    report = run(engine, root)
    assert (report.highlights_updated, report.highlights_new, report.highlights_unchanged) == (1, 0, 1)
    assert state(engine, hid) == ("Reader one, corrected", 2, 260, 6, "2026-03-08", 0, 1)


def test_kindle_edit_at_same_location_keeps_history(tmp_path: Path, engine) -> None:
    root = make_vault(tmp_path / "v")
    run(engine, root)
    hid = give_history(engine, "Beta")
    book = root / "Readwise" / "Books" / "Deep Book.md"
    book.write_text(BOOK.replace("Beta text", "Beta text, fixed typo"), encoding="utf-8")
    report = run(engine, root)
    assert (report.highlights_updated, report.highlights_new, report.highlights_retired) == (1, 0, 0)
    assert state(engine, hid)[0] == "Beta text, fixed typo"
    assert state(engine, hid)[1:] == (2, 260, 6, "2026-03-08", 0, 1)


def test_vanished_highlight_is_retired_then_restored_with_history(tmp_path: Path, engine) -> None:
    root = make_vault(tmp_path / "v")
    run(engine, root)
    hid = give_history(engine, "Gamma")
    book = root / "Readwise" / "Books" / "Deep Book.md"
    book.write_text(BOOK.replace(f"- Gamma text {kindle(30)}\n", ""), encoding="utf-8")
    report = run(engine, root)
    assert (report.highlights_retired, report.highlights_new) == (1, 0)
    assert state(engine, hid)[5:] == (1, 1)
    book.write_text(BOOK, encoding="utf-8")
    report = run(engine, root)
    assert (report.highlights_restored, report.highlights_new, report.highlights_retired) == (1, 0, 0)
    assert state(engine, hid) == ("Gamma text", 2, 260, 6, "2026-03-08", 0, 1)


def test_renamed_and_moved_file_keeps_its_highlights(tmp_path: Path, engine) -> None:
    root = make_vault(tmp_path / "v")
    run(engine, root)
    hid = give_history(engine, "Alpha")
    (root / "Archive").mkdir()
    (root / "Readwise" / "Books" / "Deep Book.md").rename(root / "Archive" / "Deep Book (old).md")
    report = run(engine, root)
    assert (report.files_removed, report.files_read) == (1, 1)
    assert (report.highlights_new, report.highlights_retired, report.highlights_unchanged) == (0, 0, 3)
    assert state(engine, hid)[1:] == (2, 260, 6, "2026-03-08", 0, 1)


def test_copied_note_is_one_highlight_and_survives_deleting_either_copy(tmp_path: Path, engine) -> None:
    root = make_vault(tmp_path / "v")
    copy = root / "Readwise" / "Articles" / "An Article-2.md"
    copy.write_text(ARTICLE, encoding="utf-8")
    report = run(engine, root)
    assert report.highlights_new == 5  # 3 in the book, 2 in the article and its copy
    assert rows(engine, "SELECT count(*) FROM highlights WHERE key LIKE 'reader:%'") == [(2,)]
    (root / "Readwise" / "Articles" / "An Article.md").unlink()
    report = run(engine, root)
    assert (report.files_removed, report.highlights_retired) == (1, 0)
    copy.unlink()
    assert run(engine, root).highlights_retired == 2


def test_discarded_highlight_stays_discarded_across_vanish_and_return(tmp_path: Path, engine) -> None:
    from recall.db.engine import writing

    root = make_vault(tmp_path / "v")
    run(engine, root)
    with writing(engine) as connection:
        connection.exec_driver_sql("UPDATE highlights SET discarded = 1 WHERE text = 'Alpha text'")
    book = root / "Readwise" / "Books" / "Deep Book.md"
    book.write_text(BOOK.replace(f"- Alpha text {kindle(10)}\n", ""), encoding="utf-8")
    run(engine, root)
    book.write_text(BOOK, encoding="utf-8")
    run(engine, root)
    assert rows(engine, "SELECT discarded, retired FROM highlights WHERE text = 'Alpha text'") == [(1, 0)]


def test_file_that_stops_being_a_note_retires_its_highlights(tmp_path: Path, engine) -> None:
    root = make_vault(tmp_path / "v")
    run(engine, root)
    (root / "Readwise" / "Articles" / "An Article.md").write_text("# Just prose now\n", encoding="utf-8")
    report = run(engine, root)
    assert (report.files_ignored, report.highlights_retired) == (1, 2)


def test_missing_vault_is_an_error_and_retires_nothing(tmp_path: Path, engine) -> None:
    import pytest

    from recall.importer.sync import VaultNotFound

    root = make_vault(tmp_path / "v")
    run(engine, root)
    with pytest.raises(VaultNotFound):
        run(engine, tmp_path / "elsewhere")
    assert rows(engine, "SELECT count(*) FROM highlights WHERE retired") == [(0,)]
