"""Hostile input: the parser and the importer never crash, always say which file (and
line) was bad and why, and always import the rest of the vault.

Property tests feed ``decode`` and ``parse_note`` a mix of real note fragments and random
text or bytes, so the grammar is exercised and not just the "no highlights section"
exit. The vault-level cases put one hostile file next to a good note and check the
warnings, the report's counts and the rows in the database.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from support import rows
from support import run_import as run

import recall.importer.sync as sync
from recall.importer.fields import location_of
from recall.importer.parse import MAX_FILE_BYTES, NotAHighlightNote, ParsedNote, decode, parse_note
from recall.importer.sync import ImportReport

NBSP = "\u00a0"
KINDLE_URL = "https://readwise.io/to_kindle?action=open&asin=B0&location=12"
LINKS = [
    (f"Location{NBSP}12", KINDLE_URL),
    ("View Highlight", "https://read.readwise.io/read/01aaaaaaaaaaaaaaaaaaaaaaaa"),
    ("View Tweet", "https://twitter.com/someone/status/1234567890123456789"),
    (f"Time{NBSP}0:12:34", "https://share.snipd.com/snip/0b1c2d3e-aaaa-bbbb-cccc-1234567890ab"),
    ("Page 7", "https://example.com/book#page=7"),
]
# RECALL_HYPOTHESIS_EXAMPLES=5000 for a deeper local run
PROPERTY = settings(
    deadline=None,
    max_examples=int(os.environ.get("RECALL_HYPOTHESIS_EXAMPLES", "200")),
    suppress_health_check=[HealthCheck.too_slow],
)


# =========================================================================== decode


BYTE_PIECES = st.sampled_from(
    [
        b"\xef\xbb\xbf",  # BOM (only meaningful at the start)
        b"\x00",
        b"\r\n",
        b"\r",
        b"\n",
        b"\xff",
        b"\xc3",  # truncated 2-byte sequence
        b"\xe2\x82",  # truncated 3-byte sequence
        b"\xed\xa0\x80",  # an encoded surrogate: not UTF-8
        "é—日本🙂".encode(),
        b"## Highlights\n",
        b"- text ",
        b"    - Note: ",
    ]
)
NOTE_BYTES = st.one_of(
    st.binary(max_size=200),
    st.lists(st.one_of(BYTE_PIECES, st.binary(max_size=12)), max_size=40).map(b"".join),
)


OTHER_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def _lines_before(data: bytes) -> int:
    """1-based line of the position right after ``data``, counting CRLF, CR and LF as line ends."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


@PROPERTY
@given(NOTE_BYTES)
@example(b"\r\x00\n")  # a NUL inside a CRLF: still one line end
@example(b"\xff\xfe")  # a UTF-16 byte-order mark: that encoding, not UTF-8 (test_readers tries them)
def test_decode_never_raises_and_normalises(data: bytes) -> None:
    text, warnings = decode(data)
    assert isinstance(text, str)
    assert "\x00" not in text
    assert "\r" not in text
    last_line = text.count("\n") + 1
    for line, message in warnings:
        assert isinstance(line, int) and 1 <= line <= last_line, (line, message)
        assert isinstance(message, str) and message
    if data.startswith(OTHER_BOMS):
        return  # decoded as what the mark says; the checks below are UTF-8's

    cleaned = data.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in cleaned:
        first_nul = cleaned.index(b"\x00")
        nul_warnings = [(line, m) for line, m in warnings if "NUL" in m]
        nul_count = cleaned.count(b"\x00")
        assert [m for _, m in nul_warnings] == [f"{nul_count} NUL byte(s) removed"]
        if b"\r" not in cleaned:  # (a NUL between '\r' and '\n' has no well-defined line)
            assert nul_warnings[0][0] == _lines_before(cleaned[:first_nul])
        cleaned = cleaned.replace(b"\x00", b"")
    utf8_warnings = [(line, m) for line, m in warnings if "UTF-8" in m]
    try:
        expected = cleaned.decode("utf-8")
    except UnicodeDecodeError as error:
        # The warning names the line of the first undecodable byte, in the text's own line numbers.
        assert [line for line, _ in utf8_warnings] == [_lines_before(cleaned[: error.start])], (data, warnings)
        assert "\ufffd" in text
    else:
        assert utf8_warnings == []
        assert text == expected.replace("\r\n", "\n").replace("\r", "\n")


