"""The note grammar, one construct at a time (see the README's format notes)."""

from __future__ import annotations

import pytest

from recall.importer.parse import NotAHighlightNote, decode, parse_note

NBSP = "\u00a0"
KINDLE = f"([Location{NBSP}{{n}}](https://readwise.io/to_kindle?action=open&asin=B00TEST&location={{n}}))"


def note(body: str, path: str = "Readwise/Books/A Book.md"):
    return parse_note(body, path)


def test_default_template_with_kindle_locations_and_nbsp() -> None:
    parsed = note(
        "# A Book\n\n![rw-book-cover](https://img/x.jpg)\n\n## Metadata\n- Author: [[Ann Writer]]\n"
        "- Full Title: A Book: Long Title\n- Category: #books\n\n## Highlights\n"
        f"- First thought. {KINDLE.format(n=12)}\n"
        f"- Second thought. {KINDLE.format(n=40)}\n"
    )
    assert (parsed.title, parsed.author, parsed.category, parsed.cover_url) == (
        "A Book", "Ann Writer", "books", "https://img/x.jpg"
    )
    assert [(h.text, h.location, h.line) for h in parsed.highlights] == [
        ("First thought.", "Location 12", 11),
        ("Second thought.", "Location 40", 12),
    ]
    assert parsed.highlights[0].location_url.endswith("location=12")


def test_multiline_highlight_keeps_lookalike_lines_and_takes_location_from_last_line() -> None:
    parsed = note(
        "## Highlights\n- Tools I use:\n  - a bullet\n  1. a number\n  > a quote\n"
        "  end of it ([View Tweet](https://twitter.com/who/status/123456))\n- Next ([View Tweet](https://twitter.com/who/status/999))\n"
    )
    first, second = parsed.highlights
    assert first.text == "Tools I use:\n- a bullet\n1. a number\n> a quote\nend of it"
    assert first.key == "tweet:123456"
    assert second.key == "tweet:999"


def test_tags_and_multiline_note_attach_to_their_highlight() -> None:
    parsed = note(
        "## Highlights\n- Text (Location" + NBSP + "27)\n    - Tags: [[orange]] [[big idea]] \n"
        "    - Note: my thought\n      continues here\n- Other\n"
    )
    first, second = parsed.highlights
    assert first.tags == ["orange", "big idea"]
    assert first.note == "my thought\ncontinues here"
    assert first.location == "Location 27" and first.location_url is None
    assert second.note is None and second.tags == []


def test_block_ids_and_open_in_readwise_are_identity_not_text() -> None:
    parsed = note(
        "## Highlights\n- Words. ([View Highlight](https://instapaper.com/read/1/2)) "
        "[Open in Readwise](https://readwise.io/open/555) ^rw555\n    - Note: mine ^rw555-note\n"
        "    - Date:: [[May 12th, 2021]]\n- Poem line\n  second line\n^rwID-777\n"
    )
    first, second = parsed.highlights
    assert (first.text, first.note, first.key) == ("Words.", "mine", "rw:555")
    assert (second.text, second.key) == ("Poem line\nsecond line", "rw:777")


def test_bare_location_link_of_callout_templates() -> None:
    parsed = note(
        f"## Highlights\n- Lead time matters. [Location{NBSP}494](https://readwise.io/open/158) ^rw158\n"
        "- Ends with a [normal link](https://example.com/page)\n"
    )
    first, second = parsed.highlights
    assert (first.text, first.location, first.key) == ("Lead time matters.", "Location 494", "rw:158")
    assert second.text == "Ends with a [normal link](https://example.com/page)"
    assert second.location is None


def test_chapter_headings_are_context_and_sections_need_no_blank_line() -> None:
    parsed = note(
        "## Highlights\n### 1. Beginnings\n- One\n#### Part two\n- Two\n"
        "## New highlights added March 3, 2025 at 8:15 AM\n- Three\n"
    )
    assert [(h.text, h.chapter) for h in parsed.highlights] == [
        ("One", "1. Beginnings"), ("Two", "Part two"), ("Three", None)
    ]


def test_other_sections_and_user_prose_are_not_highlights() -> None:
    parsed = note(
        "## Highlights\n- Real one\n\n> [!NOTE] Done till here\n\n[[202212120002]][^2]\n\n"
        "[^2]: a footnote\n## Linked Notes\n- not a highlight\n"
    )
    assert [h.text for h in parsed.highlights] == ["Real one"]


