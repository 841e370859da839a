"""How the review app looks: card (short, long), keys panel, summary, empty state.

Fixed data (seeded, not the sample vault, so these change only when the app does),
fixed clock, fixed size and Textual's default theme. Regenerate deliberately with
``pytest tests/tui --snapshot-update`` and look at the SVGs in ``__snapshots__/``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from review_support import make_app, ready, seed

from recall.db.engine import writing

DAY = date(2026, 3, 2)

LONG = "\n\n".join(
    [
        "The index card did not win because it was clever. It won because it was **small enough to "
        "be wrong cheaply**: a card could be written in a minute, filed in a second, and thrown away "
        "without ceremony.",
        "Librarians in the 1890s argued about it for a decade. The bound ledger was permanent and "
        "orderly; the card drawer was loose, endlessly rearrangeable, and *therefore suspect*.",
        "What settled the argument was not a theory of knowledge but a practical one: catalogues "
        "grew faster than anyone could rebind them. Every new acquisition broke the order of the "
        "ledger; the drawer simply made room.",
        "> Order is not something you impose once. It is something you keep making.",
        "By 1910 the drawer had won almost everywhere, and with it came a new habit of mind: "
        "that a collection is never finished, only current.",
        "Read more in [the original essay](https://example.com/index-card).",
    ]
)


def seeded(engine, tmp_path, with_history: bool = True):
    ids = seed(engine, tmp_path, [
        {"title": "The Slow Apprentice", "author": "Maren Holt", "category": "books",
         "url": "https://example.com/slow-apprentice", "file": "Readwise/Books/The Slow Apprentice.md",
         "highlights": [
             {"text": "The apprentice who writes down *why* a cut went wrong learns twice: once at the bench "
                      "and once at the page.",
              "note": "Try this with the next refactor: a short note on what surprised me.",
              "tags": ["craft", "practice"], "chapter": "3. Learning in Public", "location": "Location 1042",
              "location_url": "https://readwise.io/open/1042", "due": (DAY - timedelta(days=3)).isoformat(),
              "repetitions": 2, "interval": 6},
         ]},
        {"title": "The Quiet History of the Index Card", "author": "Paper & Method", "category": "articles",
         "file": "Readwise/Articles/The Quiet History of the Index Card.md",
         "highlights": [
             {"text": LONG, "location": "View Highlight", "location_url": "https://read.readwise.io/read/x",
              "due": (DAY - timedelta(days=1)).isoformat(), "repetitions": 1, "interval": 1},
         ]},
        {"title": "Tweets From Dana Whitlock", "author": "@danawhitlock on Twitter", "category": "tweets",
         "highlights": [{"text": "Forgetting is not the enemy of memory. It is its editor. 📝"}]},
        {"title": "Small Poems for Large Rooms", "author": "Yara Haddad", "category": "books",
         "highlights": [{"text": "A room is a sentence the house keeps saying.", "due": "2026-03-04",
                         "repetitions": 1, "interval": 1}]},
    ])
    if with_history:  # graded on the three days before: a streak of 3
        with writing(engine) as c:
            for back in (1, 2, 3):
                c.exec_driver_sql(
                    "INSERT INTO reviews (highlight_id, reviewed_at, study_day, grade, kind, seconds,"
                    " repetitions_before, easiness_before, interval_before, repetitions_after, easiness_after,"
                    " interval_after) VALUES (?, ?, ?, 4, 'review', 3, 0, 250, 0, 1, 250, 1)",
                    (ids[3], f"{DAY - timedelta(days=back)} 08:00:00.000000", (DAY - timedelta(days=back)).isoformat()),
                )
    return ids


@pytest.fixture
def app(engine, tmp_path):
    """The seeded cards with the default keys and prompt: four grades, a cloze until Space."""
    seeded(engine, tmp_path)
    return make_app(engine, new_per_day=1, grade_preset="four", prompt="cloze")


def test_short_card(snap_compare, app) -> None:
    """A cloze: two blanks, the reveal key first on the bar, every grade with its interval."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_short_card_revealed(snap_compare, app) -> None:
    async def revealed(pilot) -> None:
        await ready(pilot)
        await pilot.press("space")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=revealed)


def test_cue_card(snap_compare, engine, tmp_path) -> None:
    """A cue: source, chapter, location, note and the first words."""
    seeded(engine, tmp_path)
    cue = make_app(engine, new_per_day=1, grade_preset="four", prompt="cue")
    assert snap_compare(cue, terminal_size=(80, 24), run_before=ready)


def test_long_card(snap_compare, app) -> None:
    async def second_card(pilot) -> None:
        await ready(pilot)
        await pilot.press("space", "3", "space")  # graded Good; the next card revealed
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=second_card)


def test_keys_panel(snap_compare, app) -> None:
    async def help_open(pilot) -> None:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=help_open)


def test_summary(snap_compare, app) -> None:
    async def finish(pilot) -> None:
        await ready(pilot)
        await pilot.press(*["space", "4", "space", "1", "space", "3", "space", "3"])  # the Again comes back as a drill
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=finish)


def test_nothing_due(snap_compare, engine, tmp_path) -> None:
    seeded(engine, tmp_path)
    with writing(engine) as c:
        c.exec_driver_sql(
            "UPDATE highlights SET due = '2026-03-03', repetitions = 1, interval = 1 WHERE due < '2026-03-03'"
        )
    assert snap_compare(make_app(engine, new_per_day=0), terminal_size=(80, 24), run_before=ready)


def test_nothing_imported(snap_compare, engine) -> None:
    assert snap_compare(make_app(engine), terminal_size=(80, 24), run_before=ready)


POEM = (
    "Whose woods these are I think I know.\nHis house is in the village though;\nHe will not see me stopping here\n"
    "To watch his woods fill up with snow.\n\n2) Then fold it twice.\n- a dash, # a hash, > a quote\n1984. **Orwell**"
)
WIDE = (
    "Weather ☁️ today, gears ⚙️ turning 👍: 漢字かな交じり文は一文字が二つ分の幅です。漢字かな交じり文は"
    "一文字が二つ分の幅です。![a figure](https://e.com/f.png) ==marked== end"
)


def one_card(engine, tmp_path, **highlight) -> None:
    seed(engine, tmp_path, [{"title": highlight.pop("title", "Small Poems for Large Rooms"), "author": "Yara Haddad",
                             "category": "books", "highlights": [highlight]}])


def test_poem_card(snap_compare, engine, tmp_path) -> None:
    one_card(engine, tmp_path, text=POEM, note="- first\n- *second*", location="Page 12")
    assert snap_compare(make_app(engine), terminal_size=(80, 30), run_before=ready)


def test_wide_characters_card(snap_compare, engine, tmp_path) -> None:
    one_card(engine, tmp_path, title="天気 ☁️ Weather", text=WIDE, note="メモ ⚙️ note", tags=["☁️", "漢字"],
             location="Location 7", location_url="https://e.com/7")
    assert snap_compare(make_app(engine), terminal_size=(80, 24), run_before=ready)


def test_chrome_80x24_four_preset(snap_compare, engine, tmp_path) -> None:
    seeded(engine, tmp_path)
    assert snap_compare(make_app(engine, new_per_day=1, grade_preset="four"), terminal_size=(80, 24),
                        run_before=ready)


def test_chrome_60x20(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=(60, 20), run_before=ready)


def test_link_list(snap_compare, app) -> None:
    async def links_open(pilot) -> None:
        await ready(pilot)
        await pilot.press("4", "l")  # the long card: a link in its text, and its location's
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=links_open)