def test_decode_bom_crlf_and_bad_bytes_explicitly() -> None:
    assert decode("\ufeffa\r\nb\r\n".encode()) == ("a\nb\n", [])
    text, warnings = decode(b"line one\nline two\nbad \xff here\n")
    assert text == "line one\nline two\nbad \ufffd here\n"
    assert len(warnings) == 1 and warnings[0][0] == 3 and "UTF-8" in warnings[0][1]
    text, warnings = decode(b"ok\nnul\x00\x00 here\n")
    assert text == "ok\nnul here\n"
    assert warnings == [(2, "2 NUL byte(s) removed")]


def test_decode_line_numbers_count_lone_cr_line_ends() -> None:
    # Classic-Mac line ends are turned into '\n' in the text, so the warning's line must
    # count them too: the bad byte below is on line 3 of the decoded text.
    text, warnings = decode(b"one\rtwo\rbad \xff\r")
    assert text.split("\n")[2] == "bad \ufffd"
    assert [line for line, _ in warnings] == [3]
    text, warnings = decode(b"one\rtwo\rnul \x00\r")
    assert warnings == [(3, "1 NUL byte(s) removed")]


# =========================================================================== parse_note


def _link(label: str, url: str) -> str:
    return f"([{label}]({url}))"


LINK_TAILS = [_link(label, url) for label, url in LINKS] + [
    f"[Location{NBSP}12]({KINDLE_URL})",  # callout style, no parentheses
    "(Location 44)",
    "^rwID-1",
    "^rw123",
    "[Open in Readwise](https://readwise.io/open/987)",
    "\u2014 location: [226](kindle://book?action=open&asin=B0&location=226) ^ref-123",
]
FRAGMENTS = [
    "## Highlights",
    "## New highlights added March 1, 2024 at 9:00 AM",
    "# A Title",
    "### Chapter One",
    "## Metadata",
    "#",
    "## ",
    "- Author: [[Ann Author]]",
    "- Full Title: The Full Title",
    "- Category: #books",
    "- URL: https://example.com",
    "![rw-book-cover](https://example.com/c.jpg)",
    f"- text {_link(*LINKS[0])}",
    f"- text {_link(*LINKS[1])}",
    "- ",
    "-",
    "  continuation line",
    "\tTabbed continuation",
    "    - Note: x",
    "    - Note: ",
    "      more note",
    "    - Tags: [[a]] ",
    "    - Tags: [[a]] [[b c]] [[]] ",
    "    - Highlighted:: 2024-01-01",
    "---",
    "> quote",
    "> [!note] a callout",
    ">",
    "^rwID-1",
    "^rw42-note",
    "[^1]: a footnote",
    "a Kindle paragraph \u2014 location: [226](kindle://book?action=open&asin=B0&location=226) ^ref-123",
    "",
    "   ",
]
YAML_LINES = [
    "title: A Frontmatter Title",
    'title: "Quoted: Title"',
    "author: [[Ann Author]]",
    "author: [[@handle on Twitter]]",  # invalid YAML, as real exports write it
    "tags: ",
    "tags:\n  - one\n  - two",
    "category: articles",
    "date: 2024-01-31",
    "kindle-sync:\n  title: Kindle Title\n  author: K. Author\n  bookImageUrl: https://x/y.jpg",
    "a: &a [x, x]\nb: [*a, *a]",
    "nested: " + "[" * 60 + "]" * 60,
    "broken: [unclosed",
    "- a list, not a mapping",
    "just a scalar",
    "url: https://example.com",
]
SAFE_TEXT = st.text(max_size=30)
LINE = st.one_of(
    st.sampled_from(FRAGMENTS),
    SAFE_TEXT,
    st.builds(lambda a, b: a + b, st.sampled_from(FRAGMENTS), SAFE_TEXT),
    st.builds(lambda a, tail: f"- {a} {tail}", SAFE_TEXT, st.sampled_from(LINK_TAILS)),
    st.builds(lambda a, tail: f"> {a} {tail}", SAFE_TEXT, st.sampled_from(LINK_TAILS)),
)
FRONTMATTER = st.one_of(
    st.just(""),
    st.lists(st.one_of(st.sampled_from(YAML_LINES), st.builds(lambda v: f"key: {v}", SAFE_TEXT)), max_size=6).map(
        lambda lines: "---\n" + "\n".join(lines) + "\n---\n"
    ),
    st.just("---\nunclosed: frontmatter\n"),
)
NOTE_TEXT = st.one_of(
    st.text(max_size=300),
    st.builds(lambda fm, lines: fm + "\n".join(lines), FRONTMATTER, st.lists(LINE, max_size=40)),
    # always a highlights section, so the item grammar is what gets exercised
    st.builds(
        lambda fm, head, lines: fm + "\n".join([*head, "## Highlights", *lines]),
        FRONTMATTER,
        st.lists(LINE, max_size=6),
        st.lists(LINE, max_size=40),
    ),
)