def test_title_falls_back_from_frontmatter_to_h1_to_full_title_to_file_name() -> None:
    body = "## Metadata\n- Full Title: From Metadata\n## Highlights\n- x\n"
    assert note("---\ntitle: From YAML\n---\n# From H1\n" + body).title == "From YAML"
    assert note("# From H1\n" + body).title == "From H1"
    assert note(body).title == "From Metadata"
    assert note("## Highlights\n- x\n", "Readwise/Articles/From File.md").title == "From File"
    assert note("## Highlights\n- x\n", "Readwise/Articles/From File.md").category == "articles"


def test_frontmatter_author_wikilink_list_is_flattened() -> None:
    parsed = note('---\nauthor: [[Stratechery by Ben Thompson]]\ntitle: "Sora"\ntags: \n- a\n---\n## Highlights\n- x\n')
    assert (parsed.title, parsed.author) == ("Sora", "Stratechery by Ben Thompson")


def test_blockquote_template_counts_distinct_reader_ids() -> None:
    url = "https://read.readwise.io/read/01gkm5n9a625vhyfqca6xaak1t"
    parsed = note(
        f"## Highlights\n---\n\n> Shoots are pruned ([View Highlight]({url}))\n\n---\n"
        f"## New highlights added Dec 12, 2022 at 12:00pm #to-process\n\n> Shoots are pruned ([View Highlight]({url}))\n"
    )
    assert {h.key for h in parsed.highlights} == {"reader:01gkm5n9a625vhyfqca6xaak1t"}
    assert parsed.highlights[0].text == "Shoots are pruned"


def test_obsidian_kindle_plugin_paragraphs() -> None:
    parsed = note(
        "---\nkindle-sync:\n  title: Plugin Book\n  author: Someone\n---\n# Plugin Book\n## Highlights\n"
        "A highlight as a paragraph — location: [226](kindle://book?action=open&asin=B07&location=226) ^ref-36290\n"
        "\n---\nAnother one — location: [1215]() ^ref-1\n\n---\n"
    )
    assert (parsed.title, parsed.author, parsed.category) == ("Plugin Book", "Someone", "books")
    first, second = parsed.highlights
    assert (first.text, first.location, first.line) == ("A highlight as a paragraph", "Location 226", 8)
    assert second.location_url is None
    assert first.key != second.key and first.key.startswith("kindle-ref:")


@pytest.mark.parametrize(
    "body",
    [
        "# Monday\n- groceries\n- call mum\n",
        "# Workshop\n## Highlights from the workshop\n- we met\n",
        "# Workshop\n## Highlights #trip\n- we met\n",  # a variant heading needs more evidence
        "---\nauthor: Me\ntitle: My book notes\n---\n- my own thought\n- [a link](https://example.org/x)\n",
        "# Planning\n- Agenda in [the doc](https://example.org/a)\n> Quote of the day: measure twice.\n",
    ],
)
def test_ordinary_note_is_not_a_highlight_note(body: str) -> None:
    with pytest.raises(NotAHighlightNote) as raised:
        note(body, "Daily/Monday.md")
    assert not raised.value.signatures


def test_the_same_list_in_a_highlights_folder_is_read() -> None:
    assert [h.text for h in note("# Monday\n- groceries\n- call mum\n", "Readwise/Books/Monday.md").highlights] == [
        "groceries",
        "call mum",
    ]


def test_text_is_kept_as_written_but_identity_is_normalised() -> None:
    a = note(f"## Highlights\n- `#`AWS  café{NBSP}now  \n")
    b = note("## Highlights\n- #AWS café now\n")
    assert a.highlights[0].text == f"`#`AWS  café{NBSP}now"
    assert a.highlights[0].key == b.highlights[0].key


def test_same_location_different_text_are_two_highlights() -> None:
    parsed = note(f"## Highlights\n- One {KINDLE.format(n=114)}\n- Two {KINDLE.format(n=114)}\n")
    assert len({h.key for h in parsed.highlights}) == 2


def test_crlf_and_bom_parse_like_lf() -> None:
    lf = "## Highlights\n- Line one\n  line two (Location" + NBSP + "3)\n"
    text, warnings = decode(("\ufeff" + lf.replace("\n", "\r\n")).encode())
    assert warnings == []
    assert [(h.text, h.key, h.line) for h in note(text).highlights] == [
        (h.text, h.key, h.line) for h in note(lf).highlights
    ]


def test_caret_inside_text_is_not_a_block_id() -> None:
    parsed = note("## Highlights\n- Energy is mc^2\n- Tagged ^rw42\n")
    assert [(h.text, h.key.split(":")[0]) for h in parsed.highlights] == [("Energy is mc^2", "text"), ("Tagged", "rw")]
