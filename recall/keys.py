"""Every key of the review app, with the stable id that ``[keymap]`` in config.toml names.

Plain data, without Textual, so that the settings can be checked (an unknown id is an
error, like an unknown setting) by commands that never load the review app;
``recall/tui/bindings.py`` turns each into a Textual binding. Grade keys come from the
preset (``recall.vocabulary.PRESETS``): ids ``grade_0`` … ``grade_5`` for ``sm2``,
``grade_again``, ``grade_hard``, ``grade_good``, ``grade_easy`` for ``four``.
"""

from __future__ import annotations

from dataclasses import dataclass

from recall.vocabulary import PRESETS, GradeButton


@dataclass(frozen=True)
class Key:
    """One key: its binding ``id``, default ``key`` (or "key1,key2"), the app's ``action``,
    the short ``description`` shown in the key bar and the ``tooltip`` shown in help; ``show``
    False keeps it out of the key bar, ``priority`` makes it work on every screen and dialog, and
    keys of one ``group`` share one label in the key bar ("o l Links"), to fit 80 columns."""

    id: str
    key: str
    action: str
    description: str
    tooltip: str
    show: bool = True
    priority: bool = False
    group: str | None = None


UNDO = Key("undo", "u", "undo", "Undo", "Take back the last grade, skip, discard, favourite or frequency change")
CARD_KEYS = (
    Key("reveal", "space,enter", "reveal", "Reveal", "Show the whole highlight, then grade it", show=False),  # in the grade bar
    UNDO,
    Key("skip", "s", "skip", "Skip", "Not today: it comes back tomorrow"),
    Key("discard", "d", "discard", "Discard", "Never show it again (u brings it back)"),
    Key("favorite", "f", "favorite", "Fav", "Mark or unmark as a favourite"),
    Key("open_link", "o", "open_link", "Open the location", "Open the highlight's location (or source) link in the browser",
        group="Links"),
    Key("list_links", "l", "list_links", "List every link", "List the links in the highlight and its note, to open one",
        group="Links"),
    Key("edit_note", "e", "edit_note", "Edit", "Open the note in $EDITOR at this highlight"),
    Key("more_often", "plus", "more_often", "More often",
        "Show this highlight's source more often: its next intervals ×0.5 (never, rarely, less, normal, more)",
        group="Freq"),
    Key("less_often", "minus", "less_often", "Less often",
        "Show this highlight's source less often: its next intervals ×2, ×4, then never (u brings it back)",
        group="Freq"),
)
APP_KEYS = (
    Key("stats", "t", "show_stats", "Stats", "Streaks, the year's heatmap and the coming load"),
    Key("help", "question_mark", "toggle_help", "Keys", "Show or hide the keys and help"),
    Key("quit", "q", "quit", "Quit", "Quit (every grade is already saved)"),
    Key("interrupt", "ctrl+c", "quit", "Quit", "Quit, as q does (every grade is already saved)", show=False,
        priority=True),
)
EMPTY_KEYS = (
    Key("review_ahead", "a", "review_ahead", "Review ahead", "Review the highlights due soonest"),
    Key("more_new", "n", "more_new", "New ones", "Take some new highlights beyond today's limit"),
)
SUMMARY_KEYS = (UNDO,)
LINKS_KEYS = (Key("links_close", "escape", "close", "Close", "Close the list of links"),)
STATS_KEYS = (
    Key("stats_close", "escape,q", "close_stats", "Close", "Back to where you were"),
    Key("stats_refresh", "r", "refresh_stats", "Refresh", "Count again from the review log"),
)


def grade_key_id(preset: str, button: GradeButton) -> str:
    """The binding id of a grade key: ``grade_4`` (``sm2``) or ``grade_good`` (``four``)."""
    return f"grade_{button.grade}" if preset == "sm2" else f"grade_{button.caption.lower()}"


def binding_ids() -> set[str]:
    """Every binding id a ``[keymap]`` may name, for every preset."""
    ids = {key.id for key in CARD_KEYS + APP_KEYS + EMPTY_KEYS + STATS_KEYS + LINKS_KEYS}
    return ids | {grade_key_id(preset, button) for preset, buttons in PRESETS.items() for button in buttons}
