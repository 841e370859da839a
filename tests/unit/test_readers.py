"""Each reader's traps, one construct at a time (the shared cases hold whole notes)."""

from __future__ import annotations

import pytest

from recall.importer.decoding import decode
from recall.importer.note import NotAHighlightNote
from recall.importer.parse import parse_note

NBSP = "\u00a0"
READER = "https://read.readwise.io/read/01hv00000000000000000000{n:02d}"


def texts(body: str, path: str = "Readwise/Books/A Book.md") -> list[str]:
    return [h.text for h in parse_note(body, path).highlights]


# --- list items ----------------------------------------------------------------------


@pytest.mark.parametrize("bullet", ["-", "*", "+"])
@pytest.mark.parametrize("sub", ["    - Note: mine", "  * Note: mine", "   - Note: mine", "\t- Note: mine", "**Note:** mine"])
def test_any_bullet_and_any_sub_item_indentation(bullet: str, sub: str) -> None:
    note = parse_note(f"## Highlights\n{bullet} Words ([View Highlight]({READER.format(n=1)}))\n   \n{sub}\n", "Readwise/Books/x.md")
    (h,) = note.highlights
    assert (h.text, h.note, h.location, h.location_url) == ("Words", "mine", None, READER.format(n=1))


def test_annotation_and_comment_labels_are_notes_and_hashtags_are_tags() -> None:
    note = parse_note(
        "## Highlights\n- One\n    - Annotation: first\n    - Tags: #a \\#b [[c d]]\n- Two\n    - Comment: second\n",
        "Readwise/Books/x.md",
    )
    assert [(h.note, h.tags) for h in note.highlights] == [("first", ["a", "b", "c d"]), ("second", [])]


def test_heading_items_and_heading_action_tags_set_the_chapter() -> None:
    note = parse_note(
        "## Highlights\n- # PART I\n- First (Location 5)\n- ## Chapter 2\n- Second (Location 9)\n"
        "- Third part\n    - Note: .h1\n- Fourth (Location 20)\n",
        "Readwise/Books/x.md",
    )
    assert [(h.text, h.chapter) for h in note.highlights] == [
        ("First", "PART I"),
        ("Second", "Chapter 2"),
        ("Fourth", "Third part"),
    ]
    assert {role[0] for role in note.roles if role} >= {"chapter", "highlight"}


def test_hypothesis_annotation_continues_over_bullets_without_a_link() -> None:
    link = " \u2014 [Updated on 2023-05-14 09:12:03](https://hyp.is/{id}/example.org/page)  \u2014 Group: #g"
    note = parse_note(
        "## Highlights\n"
        f"* First passage.{link.format(id='AAA')}\n  \n  * Annotation: columns:{link.format(id='BBB')}\n\n* Tool\n* Place\n\n"
        f"* Second passage.{link.format(id='CCC')}\n",
        "Hypothesis/Page.md",
    )
    assert [(h.text, h.note, h.key) for h in note.highlights] == [
        ("First passage.", "columns:\n\n* Tool\n* Place", "hypothesis:AAA"),
        ("Second passage.", None, "hypothesis:CCC"),
    ]


def test_lines_nobody_understood_are_reported_with_their_numbers() -> None:
    note = parse_note("## Highlights\n- One (Location 1)\nstray words\n\nmore stray\n- Two (Location 2)\n", "Readwise/Books/x.md")
    assert texts("## Highlights\n- One (Location 1)\n", "Readwise/Books/x.md") == ["One"]
    assert note.not_understood == [(3, "2 lines not understood (3\u20135); not imported")]


def test_users_callouts_footnotes_and_links_are_understood_as_theirs() -> None:
    note = parse_note(
        "## Highlights\n- One (Location 1)\n\n> [!NOTE] Done till here\n> really\n\n[[202212120002]][^2]\n\n"
        "[^2]: my footnote\n%% a comment %%\n```dataview\nlist\n```\n- Two (Location 2)\n",
        "Readwise/Books/x.md",
    )
    assert [h.text for h in note.highlights] == ["One", "Two"]
    assert note.not_understood == []


# --- paragraphs ----------------------------------------------------------------------

KINDLE = "\u2014 location: [{n}](kindle://book?action=open&asin=B0X&location={n}) ^ref-{ref}"


