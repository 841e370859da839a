"""The reference for the review app's start-up: a minimal Textual app (Header, one
Static, Footer) that records the time from process start to its first paint and exits.

It appends one JSON line to ``$RECALL_STARTUP_LOG`` (when set) the way ``recall review``
does at its first card (see recall/tui/timing.py), with the same keys:
``first_paint_ms`` / ``first_card_ms`` (ms since this module started, perf_counter) and
``process_ms`` (ms since the process started, from /proc, 10 ms resolution; Linux only).
It imports nothing from recall, so the reference carries none of recall's cost.

    python bench/bare_textual.py          # in a terminal: flashes its first frame and exits

Set ``BARE_TEXTUAL_STAY=1`` to keep it on screen (q quits).
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import Footer, Header, Static  # noqa: E402


def process_age_ms() -> float | None:
    """Milliseconds since this process started (Linux only), 10 ms resolution."""
    try:
        with open("/proc/self/stat") as stat, open("/proc/uptime") as uptime:
            start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])  # field 22, "starttime"
            up = float(uptime.read().split()[0])
        return round((up - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000, 1)
    except (OSError, ValueError, IndexError):
        return None


class Bare(App[None]):
    TITLE = "bare"
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("A highlight worth remembering.")
        yield Footer()

    def on_ready(self) -> None:  # Textual: "the DOM is ready and the first frame has been displayed"
        painted = round((time.perf_counter() - STARTED) * 1000, 1)
        target = os.environ.get("RECALL_STARTUP_LOG")
        if target:
            record = {"first_paint_ms": painted, "first_card_ms": painted, "process_ms": process_age_ms(),
                      "kind": "bare"}
            with open(target, "a", encoding="utf-8") as log:
                log.write(json.dumps(record) + "\n")
        if not os.environ.get("BARE_TEXTUAL_STAY"):
            self.exit()


if __name__ == "__main__":
    Bare().run()
