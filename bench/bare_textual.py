"""The reference for the review app's start-up: a bare Textual app (header, text,
footer) that appends its milestones to ``$RECALL_STARTUP_LOG`` when its first
frame is up, the same way ``recall review`` does at its first card."""

from __future__ import annotations

import time

STARTED = time.perf_counter()

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import Footer, Header, Static  # noqa: E402


class Bare(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("A highlight worth remembering.")
        yield Footer()

    def on_ready(self) -> None:
        from recall.tui.timing import StartupTimer

        timer = StartupTimer(STARTED)
        timer.mark("first_card_ms")
        timer.write()


if __name__ == "__main__":
    Bare().run()
