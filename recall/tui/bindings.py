"""Every key of the review app as a Textual Binding, made from ``recall.keys`` (the ids
``[keymap]`` names), plus the grade keys of the configured preset."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual.binding import Binding

from recall.keys import APP_KEYS, CARD_KEYS, EMPTY_KEYS, LINKS_KEYS, STATS_KEYS, SUMMARY_KEYS, Key, grade_key_id
from recall.vocabulary import PRESETS

GRADE_GROUP = Binding.Group("Grade")
GRADE_HINTS = {
    "sm2": {
        0: "no memory of it at all",
        1: "wrong, but familiar once seen",
        2: "wrong, though it seemed easy",
        3: "right, with serious difficulty",
        4: "right, after a hesitation",
        5: "right at once",
    },
    "four": {
        2: "I had forgotten it",
        3: "I remembered it, with effort",
        4: "I remembered it",
        5: "I knew it at once",
    },
}
"""What each grade means, per preset, to fit the keys panel: for ``sm2`` short forms of
SuperMemo's wording (vocabulary.GRADE_DESCRIPTIONS); for ``four`` the highlight's view."""


def grade_hint(preset: str, grade: int) -> str:
    """The help panel's line for a grade key: "(3) right, with serious difficulty" (``sm2``, whose
    keys are the grades) or "I had forgotten it (SM-2 grade 2)" (``four``)."""
    hint = GRADE_HINTS[preset][grade]
    return f"({grade}) {hint}" if preset == "sm2" else f"{hint} (SM-2 grade {grade})"


def grade_bindings(preset: str) -> list[Binding]:
    return [
        Binding(
            button.key, f"grade({button.grade})", button.caption, show=False, id=grade_key_id(preset, button),
            tooltip=grade_hint(preset, button.grade), group=GRADE_GROUP,
        )  # not in the footer: the grade bar right above it shows them, with their captions
        for button in PRESETS[preset]
    ]


def key_shown(binding: Binding, keymap: Mapping[str, str], key_display: Callable[[Binding], str]) -> str:
    """How ``binding``'s first key is displayed, following the keymap (``[keymap]`` in config.toml)."""
    keys = keymap.get(binding.id or "", binding.key)
    key = keys.split(",")[0].strip() or binding.key
    return key_display(binding.with_key(key))


def grade_buttons(
    preset: str, keymap: Mapping[str, str], key_display: Callable[[Binding], str]
) -> list[tuple[str, int, str]]:
    """(key as displayed, grade, caption) for the grade bar, following the keymap."""
    return [
        (key_shown(binding, keymap, key_display), button.grade, button.caption)
        for binding, button in zip(grade_bindings(preset), PRESETS[preset], strict=True)
    ]


def reveal_key_shown(keymap: Mapping[str, str], key_display: Callable[[Binding], str]) -> str:
    """How the reveal key is displayed in the grade bar, following the keymap."""
    return key_shown(next(b for b in CARD_BINDINGS if b.id == "reveal"), keymap, key_display)


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
