"""The daily queue's quality filter, favourites and source ids, end to end: a vault imported
into a real SQLite file, `recall due` and `recall rate` through the CLI on a fixed clock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import db_rows
from typer.testing import CliRunner

from recall.cli import app
from recall.quality import Measure, measure

runner = CliRunner()
DAY1, DAY2 = "2026-03-02T09:00:00+00:00", "2026-03-03T09:00:00+00:00"

NOTE = """\
# Quality Book
## Highlights
- Deep work is the ability to focus without distraction. ([View Highlight](https://read.readwise.io/read/01qaaaaaaaaaaaaaaaaaaaaaaa))
- Too short. ([View Highlight](https://read.readwise.io/read/01qbbbbbbbbbbbbbbbbbbbbbbb))
- ![](https://pbs.twimg.com/media/GfAch_xWsAA0Ph-.jpg) ([View Highlight](https://read.readwise.io/read/01qccccccccccccccccccccccc))
- AirrQuote ([Time 0:20:37](https://www.airr.io/quote/6166e4503b174903fa502d5c))
- **Four** [words](https://example.com/a) *are* here ([View Highlight](https://read.readwise.io/read/01qddddddddddddddddddddddd))
- 習慣は複利 ([View Highlight](https://read.readwise.io/read/01qeeeeeeeeeeeeeeeeeeeeeee))
"""
OTHER = """\
# 1984
## Highlights
- Who controls the past controls the future. ([View Highlight](https://read.readwise.io/read/01ofaaaaaaaaaaaaaaaaaaaaaa))
- Big Brother is watching you, always. ([View Highlight](https://read.readwise.io/read/01ofbbbbbbbbbbbbbbbbbbbbbb))
"""


@pytest.fixture
def cli(db_file: Path, monkeypatch: pytest.MonkeyPatch):
    def run(*args: str, now: str = DAY1, code: int = 0):
        monkeypatch.setenv("RECALL_NOW", now)
        result = runner.invoke(app, [*args, "--db", str(db_file)], catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return run


@pytest.fixture
def texts(cli, tmp_path: Path) -> dict[str, int]:
    """The vault imported: highlight text -> id."""
    vault = tmp_path / "vault" / "Readwise"
    vault.mkdir(parents=True)
    (vault / "Quality Book.md").write_text(NOTE, encoding="utf-8")
    (vault / "1984.md").write_text(OTHER, encoding="utf-8")
    cli("import", str(vault.parent))
    rows = map(json.loads, cli("export", "highlights").stdout.splitlines())
    return {row["text"]: row["id"] for row in rows}


def due(cli, *flags: str, now: str = DAY1) -> dict:
    return json.loads(cli("due", "--json", "--timezone", "UTC", *flags, now=now).stdout)


def queued(result: dict) -> set[int]:
    return {item["id"] for item in result["queue"]}


FRAGMENTS = ("Too short.", "![](https://pbs.twimg.com/media/GfAch_xWsAA0Ph-.jpg)", "AirrQuote")


def test_fragments_and_placeholders_stay_imported_but_out_of_the_daily_queue(cli, texts) -> None:
    assert len(texts) == 8  # all imported
    kept = {texts[t] for t in texts if t not in FRAGMENTS}
    today = due(cli)
    assert queued(today) == kept
    assert today["counts"] | {"left_out_due": 0, "left_out_new": 3} == today["counts"]
    assert today["counts"]["new_available"] == 5
    everything = due(cli, "--all")
    assert queued(everything) == set(texts.values())
    assert (everything["counts"]["left_out_new"], everything["counts"]["new_available"]) == (0, 8)


def test_a_due_fragment_is_left_out_too_and_counted(cli, texts) -> None:
    short = texts["Too short."]
    cli("rate", str(short), "4", "--timezone", "UTC")  # graded on its own: due the next day
    tomorrow = due(cli, now=DAY2)
    assert short not in queued(tomorrow)
    assert (tomorrow["counts"]["left_out_due"], tomorrow["counts"]["left_out_new"]) == (1, 2)
    assert tomorrow["counts"]["due_total"] == 0
    everything = due(cli, "--all", now=DAY2)
    assert everything["queue"][0]["id"] == short and everything["queue"][0]["kind"] == "due"


def test_min_words_is_a_setting_and_placeholders_stay_out_at_zero(cli, texts, recall_home: Path) -> None:
    recall_home.mkdir(parents=True, exist_ok=True)
    (recall_home / "config.toml").write_text("min_words = 10\n", encoding="utf-8")
    assert queued(due(cli)) == set()  # the longest highlight has 9 words
    (recall_home / "config.toml").write_text("min_words = 9\n", encoding="utf-8")
    assert queued(due(cli)) == {texts["Deep work is the ability to focus without distraction."]}
    (recall_home / "config.toml").write_text("min_words = 0\n", encoding="utf-8")
    zero = due(cli)
    assert queued(zero) == set(texts.values()) - {texts[FRAGMENTS[1]], texts[FRAGMENTS[2]]}
    assert zero["counts"]["left_out_new"] == 2


def test_an_edit_that_lengthens_a_fragment_brings_it_back(cli, texts, tmp_path: Path) -> None:
    note = tmp_path / "vault" / "Readwise" / "Quality Book.md"
    note.write_text(note.read_text(encoding="utf-8").replace("Too short.", "Too short, now long enough."), "utf-8")
    cli("import", str(tmp_path / "vault"))
    assert texts["Too short."] in queued(due(cli))


def test_favorites_only(cli, texts) -> None:
    assert queued(due(cli, "--favorites")) == set()
    deep, short = texts["Deep work is the ability to focus without distraction."], texts["Too short."]
    cli("favorite", str(deep))
    cli("favorite", str(short))
    assert queued(due(cli, "--favorites")) == {deep}  # a favourite fragment is still a fragment
    assert queued(due(cli, "--favourites", "--all")) == {deep, short}
    cli("favorite", str(deep), "--off")
    assert queued(due(cli, "--favorites")) == set()


def test_source_by_id_or_by_title(cli, texts, db_file: Path) -> None:
    orwell = {texts["Who controls the past controls the future."], texts["Big Brother is watching you, always."]}
    ((book,),) = db_rows(db_file, "SELECT id FROM sources WHERE title = 'Quality Book'")
    assert queued(due(cli, "--source", str(book))) == {texts[t] for t in texts if t not in FRAGMENTS} - orwell
    assert queued(due(cli, "--source", "1984")) == orwell  # a number that is no source's id: the title
    assert queued(due(cli, "--source", "quality")) == queued(due(cli, "--source", str(book)))
    assert queued(due(cli, "--source", str(book) + "0")) == set()
    assert queued(due(cli, "--source", "99999999999999999999999")) == set()  # past SQLite's integers: a title
    assert queued(due(cli, "--source", "٣")) == set()  # another script's digit is not an id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deep work is the ability to focus.", Measure(7, False)),
        ("**Four** [words](https://example.com/a) *are* here", Measure(4, False)),
        ("![](https://x.test/a.jpg)", Measure(0, True)),
        ("![cover](https://x.test/a.jpg) ![[b.png]] <img src='c.png'>", Measure(0, True)),
        ("Read this ![](https://x.test/a.jpg)", Measure(2, False)),
        ("  airrquote ", Measure(0, True)),
        ("AirrQuote, they said", Measure(3, False)),
        ("> quote - with * marks ** and # —", Measure(4, False)),
        ("[[Target note|the alias]] and [[Plain]]", Measure(4, False)),
        ("<mark>one</mark> two<br/>three", Measure(3, False)),
        ("footnote[^1] here", Measure(2, False)),
        ("See <https://example.com>", Measure(2, False)),
        ("習慣は複利", Measure(5, False)),
        ("In 2026 習慣", Measure(4, False)),
        ("", Measure(0, False)),
        ("_ __ ...", Measure(0, False)),
    ],
)
def test_what_counts_as_a_word(text: str, expected: Measure) -> None:
    assert measure(text) == expected