def _check_invariants(text: str, note: ParsedNote) -> None:
    lines = text.split("\n")
    assert isinstance(note.title, str) and note.title
    assert isinstance(note.source_key, str) and note.source_key
    for line, message in note.warnings:
        assert 1 <= line <= len(lines), (line, message)
        assert message
    for h in note.highlights:
        assert isinstance(h.key, str) and h.key and h.key.split(":", 1)[1], h
        assert isinstance(h.text, str) and "\n" not in h.key
        assert 1 <= h.line <= len(lines), h
        first = lines[h.line - 1]
        # A highlight's line is its bullet, or the first line of its paragraph: never blank.
        assert first.strip(), (h.line, first)
        if first.startswith("- ") or first == "-":
            assert first[2:].startswith(h.text.split("\n")[0]), (first, h.text)
        assert isinstance(h.tags, list) and all(isinstance(t, str) for t in h.tags)
        assert h.note is None or isinstance(h.note, str)
        if h.location_url is not None:
            assert h.location_url
            tail = h.text.rstrip()
            assert not tail.endswith(f"]({h.location_url}))") and not tail.endswith(f"]({h.location_url})"), h


@PROPERTY
@given(NOTE_TEXT)
def test_parse_note_never_crashes_and_keeps_its_invariants(text: str) -> None:
    try:
        note = parse_note(text, "Readwise/Books/x.md")
    except NotAHighlightNote:
        return
    assert isinstance(note, ParsedNote)
    _check_invariants(text, note)


PLAIN = st.characters(exclude_categories=("Cs",), exclude_characters="[]()^\n\r")
TAG = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="[]\n\r"), min_size=1, max_size=12).filter(
    lambda t: t.strip()
)


@PROPERTY
@given(
    body=st.text(PLAIN, max_size=80),
    link=st.sampled_from(LINKS),
    note=st.none() | st.text(PLAIN, max_size=40),
    tags=st.lists(TAG, max_size=3),
)
def test_parse_note_round_trips_one_highlight(
    body: str, link: tuple[str, str], note: str | None, tags: list[str]
) -> None:
    label, url = link
    assume(not body.startswith("#"))  # "- # Part One" is a heading item: a chapter (tests/unit/test_readers.py)
    lines = ["# Title", "## Highlights", f"- {body} {_link(label, url)}"]
    if tags:
        lines.append("    - Tags: " + " ".join(f"[[{t}]]" for t in tags) + " ")
    if note is not None:
        lines.append(f"    - Note: {note}")
    text = "\n".join(lines) + "\n"
    parsed = parse_note(text, "Readwise/Books/Title.md")
    (h,) = parsed.highlights
    assert h.text == body.rstrip()
    assert url not in h.text
    assert (h.location, h.location_url, h.line) == (location_of(label, url), url, 3)
    assert h.location in (None, "Location 12", "Time 0:12:34", "Page 7")  # a place, never a link label
    assert h.tags == [t.strip() for t in tags]
    assert h.note == (note.strip() or None if note is not None else None)
    _check_invariants(text, parsed)


@PROPERTY
@given(
    value=st.one_of(
        st.sampled_from(
            [
                "2024-02-30",  # a typo'd date: YAML resolves it as a timestamp
                "2024-13-01",
                "2024-02-29 25:61:00",
                "!!int many",
                "!!float lots",
                "!!timestamp soon",
                "!!binary '%%%'",
                "!!set {a, b}",
                "!!python/name:os.system",
                "0x_",
                "~",
                "[1, {a: b}]",
            ]
        ),
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\n\r"), max_size=30),
    ),
    key=st.sampled_from(["date", "title", "author", "category", "url", "created"]),
)
def test_parse_note_any_frontmatter_value_costs_at_most_the_metadata(key: str, value: str) -> None:
    text = f"---\n{key}: {value}\n---\n# Heading Title\n## Highlights\n- kept {_link(*LINKS[1])}\n"
    note = parse_note(text, "Articles/Stem.md")
    assert [h.text for h in note.highlights] == ["kept"]
    assert note.highlights[0].line == 6
    _check_invariants(text, note)


# =========================================================================== vault level


GOOD_PATH = "Readwise/Articles/Good Article.md"
GOOD_URLS = [
    "https://read.readwise.io/read/01gooda" + "a" * 19,
    "https://read.readwise.io/read/01goodb" + "b" * 19,
]
GOOD = (
    "---\ntitle: Good Article\nauthor: [[Ann Author]]\ntags: \n---\n"
    "# Good Article\n## Metadata\n- Author: [[Ann Author]]\n- Category: #articles\n## Highlights\n"
    f"- The first good highlight. ([View Highlight]({GOOD_URLS[0]}))\n"
    "    - Tags: [[one]] [[two]] \n"
    f"- The second good highlight,\n  on two lines. ([View Highlight]({GOOD_URLS[1]}))\n"
    "    - Note: a note\n      on two lines too\n"
)
GOOD_ROWS = [
    ("The first good highlight.", None, '["one", "two"]', GOOD_URLS[0], 0),
    ("The second good highlight,\non two lines.", "a note\non two lines too", "[]", GOOD_URLS[1], 0),
]