def test_kindle_plugin_note_paragraph_text_after_the_ref_and_a_shared_ref() -> None:
    note = parse_note(
        "## Highlights\n"
        f"First. {KINDLE.format(n=10, ref=7)}\n\nMy note.\n\n---\n"
        f"Second. {KINDLE.format(n=20, ref=8)} typed after\n\n---\n"
        f"Third. {KINDLE.format(n=30, ref=7)}\n\n---\n",
        "Kindle/Book.md",
    )
    first, second, third = note.highlights
    assert (first.text, first.note, first.location) == ("First.", "My note.", "Location 10")
    assert (second.text, second.note) == ("Second.", "typed after")
    assert third.text == "Third." and third.key != first.key


def test_kindle_plugin_empty_location_is_no_location() -> None:
    (h,) = parse_note("## Highlights\nWords \u2014 location: []() ^ref-9\n\n---\n", "Kindle/Book.md").highlights
    assert (h.text, h.location, h.location_url) == ("Words", None, None)


def test_highlight_id_comments_and_readwise_mirror_blocks_without_heading() -> None:
    note = parse_note("- **Author:** Someone\n---\n\nOne %% highlight_id: 111 %%\n\n\nTwo %% highlight_id: 222 %%\n", "Notes/x.md")
    assert [(h.text, h.key) for h in note.highlights] == [("One", "rw:111"), ("Two", "rw:222")]
    mirror = parse_note(
        "# Highlights \nHeading ([3](https://readwise.io/to_kindle?action=open&asin=B&location=3)) ^1000001\n\n"
        "**Note: .h2**\n\n---\n\nPart one.\n\nPart two. ([4](https://readwise.io/to_kindle?action=open&asin=B&location=4))"
        " ^1000002\n\n**Note: mine**\n",
        "Readwise/Books/x.md",
    )
    (h,) = mirror.highlights
    assert (h.text, h.note, h.chapter, h.location) == ("Part one.\n\nPart two.", "mine", "Heading", "Location 4")
    assert h.key.startswith("block:")  # a numbered block id, known within its book


def test_omnivore_quotes_with_note_paragraphs_and_unquoted_continuations() -> None:
    link = " [\u2934\ufe0f](https://omnivore.app/me/x#5f3c2a10-0000-4000-8000-0000000000a{n})"
    note = parse_note(f"## Highlights\n\n> One{link.format(n=1)}\n\nmine\n\n> Two:\n1. a\n2. b{link.format(n=2)}\n", "Omnivore/x.md")
    assert [(h.text, h.note, h.location) for h in note.highlights] == [("One", "mine", None), ("Two:\n1. a\n2. b", None, None)]
    assert note.highlights[0].key == "omnivore:5f3c2a10-0000-4000-8000-0000000000a1"


def test_callout_highlights_and_users_own_callouts() -> None:
    note = parse_note(
        f"# Highlights\n> [!quote]- One [\U0001f517]({READER.format(n=1)})\n>> [!info] **Note**:\nmine\n\n"
        "> [!quote]- Two without a link\n\n> [!NOTE] my reminder\n",
        "Readwise/x.md",
    )
    assert [(h.text, h.note) for h in note.highlights] == [("One", "mine"), ("Two without a link", None)]


# --- sections and Zotero ---------------------------------------------------------------


def test_kindle_notebook_export_pages_and_notes() -> None:
    note = parse_note(
        "# Notes and highlights for A Book\n\n## Highlights\n\n### Highlight (yellow) - Page 4\n\nText one.\n\n"
        "### Note - Page 4\n\nMy note.\n\n### Highlight (blue) - Location 120\n\nText two.\n",
        "Kindle/A Book.md",
    )
    assert note.title == "A Book"
    assert [(h.text, h.location, h.note) for h in note.highlights] == [
        ("Text one.", "Page 4", "My note."),
        ("Text two.", "Location 120", None),
    ]


def test_zotero_comment_before_the_next_quote_belongs_to_the_one_before() -> None:
    quote = "*\u00ab {t} \u00bb*([{p}](zotero://open-pdf/library/items/K7?page={p}&annotation=A{p}))"
    note = parse_note(
        f"Bibliography line\n\n{quote.format(t='One', p=3)}\n\n > >first comment {quote.format(t='Two', p=5)}\n\n > >second ",
        "Zotero/key.md",
    )
    assert [(h.text, h.note, h.location, h.key) for h in note.highlights] == [
        ("One", "first comment", "Page 3", "zotero:A3"),
        ("Two", "second", "Page 5", "zotero:A5"),
    ]


