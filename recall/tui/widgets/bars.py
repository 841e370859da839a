"""The session bar (progress, today's count, streak) and the grade bar under the card."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from recall.tui.data import TodayFigures
from recall.tui.text import one_line


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


class SessionBar(Horizontal):
    """One line at the top: where you are, and how today is going.

    ``progress`` and ``today`` are reactive: the app sets them (``today`` on the
    bar of every screen on the stack) and the bar redraws itself.
    """

    progress: reactive[str] = reactive("")
    """Where the session is: "3 of 20", "drills · 2 left", or nothing."""
    today: reactive[TodayFigures] = reactive(TodayFigures)
    """Highlights reviewed today and the streak."""

    def __init__(self, mode: str, where: str, today: TodayFigures | None = None, *, id: str | None = None) -> None:
        """``mode`` and ``where`` (the command line's filter, described) on the left; ``today`` to start from."""
        super().__init__(id=id)
        self.mode = mode
        self.where = where
        if today is not None:
            self.set_reactive(SessionBar.today, today)

    def compose(self) -> ComposeResult:
        yield Static(id="bar-left", markup=False)
        yield Static(id="bar-right", markup=False)

    def watch_progress(self) -> None:
        self._draw()

    def watch_today(self) -> None:
        self._draw()

    def _draw(self) -> None:
        left = Content.assemble(("recall", "bold $accent"), "  ", (self.mode, "bold"))
        if self.where:
            left = left.append(Content.styled("  " + one_line(self.where), "$text-muted"))
        right = Content(" · ").join(
            part
            for part in (
                Content.styled(self.progress, "bold") if self.progress else None,
                Content(f"{self.today.reviewed} today"),
                Content(f"streak {plural(self.today.streak, 'day')}"),
            )
            if part is not None
        )
        self.query_one("#bar-left", Static).update(left)
        self.query_one("#bar-right", Static).update(right)


class GradeBar(Static):
    """The grade keys with their captions, like buttons under the card (click to grade).

    The buttons are three spaces apart, closer when the screen is too narrow for that (every
    grade stays on screen at 60 columns), and wrap onto a second line only below that.
    """

    buttons: list[Content]

    def show_grades(self, grades: Iterable[tuple[str, int, str]]) -> None:
        """``grades``: (key as displayed, grade, caption) for each button of the preset."""
        self.buttons = [
            Content.from_markup(
                f"[@click=screen.grade({int(grade)})][bold $accent]$key[/] $caption[/]", key=key, caption=caption
            )
            for key, grade, caption in grades
        ]
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        width = self.content_size.width or self.app.size.width
        for gap in ("   ", "  ", " "):
            content = Content(gap).join(getattr(self, "buttons", []))
            if content.cell_length <= width:
                break
        self.update(content)
