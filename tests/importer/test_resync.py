"""Re-sync against a generated vault: every count and row checked against make_vault's MANIFEST.

One scenario, built once for the module (about a second): generate a 150-note vault,
import it, give every highlight a review history, let make_vault simulate a Readwise
re-sync (appended sections, edited and deleted highlights, new notes), import again,
import a third time (a no-op), then simulate a second re-sync and import once more.
Each test checks one stage of that history against what the manifest says changed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support import FIXED_NOW, MAKE_VAULT, needs_shared

from recall.db.engine import open_db, writing
from recall.importer.sync import ImportReport, import_vault

pytestmark = needs_shared

NOTES = 150
SEED = 7
DUE = "2026-03-08"


@dataclass
class Stage:
    """The vault's manifest and the database right after one import."""

    manifest: dict[str, Any]
    report: ImportReport
    highlights: dict[str, dict[str, Any]]  # location_url -> full highlights row
    clashes: list[tuple[Any, ...]]  # rows with no location_url or a duplicate one: must stay empty
    highlight_rows: list[tuple[Any, ...]]  # every highlights row, by id
    reviews: list[tuple[Any, ...]]  # every reviews row, by id
    files: list[tuple[Any, ...]]  # path, present, is_note, size, mtime_ns, content_hash, source_id
    occurrences: dict[str, list[tuple[str, int]]]  # location_url -> [(file path, line)]


@dataclass
class Scenario:
    vault: Path
    initial: Stage
    with_history: Stage  # after the review history was written, before the first re-sync
    resync: Stage
    again: Stage  # a third import with nothing changed on disk
    resync2: Stage


