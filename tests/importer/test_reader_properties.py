"""Property: a note built from the supported shapes reads back exactly (every highlight,
its note, tags and location) and every line of it is accounted for: highlight, note,
tags, location, chapter, metadata, separator or heading; none is left not understood."""

from __future__ import annotations

import os
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from recall.importer.parse import parse_note

WORDS = ["tide", "rope", "salt", "the", "of", "keeper", "lamp", "harbour", "Bread", "oven", "slow", "42", "café", "ß"]
TEXT = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
PROPERTY = settings(max_examples=int(os.environ.get("RECALL_HYPOTHESIS_EXAMPLES", "150")), deadline=None)


@dataclass
class Spec:
    text: str
    note: str | None
    tags: list[str]
    location: int | None


SPECS = st.lists(
    st.builds(
        Spec,
        TEXT,
        st.none() | TEXT,
        st.lists(st.sampled_from(["craft", "sea", "to-read"]), max_size=2, unique=True),
        st.none() | st.integers(1, 9999),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda s: s.text,
)


def kindle(n: int) -> str:
    return f"([Location\u00a0{n}](https://readwise.io/to_kindle?action=open&asin=B0PROP&location={n}))"


def render_list(specs: list[Spec], bullet: str, indent: str, tag_style: str, blank: bool, chapter: bool) -> str:
    lines = ["# A Book", "", "## Metadata", "- Author: [[Someone]]", "", "## Highlights"]
    if chapter:
        lines.append("### Part One")
    for spec in specs:
        lines.append(f"{bullet} {spec.text}" + (f" {kindle(spec.location)}" if spec.location else ""))
        if blank:
            lines.append("   ")
        if spec.tags:
            tags = " ".join(f"[[{t}]]" if tag_style == "wiki" else f"#{t}" for t in spec.tags)
            lines.append(f"{indent}- Tags: {tags} ")
        if spec.note:
            lines.append(f"{indent}- Note: {spec.note}")
    return "\n".join(lines) + "\n"


def render_kindle_plugin(specs: list[Spec]) -> str:
    lines = ["---", "kindle-sync:", "  title: A Book", "  author: Someone", "---", "# A Book", "## Highlights"]
    for n, spec in enumerate(specs):
        place = spec.location or n + 1
        lines.append(f"{spec.text} \u2014 location: [{place}](kindle://book?action=open&asin=B0&location={place}) ^ref-{n}")
        lines.append("")
        if spec.note:
            lines += [spec.note, ""]
        lines.append("---")
    return "\n".join(lines) + "\n"


def render_sections(specs: list[Spec]) -> str:
    lines = ["# Notes and highlights for A Book", "", "## Highlights", ""]
    for n, spec in enumerate(specs):
        lines += [f"### Highlight (yellow) - Page {spec.location or n + 1}", "", spec.text, ""]
        if spec.note:
            lines += [f"### Note - Page {spec.location or n + 1}", "", spec.note, ""]
    return "\n".join(lines)


@PROPERTY
@given(
    specs=SPECS,
    bullet=st.sampled_from(["-", "*", "+"]),
    indent=st.sampled_from(["    ", "  ", "   ", "\t"]),
    tag_style=st.sampled_from(["wiki", "hash"]),
    blank=st.booleans(),
    chapter=st.booleans(),
)
def test_list_items_read_back_exactly(specs: list[Spec], bullet: str, indent: str, tag_style: str, blank: bool, chapter: bool) -> None:
    text = render_list(specs, bullet, indent, tag_style, blank, chapter)
    note = parse_note(text, "Readwise/Books/A Book.md")
    places = [s.location for s in specs if s.location]
    assert [(h.text, h.note, h.tags, h.chapter) for h in note.highlights] == [
        (s.text, s.note, s.tags, "Part One" if chapter else None) for s in specs
    ]
    assert [h.location for h in note.highlights] == [f"Location {s.location}" if s.location else None for s in specs]
    assert len({h.key for h in note.highlights}) == len(specs) or len(set(places)) < len(places)
    assert_every_line_accounted_for(text, note)


@PROPERTY
@given(specs=SPECS, shape=st.sampled_from(["kindle plugin", "kindle notebook"]))
def test_paragraph_and_section_shapes_read_back_exactly(specs: list[Spec], shape: str) -> None:
    text = render_kindle_plugin(specs) if shape == "kindle plugin" else render_sections(specs)
    note = parse_note(text, "Kindle/A Book.md")
    assert [(h.text, h.note) for h in note.highlights] == [(s.text, s.note) for s in specs]
    if shape == "kindle notebook":
        assert [h.location for h in note.highlights] == [f"Page {s.location or n + 1}" for n, s in enumerate(specs)]
    else:
        assert len({h.key for h in note.highlights}) == len(specs)
    assert_every_line_accounted_for(text, note)


def assert_every_line_accounted_for(text: str, note) -> None:
    assert note.not_understood == []
    lines = text.split("\n")
    for first, last in note.regions:
        for number in range(first, last + 1):
            if lines[number - 1].strip():
                assert note.roles[number - note.body_line0] is not None, (number, lines[number - 1])
