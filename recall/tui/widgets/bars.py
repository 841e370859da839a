"""The session bar (progress, today's count, streak) and the grade bar under the card."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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
    """The grade keys like buttons under the card (click to grade), each with its caption and
    what it would do (the next interval, "1d", "15d"); before the reveal, the reveal key first.

    The buttons are three spaces apart, closer when the screen is too narrow for that, and on
    two lines when even that does not fit (the six ``sm2`` grades with their intervals at 60
    columns): every grade stays on screen.
    """

    buttons: list[Content]

    def show_grades(
        self,
        grades: Iterable[tuple[str, int, str]],
        outcomes: Mapping[int, str] | None = None,
        reveal_key: str | None = None,
    ) -> None:
        """``grades``: (key as displayed, grade, caption) for each button of the preset;
        ``outcomes``: a short label per grade; ``reveal_key``: the key that reveals the card,
        while it is not revealed (the grades are dimmed until then)."""
        labels = outcomes or {}
        style = "$text-muted" if reveal_key else "$accent"
        self.buttons = [
            Content.from_markup(
                f"[@click=screen.grade({int(grade)})][bold {style}]$key[/] $caption[/]", key=key, caption=caption
            ).append(Content.styled(f" {labels[grade]}", "$text-muted") if grade in labels else Content())
            for key, grade, caption in grades
        ]
        if reveal_key:
            reveal = Content.from_markup("[@click=screen.reveal][bold $accent]$key[/] Reveal[/]", key=reveal_key)
            self.buttons.insert(0, reveal)
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """One line with the widest gap that fits; two balanced lines when none does (never a
        button cut in two)."""
        width = self.content_size.width or self.app.size.width
        buttons = getattr(self, "buttons", [])
        for gap in ("   ", "  ", " "):
            content = Content(gap).join(buttons)
            if content.cell_length <= width:
                self.update(content)
                return
        half = (len(buttons) + 1) // 2
        self.update(Content("\n").join([Content("  ").join(buttons[:half]), Content("  ").join(buttons[half:])]))
