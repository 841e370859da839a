"""Upgrading recall's note reader never costs a highlight its history: highlights that
recall 0.1 keyed by a link label it took for a location (``View Highlight`` with an
article URL, a ``Page 0`` shared by many) are re-keyed, not retired and created anew."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from support import FIXED_NOW, REPO, rows, run_import

from recall.importer.identity import fallback_key, normalise_text, other_keys, source_key
from recall.importer.parse import parse_note
from recall.scheduler.actions import rate

FIXTURE_V1 = REPO / "tests" / "fixtures" / "schema-v1.db"
ARTICLE = (
    "# Notes on Lists\n\n## Metadata\n- Author: [[example.com]]\n- Full Title: Notes on Lists\n- Category: #articles\n\n"
    "## Highlights\n"
    "- A list is a promise. ([View Highlight](https://example.com/lists))\n"
    "- Every list needs an owner. ([View Highlight](https://example.com/lists))\n"
    "- Page one of two. (Page 0)\n"
    "- Page two of two. (Page 0)\n"
)


def key_of_0_1(label: str, text: str, source: str) -> str:
    """The key recall 0.1 gave a highlight without ids: its link label as the location."""
    return fallback_key(label, normalise_text(text), source)


def test_label_keys_of_recall_0_1_are_given_as_legacy_keys() -> None:
    note = parse_note(ARTICLE, "Readwise/Articles/Notes on Lists.md")
    skey = source_key("Notes on Lists", "example.com")
    # "Page 0" twice is a place, but not a position: it cannot tell the two apart
    assert [(h.location, h.key.split(":")[0]) for h in note.highlights] == [(None, "text")] * 2 + [("Page 0", "text")] * 2
    assert [other_keys(h.key, h.label, h.location, h.text, skey)[0] for h in note.highlights] == [
        key_of_0_1("View Highlight", "A list is a promise.", skey),
        key_of_0_1("View Highlight", "Every list needs an owner.", skey),
        key_of_0_1("Page\u00a00", "Page one of two.", skey),
        key_of_0_1("Page 0", "Page two of two.", skey),
    ]


def test_a_highlight_stored_under_its_0_1_key_keeps_its_history(tmp_path: Path, engine, log_writer) -> None:
    vault = tmp_path / "vault" / "Readwise" / "Articles"
    vault.mkdir(parents=True)
    note_path = vault / "Notes on Lists.md"
    note_path.write_text(ARTICLE, encoding="utf-8")
    run_import(engine, tmp_path / "vault")
    parsed = {h.text: h for h in parse_note(ARTICLE, "Readwise/Articles/Notes on Lists.md").highlights}
    # As recall 0.1 stored it: under the legacy key, with a review.
    promise = parsed["A list is a promise."]
    with closing(sqlite3.connect(tmp_path / "recall.db")) as raw, raw:
        old_key = other_keys(promise.key, promise.label, promise.location, promise.text, source_key("Notes on Lists", "example.com"))[0]
        raw.execute("UPDATE highlights SET key = ? WHERE key = ?", (old_key, promise.key))
    (highlight_id,) = rows(engine, "SELECT id FROM highlights WHERE key = ?", old_key)[0]
    rate(engine, highlight_id, 4, FIXED_NOW, FIXED_NOW.date(), 5.0, log=log_writer)

    note_path.write_text(ARTICLE + "- A new one. ([View Highlight](https://example.com/lists))\n", encoding="utf-8")
    report = run_import(engine, tmp_path / "vault")

    assert (report.highlights_new, report.highlights_retired) == (1, 0)
    assert rows(engine, "SELECT key, retired, repetitions FROM highlights WHERE id = ?", highlight_id) == [
        (promise.key, 0, 1)
    ]


def test_the_v1_fixture_upgrades_without_retiring_a_reviewed_highlight(tmp_path: Path) -> None:
    from recall.db.engine import open_db

    db = tmp_path / "recall.db"
    shutil.copyfile(FIXTURE_V1, db)
    vault = tmp_path / "sample_vault"
    shutil.copytree(REPO / "sample_vault", vault, symlinks=True)
    with closing(sqlite3.connect(db)) as raw, raw:
        raw.execute("UPDATE vaults SET root = ?", (str(vault.resolve()),))
        reviewed = {r[0] for r in raw.execute("SELECT DISTINCT highlight_id FROM reviews")}
        active = {r[0] for r in raw.execute("SELECT id FROM highlights WHERE NOT retired")}
    engine = open_db(db)
    run_import(engine, vault)
    still_active = {r[0] for r in rows(engine, "SELECT id FROM highlights WHERE NOT retired")}
    assert reviewed and reviewed <= active
    assert active <= still_active


def test_a_highlight_keeps_its_history_when_its_location_stops_or_starts_being_unique(tmp_path: Path, engine, log_writer) -> None:
    head = "# Tide\n\n## Metadata\n- Author: [[K]]\n- Full Title: Tide\n\n## Highlights\n"
    kept = "- Close the doors you can see. (Page\u00a02)\n"
    other = "- Loud teams forget. (Page\u00a02)\n"
    path = tmp_path / "vault" / "Readwise" / "Books" / "Tide.md"
    path.parent.mkdir(parents=True)
    path.write_text(head + kept, encoding="utf-8")
    run_import(engine, tmp_path / "vault")
    ((highlight_id, key),) = rows(engine, "SELECT id, key FROM highlights")
    rate(engine, highlight_id, 5, FIXED_NOW, FIXED_NOW.date(), 3.0, log=log_writer)
    for text, new in ((head + kept + other, 1), (head + kept, 0)):  # Page 2 shared, then unique again
        path.write_text(text, encoding="utf-8")
        report = run_import(engine, tmp_path / "vault")
        assert report.highlights_new == new
        assert rows(engine, "SELECT retired, repetitions FROM highlights WHERE id = ?", highlight_id) == [(0, 1)]
    assert rows(engine, "SELECT key FROM highlights WHERE id = ?", highlight_id) == [(key,)]
