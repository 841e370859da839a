"""The importer agrees with every row of the real-vault corpus manifest."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from support import CORPUS, needs_shared

from recall.importer.parse import decode, parse_note

pytestmark = needs_shared


def manifest_rows() -> list[dict[str, str]]:
    if not CORPUS.is_dir():
        return []
    with (CORPUS / "real" / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.mark.parametrize("row", manifest_rows(), ids=lambda row: row["file"])
def test_real_note_counts_match_manifest(row: dict[str, str]) -> None:
    text, warnings = decode((CORPUS / "real" / row["file"]).read_bytes())
    assert warnings == []
    note = parse_note(text, row["source_path"])
    distinct = {h.key: h for h in note.highlights}
    assert len(distinct) == int(row["highlights"])
    assert sum(1 for h in distinct.values() if h.note) == int(row["notes_attached"])


def test_manifest_has_forty_rows() -> None:
    assert len(manifest_rows()) == 40


def test_product_owner_example_note() -> None:
    path = next((CORPUS / "example").glob("*.md"))
    note = parse_note(path.read_text(encoding="utf-8"), path.name)
    assert len(note.highlights) == 18
    assert len({h.key for h in note.highlights}) == 18
    assert note.title == "Sora, Groq, and Virtual Reality"
    assert note.author == "Stratechery by Ben Thompson"
    assert note.url == "https://stratechery.com/2024/sora-groq-and-virtual-reality/"
    assert all(h.location is None and h.location_url.startswith("https://read.readwise.io/read/") for h in note.highlights)
    assert all(h.key.startswith("reader:") for h in note.highlights)
    last = note.highlights[-1]
    assert last.text.startswith("The big question")
    assert last.text.endswith("be a better reality.")


def test_invalid_yaml_costs_metadata_not_highlights() -> None:
    path = CORPUS / "real" / "dexter__this-week-marked-7-years.md"
    note = parse_note(path.read_text(encoding="utf-8"), "Readwise/Tweets/This Week.md")
    assert len(note.highlights) == 3
    assert [line for line, _ in note.warnings] == [4]
    assert "invalid YAML" in note.warnings[0][1]
    assert note.title.startswith("This Week Marked 7 Years")  # from the H1, not the broken frontmatter


def test_corpus_file_from_trash_folder_is_not_imported(tmp_path: Path, engine) -> None:
    from support import FIXED_NOW

    from recall.importer.sync import ImportReport, import_vault

    trash = tmp_path / "v" / ".trash" / "Readwise"
    trash.mkdir(parents=True)
    source = CORPUS / "real" / "unknownzjc__makers-schedule-managers-schedule.md"
    (trash / source.name).write_bytes(source.read_bytes())
    report = ImportReport()
    import_vault(engine, tmp_path / "v", FIXED_NOW, report)
    assert report.files_read == 0
    assert report.highlights_new == 0