def _make_vault(*args: str) -> None:
    result = subprocess.run([sys.executable, str(MAKE_VAULT), *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _manifest(vault: Path) -> dict[str, Any]:
    return json.loads((vault / "MANIFEST.json").read_text(encoding="utf-8"))


def _import(engine, vault: Path) -> ImportReport:
    report = ImportReport()
    import_vault(engine, vault, FIXED_NOW, report)
    return report


def _snapshot(engine, vault: Path, report: ImportReport) -> Stage:
    with engine.connect() as connection:
        result = connection.exec_driver_sql("SELECT * FROM highlights ORDER BY id")
        columns = list(result.keys())
        highlight_rows = [tuple(row) for row in result.all()]
        reviews = [tuple(r) for r in connection.exec_driver_sql("SELECT * FROM reviews ORDER BY id").all()]
        files = [
            tuple(r)
            for r in connection.exec_driver_sql(
                "SELECT path, present, is_note, size, mtime_ns, content_hash, source_id FROM files ORDER BY path"
            ).all()
        ]
        occurrence_rows = connection.exec_driver_sql(
            "SELECT h.location_url, f.path, o.line FROM occurrences o JOIN highlights h ON h.id = o.highlight_id"
            " JOIN files f ON f.id = o.file_id ORDER BY f.path, o.line"
        ).all()
    highlights: dict[str, dict[str, Any]] = {}
    clashes: list[tuple[Any, ...]] = []  # rows without a url, or whose url an earlier row has
    for row in highlight_rows:
        record = dict(zip(columns, row, strict=True))
        url = record["location_url"]
        if url is None or url in highlights:
            clashes.append(row)
        else:
            highlights[url] = record
    occurrences: dict[str, list[tuple[str, int]]] = {}
    for url, path, line in occurrence_rows:
        occurrences.setdefault(url, []).append((path, line))
    return Stage(_manifest(vault), report, highlights, clashes, highlight_rows, reviews, files, occurrences)


def _give_everything_history(engine) -> None:
    """An SM-2 schedule and one logged review for every highlight, as if all were studied."""
    with writing(engine) as connection:
        connection.exec_driver_sql(
            "UPDATE highlights SET repetitions = 2, easiness = 260, interval = 6, due = ?", (DUE,)
        )
        connection.exec_driver_sql(
            "INSERT INTO reviews (highlight_id, reviewed_at, study_day, grade, kind, repetitions_before,"
            " easiness_before, interval_before, repetitions_after, easiness_after, interval_after, due_after)"
            " SELECT id, '2026-03-02 09:00:00.000000', '2026-03-02', 4, 'review', 1, 250, 1, 2, 260, 6, ?"
            " FROM highlights ORDER BY id",
            (DUE,),
        )


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    base = tmp_path_factory.mktemp("resync")
    vault = base / "vault"
    engine = open_db(base / "recall.db")
    try:
        _make_vault(str(vault), "--notes", str(NOTES), "--seed", str(SEED))
        initial = _snapshot(engine, vault, _import(engine, vault))
        _give_everything_history(engine)
        with_history = _snapshot(engine, vault, ImportReport())
        _make_vault(str(vault), "--mutate", "--seed", str(SEED))
        resync = _snapshot(engine, vault, _import(engine, vault))
        again = _snapshot(engine, vault, _import(engine, vault))
        _make_vault(str(vault), "--mutate", "--seed", str(SEED))
        resync2 = _snapshot(engine, vault, _import(engine, vault))
    finally:
        engine.dispose()
    return Scenario(vault, initial, with_history, resync, again, resync2)


# --------------------------------------------------------------------------- helpers


def _manifest_highlights(manifest: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """location url -> (file path, manifest highlight)."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for path, note in manifest["files"].items():
        for highlight in note["highlights"]:
            assert highlight["url"] not in out, "the manifest's urls are meant to be unique"
            out[highlight["url"]] = (path, highlight)
    return out


def _assert_db_matches_manifest(stage: Stage) -> None:
    """The live highlights are exactly the manifest's, each with its text, note, tags and file."""
    assert not stage.clashes, f"{len(stage.clashes)} rows share a location url or have none: {stage.clashes[:3]}"
    expected = _manifest_highlights(stage.manifest)
    assert len(expected) == stage.manifest["counts"]["highlights"]
    live = {url: row for url, row in stage.highlights.items() if not row["retired"]}
    assert len(live) == stage.manifest["counts"]["highlights"]
    assert set(live) == set(expected)
    mismatches = []
    for url, (path, highlight) in expected.items():
        row = live[url]
        got = (row["text"], row["note"], json.loads(row["tags"]), [p for p, _ in stage.occurrences.get(url, [])])
        want = (highlight["text"], highlight["note"], highlight["tags"], [path])
        if got != want:
            mismatches.append((url, want, got))
    assert not mismatches, f"{len(mismatches)} highlights differ from the manifest, e.g. {mismatches[:3]}"
    # Files: every manifest note is a present highlight note in the database.
    present_notes = {path for path, present, is_note, *_ in stage.files if present and is_note}
    assert present_notes == set(stage.manifest["files"])


def _expected_counts(before: dict[str, Any], after: dict[str, Any]) -> dict[str, int]:
    """What an import right after ``make_vault --mutate`` must report, from the manifests alone."""
    mutation = after["mutations"][-1]
    changed, added = set(mutation["changed_files"]), set(mutation["added_files"])
    assert added <= changed
    appended = {url for urls in mutation["appended"].values() for url in urls}
    edited = set(mutation["edited"])
    in_added = sum(len(after["files"][path]["highlights"]) for path in added)
    unchanged_in_changed_files = sum(
        1
        for path in changed - added
        for h in after["files"][path]["highlights"]
        if h["url"] not in edited and h["url"] not in appended
    )
    return {
        "files_read": len(changed),
        "files_unchanged": len(before["files"]) - len(changed - added),
        "files_ignored": 0,
        "files_skipped": 0,
        "files_removed": 0,
        "highlights_new": len(appended) + in_added,
        "highlights_updated": len(edited),
        "highlights_unchanged": unchanged_in_changed_files,
        "highlights_retired": len(mutation["deleted"]),
        "highlights_restored": 0,
    }


def _counts(report: ImportReport) -> dict[str, int]:
    return {k: v for k, v in report.as_dict().items() if isinstance(v, int)}


def _history(stage: Stage, url: str) -> tuple[Any, ...]:
    row = stage.highlights[url]
    return (row["id"], row["repetitions"], row["easiness"], row["interval"], row["due"])


def _reviews_of(stage: Stage, highlight_id: int) -> list[tuple[Any, ...]]:
    return [r for r in stage.reviews if r[1] == highlight_id]


# --------------------------------------------------------------------------- first import


def test_first_import_matches_manifest(scenario: Scenario) -> None:
    stage = scenario.initial
    manifest = stage.manifest
    assert len(stage.highlight_rows) == manifest["counts"]["highlights"]
    _assert_db_matches_manifest(stage)
    counts = _counts(stage.report)
    assert counts["files_read"] == manifest["counts"]["files"] == NOTES
    assert counts["highlights_new"] == manifest["counts"]["highlights"]
    assert counts["files_unchanged"] == counts["files_skipped"] == counts["files_ignored"] == 0
    assert counts["highlights_updated"] == counts["highlights_retired"] == 0


def test_first_import_every_highlight_occurs_once(scenario: Scenario) -> None:
    stage = scenario.initial
    assert set(stage.occurrences) == set(stage.highlights)
    assert all(len(places) == 1 for places in stage.occurrences.values())


def test_first_import_warnings_name_a_note_and_a_line(scenario: Scenario) -> None:
    # The generator's known quirk (`author: [[@handle on Twitter]]`, invalid YAML) may be
    # warned about, but every warning must be "<note path>:<line>: <reason>".
    files = set(scenario.initial.manifest["files"])
    root = scenario.vault.resolve()
    for warning in scenario.initial.report.warnings:
        where, _, rest = warning.partition(".md:")
        line, _, reason = rest.partition(": ")
        assert Path(where + ".md").relative_to(root).as_posix() in files, warning
        assert line.isdigit() and int(line) >= 1 and reason, warning


def test_occurrence_lines_point_at_the_highlights_bullets(scenario: Scenario) -> None:
    # The vault on disk is the last generation's: check the last import's occurrences.
    stage = scenario.resync2
    texts: dict[str, list[str]] = {}
    for url, places in stage.occurrences.items():
        ((path, line),) = places
        lines = texts.setdefault(path, (scenario.vault / path).read_text(encoding="utf-8").split("\n"))
        assert lines[line - 1].startswith("- "), (path, line)
        first_text_line = stage.highlights[url]["text"].split("\n")[0]
        assert lines[line - 1][2:].startswith(first_text_line), (path, line)


# --------------------------------------------------------------------------- first re-sync


def test_resync_counts_match_the_mutation(scenario: Scenario) -> None:
    mutation = scenario.resync.manifest["mutations"][-1]
    assert mutation["edited"] and mutation["deleted"] and mutation["appended"] and mutation["added_files"]
    assert _counts(scenario.resync.report) == _expected_counts(scenario.initial.manifest, scenario.resync.manifest)


def test_resync_db_matches_new_manifest(scenario: Scenario) -> None:
    _assert_db_matches_manifest(scenario.resync)


def test_edited_highlights_keep_id_history_and_get_new_text(scenario: Scenario) -> None:
    before, after = scenario.with_history, scenario.resync
    mutation = after.manifest["mutations"][-1]
    new_texts = {url: h["text"] for url, (_, h) in _manifest_highlights(after.manifest).items()}
    for url in mutation["edited"]:
        old, new = before.highlights[url], after.highlights[url]
        assert new["text"] == new_texts[url] != old["text"], url
        assert _history(after, url) == _history(before, url) == (old["id"], 2, 260, 6, DUE)
        assert not new["retired"]
        reviews = _reviews_of(after, old["id"])
        assert len(reviews) == 1 and reviews == _reviews_of(before, old["id"])


def test_deleted_highlights_are_retired_with_their_history(scenario: Scenario) -> None:
    before, after = scenario.with_history, scenario.resync
    deleted = after.manifest["mutations"][-1]["deleted"]
    for url in deleted:
        row = after.highlights[url]  # still in the table
        assert row["retired"], url
        assert row["text"] == before.highlights[url]["text"]
        assert _history(after, url) == _history(before, url)
        assert len(_reviews_of(after, row["id"])) == 1
        assert url not in after.occurrences
    assert sum(1 for r in after.highlights.values() if r["retired"]) == len(deleted)


def test_new_highlights_have_no_history(scenario: Scenario) -> None:
    before, after = scenario.with_history, scenario.resync
    new_urls = set(after.highlights) - set(before.highlights)
    assert len(new_urls) == after.report.highlights_new
    for url in new_urls:
        row = after.highlights[url]
        assert (row["repetitions"], row["interval"], row["due"], row["retired"]) == (0, 0, None, 0)
        assert _reviews_of(after, row["id"]) == []


def test_untouched_highlights_rows_are_unchanged(scenario: Scenario) -> None:
    before, after = scenario.with_history, scenario.resync
    mutation = after.manifest["mutations"][-1]
    touched = set(mutation["edited"]) | set(mutation["deleted"])
    untouched = set(before.highlights) - touched
    assert len(untouched) == len(before.highlights) - len(touched)
    changed_rows = [url for url in untouched if after.highlights[url] != before.highlights[url]]
    assert not changed_rows, f"{len(changed_rows)} untouched highlights changed, e.g. {changed_rows[:3]}"
    assert after.reviews == before.reviews  # no review added, changed or lost


def test_unchanged_files_were_not_rewritten_in_the_db(scenario: Scenario) -> None:
    changed = set(scenario.resync.manifest["mutations"][-1]["changed_files"])
    before = {row[0]: row for row in scenario.initial.files}
    after = {row[0]: row for row in scenario.resync.files}
    assert set(after) == set(before) | changed
    for path, row in before.items():
        if path not in changed:
            assert after[path] == row, path
        else:
            assert after[path][5] != row[5], f"{path}: changed on disk but its content hash is the same"


# --------------------------------------------------------------------------- third import: nothing to do


def test_third_import_changes_nothing(scenario: Scenario) -> None:
    counts = _counts(scenario.again.report)
    total_files = len(scenario.resync.manifest["files"])
    assert counts == {
        "files_read": 0,
        "files_unchanged": total_files,
        "files_ignored": 0,
        "files_skipped": 0,
        "files_removed": 0,
        "highlights_new": 0,
        "highlights_updated": 0,
        "highlights_unchanged": 0,
        "highlights_retired": 0,
        "highlights_restored": 0,
    }
    assert scenario.again.report.warnings == []
    assert scenario.again.highlight_rows == scenario.resync.highlight_rows
    assert scenario.again.reviews == scenario.resync.reviews
    assert scenario.again.files == scenario.resync.files
    assert scenario.again.occurrences == scenario.resync.occurrences


# --------------------------------------------------------------------------- second re-sync


def test_second_resync_counts_match_its_mutation(scenario: Scenario) -> None:
    manifest = scenario.resync2.manifest
    assert manifest["generation"] == 2 and len(manifest["mutations"]) == 2
    assert _counts(scenario.resync2.report) == _expected_counts(scenario.resync.manifest, manifest)


def test_second_resync_db_matches_manifest_and_keeps_history(scenario: Scenario) -> None:
    before, after = scenario.again, scenario.resync2
    _assert_db_matches_manifest(after)
    mutation = after.manifest["mutations"][-1]
    for url in mutation["edited"]:
        assert _history(after, url) == _history(before, url), url
        assert _reviews_of(after, after.highlights[url]["id"]) == _reviews_of(before, before.highlights[url]["id"])
    # Retired: the first re-sync's deletions stay retired, the second's join them.
    deleted_ever = {url for m in after.manifest["mutations"] for url in m["deleted"]}
    assert {url for url, row in after.highlights.items() if row["retired"]} == deleted_ever
    assert after.reviews == before.reviews