def hostile_note(title: str, count: int = 2, tag: str = "h") -> str:
    """A plain default-template note with ``count`` highlights keyed by Reader ids."""
    items = "".join(
        f"- {title} highlight {n}. ([View Highlight]({hostile_url(tag, n)}))\n" for n in range(1, count + 1)
    )
    return f"# {title}\n## Highlights\n{items}"


def hostile_url(tag: str, n: int) -> str:
    reader_id = f"01{tag}{n}".ljust(26, "z")
    assert len(reader_id) == 26
    return f"https://read.readwise.io/read/{reader_id}"


def good_vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    (root / "Readwise" / "Articles").mkdir(parents=True)
    (root / GOOD_PATH).write_text(GOOD, encoding="utf-8")
    return root.resolve()




def highlight_rows(engine, urls: list[str]):
    marks = ",".join("?" * len(urls))
    return rows(
        engine,
        f"SELECT text, note, tags, location_url, retired FROM highlights WHERE location_url IN ({marks})"
        " ORDER BY location_url",
        *urls,
    )


def assert_good_imported(engine) -> None:
    assert highlight_rows(engine, GOOD_URLS) == sorted(GOOD_ROWS, key=lambda r: r[3])
    assert rows(
        engine, "SELECT title, author FROM sources s JOIN files f ON f.source_id = s.id WHERE f.path = ?", GOOD_PATH
    ) == [("Good Article", "Ann Author")]


def warnings_about(report: ImportReport, path: Path) -> list[str]:
    return [w for w in report.warnings if w.startswith(f"{path}:")]


def imported_paths(engine) -> list[str]:
    return [p for (p,) in rows(engine, "SELECT path FROM files WHERE present ORDER BY path")]


# --------------------------------------------------------------------------- encodings