def test_zotero_native_note_takes_the_cited_page_and_the_comment() -> None:
    line = (
        '[Go to annotation](zotero://open-pdf/library/items/R2?page=14&annotation=D4) "Quoted words." '
        "([Aldous, 2015, p. 12](zotero://select/library/items/F9)) my comment"
    )
    (h,) = parse_note(f"# Annotations  \n(3/11/2023 14:05:12)\n\n{line}\n", "Zotero/x.md").highlights
    assert (h.text, h.location, h.note, h.key) == ("Quoted words.", "Page 12", "my comment", "zotero:D4")


# --- precision, identity, encodings -------------------------------------------------


@pytest.mark.parametrize(
    "heading", ["## Highlights & Notes", "# Highlights \U0001f516", "## Highlights[^1]", "## Anotaciones", "## Highlights #to-process"]
)
def test_variant_headings_count_with_evidence(heading: str) -> None:
    body = f"# Book\n{heading}\n- One. ([View Highlight]({READER.format(n=1)}))\n"
    assert texts(body, "Notes/Book.md") == ["One."]
    with pytest.raises(NotAHighlightNote):
        parse_note(f"# Trip\n{heading}\n- saw the sea\n", "Daily/2026-04-12.md")


def test_link_labels_are_not_locations_and_twins_stay_two() -> None:
    note = parse_note(
        "## Highlights\n- Same words.\n- Same words.\n    - Note: second\n"
        "- Tweet ([View Tweet](https://twitter.com/a/status/12))\n",
        "Readwise/Articles/x.md",
    )
    first, second, tweet = note.highlights
    assert first.key != second.key and (first.note, second.note) == (None, "second")
    assert (tweet.location, tweet.location_url, tweet.key) == (None, "https://twitter.com/a/status/12", "tweet:12")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-8-sig"])
def test_byte_order_marks_decode_like_utf8(encoding: str) -> None:
    text = "## Highlights\r\n- Caf\u00e9 na\u00efve (Location\u00a012)\r\n"
    data = text.encode(encoding) if encoding == "utf-8-sig" else "\ufeff".encode(encoding) + text.encode(encoding)
    decoded, warnings = decode(data)
    assert (decoded, warnings) == (text.replace("\r\n", "\n"), [])
    unix = text.replace("\r\n", "\n")
    assert parse_note(decoded, "Readwise/Books/x.md").highlights[0].key == parse_note(unix, "Readwise/Books/x.md").highlights[0].key


def test_highlight_folders_setting_is_evidence() -> None:
    body = "- my clipping\n- another\n"
    with pytest.raises(NotAHighlightNote):
        parse_note(body, "Reading/Clips/x.md")
    note = parse_note(body, "Reading/Clips/x.md", ("Reading/Clips",))
    assert [h.text for h in note.highlights] == ["my clipping", "another"]
    assert "highlight_folders setting (Reading/Clips)" in note.evidence


# --- the user's own lines in and around highlight notes -----------------------------

RWH = "# Q\n## Metadata\n- Author: [[K]]\n- Full Title: Q\n## Highlights\n"
LOC1 = "([Location 1](https://readwise.io/to_kindle?action=open&asin=B&location=1))"


def test_users_sub_bullets_tasks_and_links_never_change_or_become_highlights() -> None:
    note = parse_note(
        RWH + f"- Attention leaks. {LOC1}\u00a0\n    - I agree, see [[Focus]]\n    - Tags: #x\n      and more\n"
        "- [ ] reread chapter 2\n- \n- [[Link]] #tag\n- The team \u2014 Group: the whole org (Page 5)\n- Note: typed at column 0\n",
        "Readwise/Books/Q.md",
    )
    first, second = note.highlights
    assert (first.text, first.location, first.tags) == ("Attention leaks.", "Location 1", ["x"])
    assert first.note == "- I agree, see [[Focus]]\nand more"
    assert (second.text, second.location, second.note) == ("The team \u2014 Group: the whole org", "Page 5", "typed at column 0")
    assert note.not_understood == []
    assert parse_note(RWH + f"- Attention leaks. {LOC1}\n", "Readwise/Books/Q.md").highlights[0].key == first.key


