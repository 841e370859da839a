"""The session bar (progress, today's count, streak) and the grade bar under the card."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from recall.tui.text import one_line


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


class SessionBar(Horizontal):
    """One line at the top: where you are, and how today is going."""

    def compose(self) -> ComposeResult:
        yield Static(id="bar-left", markup=False)
        yield Static(id="bar-right", markup=False)

    def update(self, mode: str, where: str, progress: str, today: int, streak: int) -> None:
        left = Content.assemble(("recall", "bold $accent"), "  ", (mode, "bold"))
        if where:
            left = left.append(Content.styled("  " + one_line(where), "$text-muted"))
        right = Content(" · ").join(
            part
            for part in (
                Content.styled(progress, "bold") if progress else None,
                Content(f"{today} today"),
                Content(f"streak {plural(streak, 'day')}"),
            )
            if part is not None
        )
        self.query_one("#bar-left", Static).update(left)
        self.query_one("#bar-right", Static).update(right)


class GradeBar(Static):
    """The grade keys with their captions, like buttons under the card (click to grade)."""

    def show_grades(self, grades: Iterable[tuple[str, int, str]]) -> None:
        """``grades``: (key as displayed, grade, caption) for each button of the preset."""
        parts = [
            Content.from_markup(
                f"[@click=screen.grade({int(grade)})][bold $accent]$key[/] $caption[/]", key=key, caption=caption
            )
            for key, grade, caption in grades
        ]
        self.update(Content("   ").join(parts))
