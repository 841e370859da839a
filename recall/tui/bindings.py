"""Every key of the review app as a Textual Binding, made from ``recall.keys`` (the ids
``[keymap]`` names), plus the grade keys of the configured preset."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual.binding import Binding

from recall.keys import APP_KEYS, CARD_KEYS, EMPTY_KEYS, LINKS_KEYS, STATS_KEYS, SUMMARY_KEYS, Key, grade_key_id
from recall.vocabulary import PRESETS

GRADE_GROUP = Binding.Group("Grade")
GRADE_HINTS = {
    0: "no memory of it at all",
    1: "wrong, but familiar once seen",
    2: "wrong, though it seemed easy",
    3: "right, with serious difficulty",
    4: "right, after a hesitation",
    5: "right at once",
}
"""Short forms of SuperMemo's grade wording (vocabulary.GRADE_DESCRIPTIONS), to fit the keys panel."""


def grade_bindings(preset: str) -> list[Binding]:
    return [
        Binding(
            button.key, f"grade({button.grade})", button.caption, show=False, id=grade_key_id(preset, button),
            tooltip=f"({button.grade}) {GRADE_HINTS[button.grade]}", group=GRADE_GROUP,
        )  # not in the footer: the grade bar right above it shows them, with their captions
        for button in PRESETS[preset]
    ]


def grade_buttons(
    preset: str, keymap: Mapping[str, str], key_display: Callable[[Binding], str]
) -> list[tuple[str, int, str]]:
    """(key as displayed, grade, caption) for the grade bar, following the keymap."""
    buttons = []
    for binding, button in zip(grade_bindings(preset), PRESETS[preset], strict=True):
        keys = keymap.get(binding.id or "", binding.key)
        key = keys.split(",")[0].strip() or binding.key
        buttons.append((key_display(binding.with_key(key)), button.grade, button.caption))
    return buttons


def bindings(keys: tuple[Key, ...]) -> list[Binding]:
    """The Textual bindings of ``keys`` (``recall.keys``)."""
    return [
        Binding(key.key, key.action, key.description, key.show, id=key.id, tooltip=key.tooltip, priority=key.priority,
                group=_GROUPS.setdefault(key.group, Binding.Group(key.group)) if key.group else None)
        for key in keys
    ]


_GROUPS: dict[str, Binding.Group] = {}


CARD_BINDINGS = bindings(CARD_KEYS)
APP_BINDINGS = bindings(APP_KEYS)
EMPTY_BINDINGS = bindings(EMPTY_KEYS)
SUMMARY_BINDINGS = bindings(SUMMARY_KEYS)
STATS_BINDINGS = bindings(STATS_KEYS)
LINKS_BINDINGS = bindings(LINKS_KEYS)