def test_paragraph_highlights_take_the_chapter_they_stand_under() -> None:
    kindle = "\u2014 location: [{n}](kindle://book?action=open&asin=B1&location={n}) ^ref-{n}"
    note = parse_note(
        f"## Highlights\n### Chapter 1\nRoots. {kindle.format(n=4)}\n\n---\n### Chapter 2\nPruning. {kindle.format(n=8)}\n",
        "Kindle/T.md",
    )
    assert [(h.text, h.chapter) for h in note.highlights] == [("Roots.", "Chapter 1"), ("Pruning.", "Chapter 2")]


def test_a_plain_quote_without_a_link_is_not_a_highlight_but_is_reported() -> None:
    link = "[\u2934\ufe0f](https://omnivore.app/me/x#5f3c2a10-0000-4000-8000-0000000000a2)"
    note = parse_note(f"## Highlights\n\n> Margins. {link}\n\n> Reminder to self: buy a pencil\n", "Omnivore/x.md")
    assert [h.text for h in note.highlights] == ["Margins."]
    assert note.not_understood == [(5, "1 line not understood (5); not imported")]


def test_zotero_quotes_may_hold_guillemets() -> None:
    quote = "*\u00ab {t} \u00bb*([{p}](zotero://open-pdf/library/items/K?page={p}&annotation=A{p}))"
    inner = "Le juge a dit \u00ab non \u00bb."
    text = quote.format(t=inner, p=4) + "\n\n" + quote.format(t="Second.", p=7) + "\n"
    assert texts(text, "Zotero/d.md") == [inner, "Second."]


def test_a_repeated_id_keeps_one_key_per_text() -> None:
    keys = [h.key for h in parse_note("## Highlights\n- Alpha. ^rw77\n- Beta. ^rw77\n- Beta. ^rw77\n", "Readwise/x.md").highlights]
    assert keys == ["rw:77", "rw:77#2", "rw:77#2"]


def test_a_blank_category_is_no_category() -> None:
    note = parse_note(f"- Category: [ ]()\n## Highlights\n- a {LOC1}\n", "Readwise/x.md")
    assert note.category is None and [h.text for h in note.highlights] == ["a"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("Daily/2026-04-12.md", "# 2026-04-12\n\nTitle: Weekly review\n\n- called mum\n- bought milk\n"),
        ("Notes/About me.md", "# About\nI am a gardener.\n\n## Projects\n- Moss lawn\n- Tool shed\n"),
        ("Daily/d.md", "## Highlights\n- Shipped the beta\n\n## Links\n- https://twitter.com/jack/status/20\n"),
        ("Notes/Reading list.md", "- Accelerate (Page 12) for the DORA metrics\n- Buy milk\n"),
        ("Notes/Thesis.md", "See [Smith 2019](zotero://select/library/items/ABC).\n\n- rewrite intro\n- add figure\n"),
        ("Daily/d.md", "Morning pages ^20260413\n\n- gym\n- groceries\n"),
        ("Notes/Tips.md", "I save articles with [Omnivore](https://omnivore.app/)\n\n- use labels\n"),
        ("Journal/trip.md", "# Trip\n\n## Highlights from the trip\n- the museum\n\nSee https://x.com/sam/status/123\n"),
        ("Meetings/m.md", "# Sync\n- Title: Q3 plan\n- Decision: ship\n"),
    ],
)
def test_ordinary_notes_with_lookalike_lines_stay_out(path: str, body: str) -> None:
    with pytest.raises(NotAHighlightNote):
        parse_note(body, path)


def test_a_zotero_comment_ends_where_the_users_own_section_begins() -> None:
    quote = "*\u00ab Quote one. \u00bb*([4](zotero://open-pdf/library/items/K?page=4&annotation=T3))"
    note = parse_note(f"{quote}\n\n > >my comment\n\n### My thoughts\nThe author overstates.\n", "Zotero/p.md")
    assert [(h.text, h.note) for h in note.highlights] == [("Quote one.", "my comment")]
    assert note.not_understood == [(6, "1 line not understood (6); not imported")]  # said, never swallowed
