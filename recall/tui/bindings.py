"""Every key of the review app, each a Binding with a stable id for ``[keymap]`` in config.toml.

Grade keys come from the configured preset (``recall.scheduler.sm2.PRESETS``):
ids ``grade_0`` … ``grade_5`` for the SM-2 preset and ``grade_again``,
``grade_hard``, ``grade_good``, ``grade_easy`` for the four-button one.
"""

from __future__ import annotations

from textual.binding import Binding

from recall.scheduler.sm2 import PRESETS, GradeButton

GRADE_GROUP = Binding.Group("Grade")
GRADE_HINTS = {
    0: "no memory of it at all",
    1: "wrong, but familiar once seen",
    2: "wrong, though it seemed easy",
    3: "right, with serious difficulty",
    4: "right, after a hesitation",
    5: "right at once",
}
"""Short forms of SuperMemo's grade wording (sm2.GRADE_DESCRIPTIONS), to fit the keys panel."""


def grade_binding_id(preset: str, button: GradeButton) -> str:
    return f"grade_{button.grade}" if preset == "sm2" else f"grade_{button.caption.lower()}"


def grade_bindings(preset: str) -> list[Binding]:
    return [
        Binding(
            button.key, f"grade({button.grade})", button.caption, id=grade_binding_id(preset, button),
            tooltip=f"({button.grade}) {GRADE_HINTS[button.grade]}", group=GRADE_GROUP,
        )
        for button in PRESETS[preset]
    ]


UNDO = Binding("u", "undo", "Undo", id="undo", tooltip="Take back the last grade, skip, discard or favourite")
CARD_BINDINGS: list[Binding] = [
    UNDO,
    Binding("s", "skip", "Skip", id="skip", tooltip="Not today: it comes back tomorrow"),
    Binding("d", "discard", "Discard", id="discard", tooltip="Never show it again (u brings it back)"),
    Binding("f", "favorite", "Fav", id="favorite", tooltip="Mark or unmark as a favourite"),
    Binding("o", "open_link", "Link", id="open_link", tooltip="Open the source link in the browser"),
    Binding("e", "edit_note", "Edit", id="edit_note", tooltip="Open the note in $EDITOR at this highlight"),
]
APP_BINDINGS: list[Binding] = [
    Binding("t", "show_stats", "Stats", id="stats", tooltip="Streaks, the year's heatmap and the coming load"),
    Binding("question_mark", "toggle_help", "Keys", id="help", tooltip="Show or hide the keys and help"),
    Binding("q", "quit", "Quit", id="quit", tooltip="Quit (every grade is already saved)"),
]
EMPTY_BINDINGS: list[Binding] = [
    Binding("a", "review_ahead", "Review ahead", id="review_ahead", tooltip="Review the highlights due soonest"),
    Binding("n", "more_new", "New ones", id="more_new", tooltip="Take some new highlights beyond today's limit"),
]
SUMMARY_BINDINGS: list[Binding] = [UNDO]
STATS_BINDINGS: list[Binding] = [
    Binding("escape,q", "close_stats", "Close", id="stats_close", tooltip="Back to where you were"),
    Binding("r", "refresh_stats", "Refresh", id="stats_refresh", tooltip="Count again from the review log"),
]


def known_ids() -> set[str]:
    """Every binding id a keymap may name."""
    ids = {b.id for b in CARD_BINDINGS + APP_BINDINGS + EMPTY_BINDINGS + STATS_BINDINGS}
    ids |= {b.id for preset in PRESETS for b in grade_bindings(preset)}
    return {i for i in ids if i}