def test_bom_and_crlf_note_imports_like_its_lf_version(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    lf = (
        GOOD.replace("title: Good Article", "title: Windows Frontmatter Title")
        .replace("# Good Article", "# Windows Heading")
        .replace("01good", "01wind")
    )
    path = root / "Readwise" / "Articles" / "Windows Note.md"
    path.write_bytes(b"\xef\xbb\xbf" + lf.replace("\n", "\r\n").encode("utf-8"))
    report = run(engine, root)

    assert report.warnings == []
    assert (report.files_read, report.files_skipped) == (2, 0)
    assert_good_imported(engine)
    expected = parse_note(lf, "Readwise/Articles/Windows Note.md")
    got = rows(
        engine,
        "SELECT h.key, h.text, h.note, h.tags, h.location, h.location_url, o.line FROM highlights h"
        " JOIN occurrences o ON o.highlight_id = h.id JOIN files f ON f.id = o.file_id WHERE f.path = ?"
        " ORDER BY o.line",
        "Readwise/Articles/Windows Note.md",
    )
    assert got == [
        (h.key, h.text, h.note, json.dumps(h.tags), h.location, h.location_url, h.line)
        for h in expected.highlights
    ]
    assert len(got) == 2 and not any("\r" in (t or "") + (n or "") for _, t, n, *_ in got)
    # the frontmatter behind the BOM was read: the title comes from it, not from the heading
    assert rows(
        engine, "SELECT title, author FROM sources s JOIN files f ON f.source_id = s.id WHERE f.path = ?",
        "Readwise/Articles/Windows Note.md",
    ) == [("Windows Frontmatter Title", "Ann Author")]


def test_nul_bytes_are_dropped_with_a_warning(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    path = root / "Nul.md"
    data = hostile_note("Nul").encode().replace(b"Nul highlight 1", b"Nul\x00 highlight\x00 1")
    assert data.split(b"\n")[2].count(b"\x00") == 2
    path.write_bytes(data)
    report = run(engine, root)

    assert warnings_about(report, path) == [f"{path}:3: 2 NUL byte(s) removed"]
    assert report.files_read == 2 and report.files_skipped == 0
    assert highlight_rows(engine, [hostile_url("h", 1)]) == [("Nul highlight 1.", None, "[]", hostile_url("h", 1), 0)]
    assert_good_imported(engine)


def test_invalid_utf8_is_replaced_with_a_warning_naming_the_line(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    path = root / "Latin1.md"
    data = hostile_note("Latin").encode().replace(b"Latin highlight 2", b"Latin highlight caf\xe9 2")
    path.write_bytes(data)
    report = run(engine, root)

    (warning,) = warnings_about(report, path)
    assert warning.startswith(f"{path}:4: ") and "UTF-8" in warning
    assert [t for t, *_ in highlight_rows(engine, [hostile_url("h", 1), hostile_url("h", 2)])] == [
        "Latin highlight 1.",
        "Latin highlight caf\ufffd 2.",
    ]
    assert_good_imported(engine)


# --------------------------------------------------------------------------- size


def test_file_over_the_size_limit_is_skipped_with_a_warning(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    path = root / "Readwise" / "Huge.md"
    path.write_text(hostile_note("Huge"), encoding="utf-8")
    os.truncate(path, MAX_FILE_BYTES + 1)  # sparse: no 8 MB written
    report = run(engine, root)

    (warning,) = warnings_about(report, path)
    assert "too large" in warning and "skipped" in warning
    assert report.files_skipped == 1 and report.files_read == 1
    assert highlight_rows(engine, [hostile_url("h", 1)]) == []
    assert imported_paths(engine) == [GOOD_PATH]
    assert_good_imported(engine)


def test_one_huge_line_just_under_the_limit_is_one_highlight(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    path = root / "Long Line.md"
    head, tail = "# Long Line\n## Highlights\n- ", f" {_link(*LINKS[0])}\n"
    room = MAX_FILE_BYTES - 1 - len(head.encode()) - len(tail.encode())
    words = ("lorem ipsum dolor sit amet, caf\u00e9 " * (room // 30 + 1)).encode()[:room].decode("utf-8", "ignore")
    words = words.rstrip()
    path.write_text(head + words + tail, encoding="utf-8")
    assert MAX_FILE_BYTES - 8 <= path.stat().st_size <= MAX_FILE_BYTES - 1
    report = run(engine, root)

    assert report.warnings == []
    assert (report.files_read, report.files_skipped) == (2, 0)
    ((text, location, url),) = rows(
        engine, "SELECT text, location, location_url FROM highlights WHERE location_url = ?", KINDLE_URL
    )
    assert text == words and (location, url) == ("Location 12", KINDLE_URL)
    assert_good_imported(engine)


# --------------------------------------------------------------------------- nesting


def test_deeply_nested_list_markers_on_one_line(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    path = root / "Deep.md"
    path.write_text(f"# Deep\n## Highlights\n- {'  - ' * 10_000}deepest {_link(*LINKS[0])}\n", encoding="utf-8")
    report = run(engine, root)

    assert report.warnings == [] and report.files_read == 2
    ((text,),) = rows(engine, "SELECT text FROM highlights WHERE location_url = ?", KINDLE_URL)
    assert text == "  - " * 10_000 + "deepest"
    assert_good_imported(engine)


def test_deeply_indented_lines_stay_one_highlight(tmp_path: Path, engine) -> None:
    # 10,000 levels of "  - " on their own lines would be 100 MB; 1,500 levels (2.2 MB) are
    # as deep as a file under the size limit can comfortably go.
    root = good_vault(tmp_path)
    path = root / "Deep Lines.md"
    levels = 1_500
    nested = "".join("  " * i + f"- level {i}\n" for i in range(1, levels + 1))
    path.write_text(f"# Deep Lines\n## Highlights\n- top\n{nested}  bottom {_link(*LINKS[0])}\n", encoding="utf-8")
    report = run(engine, root)

    assert report.warnings == []
    ((text, line),) = rows(
        engine,
        "SELECT h.text, o.line FROM highlights h JOIN occurrences o ON o.highlight_id = h.id WHERE location_url = ?",
        KINDLE_URL,
    )
    text_lines = text.split("\n")
    assert line == 3 and len(text_lines) == levels + 2
    assert text_lines[0] == "top" and text_lines[-1] == "bottom" and text_lines[-2].endswith(f"- level {levels}")
    assert_good_imported(engine)


def test_deeply_nested_yaml_frontmatter_costs_only_the_metadata(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    path = root / "Deep Yaml.md"
    path.write_text(f"---\ndeep: {'[' * 10_000}{']' * 10_000}\n---\n{hostile_note('Deep Yaml')}", encoding="utf-8")
    report = run(engine, root)

    (warning,) = warnings_about(report, path)
    assert re.match(rf"{re.escape(str(path))}:\d+: .*frontmatter", warning), warning
    assert len(highlight_rows(engine, [hostile_url("h", 1), hostile_url("h", 2)])) == 2
    assert_good_imported(engine)


# --------------------------------------------------------------------------- frontmatter


def test_yaml_alias_bomb_is_refused_and_highlights_kept(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    path = root / "Bomb.md"
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghi"
    for previous, name in zip(names, names[1:], strict=False):
        levels.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    frontmatter = "---\ntitle: Bomb Title\n" + "\n".join(levels) + "\n---\n"
    path.write_text(frontmatter + hostile_note("Bomb Heading"), encoding="utf-8")
    report = run(engine, root)

    (warning,) = warnings_about(report, path)
    assert "alias" in warning.lower()
    assert len(highlight_rows(engine, [hostile_url("h", 1), hostile_url("h", 2)])) == 2
    titles = [t for (t,) in rows(engine, "SELECT title FROM sources")]
    assert all(len(t) < 100 for t in titles)
    assert_good_imported(engine)


def test_huge_frontmatter_is_ignored_with_a_warning(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    path = root / "Many Keys.md"
    keys = "".join(f"key{i}: value {i}\n" for i in range(100_000))
    path.write_text(f"---\n{keys}---\n{hostile_note('Many Keys')}", encoding="utf-8")
    report = run(engine, root)

    (warning,) = warnings_about(report, path)
    assert "frontmatter" in warning and ("large" in warning or "too" in warning)
    ((text, line),) = rows(
        engine,
        "SELECT h.text, o.line FROM highlights h JOIN occurrences o ON o.highlight_id = h.id"
        " WHERE h.location_url = ?",
        hostile_url("h", 1),
    )
    assert text == "Many Keys highlight 1." and line == 100_000 + 5  # line numbers count the frontmatter
    assert_good_imported(engine)


@pytest.mark.parametrize(
    "bad_line",
    [
        "date: 2024-02-30",  # a typo'd date in an otherwise ordinary note
        "created: 2024-13-01",
        "count: !!int many",
        "when: !!timestamp soon",
    ],
)
def test_unconstructible_yaml_value_costs_only_the_metadata(tmp_path: Path, engine, bad_line: str) -> None:
    root = good_vault(tmp_path)
    path = root / "Bad Value.md"
    path.write_text(f"---\ntitle: Bad Value\n{bad_line}\n---\n{hostile_note('Bad Value')}", encoding="utf-8")
    report = run(engine, root)  # must not raise

    (warning,) = warnings_about(report, path)
    assert "frontmatter" in warning
    assert len(highlight_rows(engine, [hostile_url("h", 1), hostile_url("h", 2)])) == 2
    assert_good_imported(engine)


# --------------------------------------------------------------------------- unreadable things


def _deny_read_bytes(monkeypatch: pytest.MonkeyPatch, victim: Path, error: OSError) -> None:
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == victim:
            raise error
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def _deny_listing(monkeypatch: pytest.MonkeyPatch, victim: Path) -> None:
    real = os.scandir

    def scandir(path=".", *args, **kwargs):
        if Path(path) == victim:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_file_chmod_000(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    path = root / "Locked.md"
    path.write_text(hostile_note("Locked"), encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read a mode-000 file (root)")
        report = run(engine, root)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert warnings_about(report, path) == [f"{path}: cannot read (Permission denied); skipped"]
    assert report.files_skipped == 1 and report.files_read == 1
    assert_good_imported(engine)


def test_unreadable_file_is_skipped_and_keeps_what_was_imported(
    tmp_path: Path, engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = good_vault(tmp_path)
    path = root / "Locked.md"
    path.write_text(hostile_note("Locked"), encoding="utf-8")
    first = run(engine, root)
    assert first.highlights_new == 4

    # It changes, then cannot be read (permissions, a sync client's lock, ...).
    path.write_text(hostile_note("Locked", count=3), encoding="utf-8")
    _deny_read_bytes(monkeypatch, path, PermissionError(13, "Permission denied", str(path)))
    report = run(engine, root)

    assert warnings_about(report, path) == [f"{path}: cannot read (Permission denied); skipped"]
    assert (report.files_skipped, report.files_unchanged, report.files_removed) == (1, 1, 0)
    assert report.highlights_retired == 0
    assert [r[4] for r in highlight_rows(engine, [hostile_url("h", 1), hostile_url("h", 2)])] == [0, 0]
    assert highlight_rows(engine, [hostile_url("h", 3)]) == []
    assert_good_imported(engine)


def test_unreadable_folder_chmod_000(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    folder = root / "Private"
    folder.mkdir()
    (folder / "Secret.md").write_text(hostile_note("Secret"), encoding="utf-8")
    folder.chmod(0)
    try:
        if os.access(folder, os.R_OK):
            pytest.skip("running as a user who can list a mode-000 folder (root)")
        report = run(engine, root)
    finally:
        folder.chmod(stat.S_IRWXU)
    (warning,) = [w for w in report.warnings if w.startswith(str(folder))]
    assert "cannot list folder" in warning and "Permission denied" in warning
    assert imported_paths(engine) == [GOOD_PATH]
    assert_good_imported(engine)


def test_unlistable_folder_gives_a_warning_and_the_rest_is_imported(
    tmp_path: Path, engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = good_vault(tmp_path)
    folder = root / "Private"
    folder.mkdir()
    (folder / "Secret.md").write_text(hostile_note("Secret"), encoding="utf-8")
    _deny_listing(monkeypatch, folder)
    report = run(engine, root)

    assert report.warnings == [f"{folder}: cannot list folder (Permission denied); what was imported from it is kept"]
    assert report.partial  # exit code 3: something in the vault was not imported
    assert imported_paths(engine) == [GOOD_PATH]
    assert highlight_rows(engine, [hostile_url("h", 1)]) == []
    assert_good_imported(engine)


def test_folder_that_becomes_unlistable_does_not_retire_its_highlights(
    tmp_path: Path, engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder we cannot list is not a folder whose notes were deleted: as with an
    # unreadable file, what was imported from it must stay (not retired, not "removed").
    root = good_vault(tmp_path)
    folder = root / "Private"
    folder.mkdir()
    (folder / "Secret.md").write_text(hostile_note("Secret"), encoding="utf-8")
    assert run(engine, root).highlights_new == 4

    _deny_listing(monkeypatch, folder)
    report = run(engine, root)

    assert report.warnings == [f"{folder}: cannot list folder (Permission denied); what was imported from it is kept"]
    assert (report.files_removed, report.highlights_retired) == (0, 0)
    assert [r[4] for r in highlight_rows(engine, [hostile_url("h", 1), hostile_url("h", 2)])] == [0, 0]
    assert "Private/Secret.md" in imported_paths(engine)


def test_file_deleted_between_walk_and_read(tmp_path: Path, engine, monkeypatch: pytest.MonkeyPatch) -> None:
    root = good_vault(tmp_path)
    victim = root / "Readwise" / "Articles" / "Fleeting.md"
    victim.write_text(hostile_note("Fleeting"), encoding="utf-8")
    real_walk = sync.walk_vault

    def walk_then_delete(walk_root: Path, *args):
        entries = list(real_walk(walk_root, *args))
        assert "Readwise/Articles/Fleeting.md" in [e.rel for e in entries]
        victim.unlink()  # deleted by a sync client after the walk saw it
        yield from entries

    monkeypatch.setattr(sync, "walk_vault", walk_then_delete)
    report = run(engine, root)

    assert warnings_about(report, victim) == [f"{victim}: cannot read (vanished during the import); skipped"]
    assert (report.files_skipped, report.files_read) == (1, 1)
    assert imported_paths(engine) == [GOOD_PATH]
    assert_good_imported(engine)


def test_file_vanishing_during_read_via_read_bytes(tmp_path: Path, engine, monkeypatch: pytest.MonkeyPatch) -> None:
    root = good_vault(tmp_path)
    victim = root / "Gone.md"
    victim.write_text(hostile_note("Gone"), encoding="utf-8")
    _deny_read_bytes(monkeypatch, victim, FileNotFoundError(2, "No such file or directory", str(victim)))
    report = run(engine, root)

    assert warnings_about(report, victim) == [f"{victim}: cannot read (vanished during the import); skipped"]
    assert report.files_skipped == 1
    assert_good_imported(engine)


# --------------------------------------------------------------------------- links and hidden folders


def test_symlink_loops_import_each_file_once(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    books = root / "Readwise" / "Books"
    books.mkdir()
    (books / "Book.md").write_text(hostile_note("Book", tag="b"), encoding="utf-8")
    (books / "up").symlink_to("..")  # -> Readwise
    (books / "top").symlink_to("../..")  # -> the vault itself
    (root / "Readwise" / "Articles" / "again").symlink_to("../Articles")  # -> its own folder
    report = run(engine, root)

    assert report.warnings == []
    assert (report.files_read, report.highlights_new) == (2, 4)
    assert imported_paths(engine) == ["Readwise/Articles/Good Article.md", "Readwise/Books/Book.md"]
    assert rows(engine, "SELECT count(*), count(DISTINCT highlight_id) FROM occurrences") == [(4, 4)]
    assert_good_imported(engine)


def test_symlinked_folder_elsewhere_is_not_followed(tmp_path: Path, engine) -> None:
    root = good_vault(tmp_path)
    elsewhere = tmp_path / "elsewhere" / "Kindle"
    elsewhere.mkdir(parents=True)
    (elsewhere / "Ext.md").write_text(hostile_note("Ext", tag="e"), encoding="utf-8")
    (root / "Linked").symlink_to(elsewhere, target_is_directory=True)
    report = run(engine, root)

    assert report.warnings == [f"{root / 'Linked'}: a link to {elsewhere}, outside the vault; not followed"]
    assert report.warning_kinds == ["symlink"] and report.partial
    assert imported_paths(engine) == [GOOD_PATH]
    assert highlight_rows(engine, [hostile_url("e", 1), hostile_url("e", 2)]) == []
    assert_good_imported(engine)


def test_dot_obsidian_is_never_read(tmp_path: Path, engine, monkeypatch: pytest.MonkeyPatch) -> None:
    root = good_vault(tmp_path)
    hidden = root / ".obsidian"
    plugin = hidden / "plugins" / "readwise-official"
    plugin.mkdir(parents=True)
    (hidden / "Stray Note.md").write_text(hostile_note("Stray", tag="o"), encoding="utf-8")
    (plugin / "data.json").write_text('{"token": "not-a-real-token"}', encoding="utf-8")
    (plugin / "Cached.md").write_text(hostile_note("Cached", tag="p"), encoding="utf-8")
    touched: list[str] = []
    real_scandir, real_read = os.scandir, Path.read_bytes

    def scandir(path=".", *args, **kwargs):
        touched.append(str(path))
        return real_scandir(path, *args, **kwargs)

    def read_bytes(self: Path) -> bytes:
        touched.append(str(self))
        return real_read(self)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    hidden.chmod(0)
    try:
        report = run(engine, root)
    finally:
        hidden.chmod(stat.S_IRWXU)

    assert touched, "the spies saw nothing: the importer no longer uses os.scandir / Path.read_bytes"
    assert not [p for p in touched if ".obsidian" in p]
    assert not [w for w in report.warnings if ".obsidian" in w]
    assert imported_paths(engine) == [GOOD_PATH]
    assert highlight_rows(engine, [hostile_url("o", 1), hostile_url("p", 1)]) == []
    assert_good_imported(engine)


def test_long_runs_of_spaces_parse_in_linear_time() -> None:
    """Patterns anchored at the end of a line must not backtrack over whitespace runs
    (a quadratic pattern takes minutes here, so a regression shows as a hung test)."""
    spaces = " " * 200_000
    text = f"## Metadata\n- Author:{spaces}Ann{spaces}\n## Highlights{spaces}\n- a{spaces}b{spaces}(Location\u00a07){spaces}\n"
    note = parse_note(text, "Readwise/Books/x.md")
    assert note.author == "Ann"
    assert [(h.text, h.location) for h in note.highlights] == [(f"a{spaces}b", "Location 7")]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("Daily/d.md", "Total:" + " " * 200_000 + "x\n"),
        ("Readwise/x.md", "# " + "[" * 200_000 + "\n## Highlights\n- a\n"),
        ("Readwise/x.md", "## Highlights\n- " + "# " * 100_000 + "x\n"),
        ("Readwise/x.md", "## Highlights\n- a" + " " * 200_000 + "b [View Highlight](u)\n"),
        ("Readwise/x.md", "## Highlights\n- a\n" + " " * 200_000 + "b\n"),
        ("Readwise/x.md", "## Highlights\n- a\n    - Tags: " + "[" * 200_000 + "\n"),
        ("Readwise/x.md", "## Highlights " + "(" * 200_000 + "x\n- a\n"),
        ("Readwise/x.md", "## Highlights\n- a" + " \u2014 Group: x" * 20_000 + "\n"),
        ("Zotero/x.md", "*\u00ab a \u00bb*([1](zotero://open-pdf/x))\n" + "*\u00ab" * 100_000 + "\n"),
        ("Zotero/x.md", "[Go](zotero://open-pdf/x) " + '"([' * 70_000 + "\n"),
        ("Readwise/x.md", "## Highlights\n- a ([Location 1](x))\n" + "#a[[b]]" * 30_000 + " (\n"),
    ],
    ids=["metadata", "title", "heading-item", "dash", "dataview", "tags", "heading", "groups", "zotero-quote", "zotero-note",
         "links"],
)
def test_pathological_runs_parse_in_linear_time(path: str, text: str) -> None:
    """Each of these took minutes with a pattern that backtracks; a regression hangs here."""
    try:
        note = parse_note(text, path)
    except NotAHighlightNote:
        return
    assert all(len(h.text) <= len(text) for h in note.highlights)
