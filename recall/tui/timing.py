"""Start-up timing: how long until the first card is on screen.

The app records milestones (first paint, data loaded, first card) in
``RecallApp.startup``, in milliseconds since ``recall review`` started, and
appends them as one JSON line to ``$RECALL_STARTUP_LOG`` when that is set, so a
benchmark can read the figure without scraping the screen.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

STARTUP_LOG_ENV = "RECALL_STARTUP_LOG"


def process_age_ms() -> float | None:
    """Milliseconds since this process started (Linux only; ``None`` elsewhere), 10 ms resolution."""
    try:
        stat = Path("/proc/self/stat").read_text()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, "starttime"
        return round((uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000, 1)
    except (OSError, ValueError, IndexError):
        return None


class StartupTimer:
    """Milestones measured with ``perf_counter`` from ``started``."""

    def __init__(self, started: float | None = None) -> None:
        self.started = time.perf_counter() if started is None else started
        self.marks: dict[str, float] = {}

    def mark(self, name: str) -> float:
        """Record ``name`` once (the first time wins); returns its time in ms."""
        if name not in self.marks:
            self.marks[name] = round((time.perf_counter() - self.started) * 1000, 1)
        return self.marks[name]

    def write(self, **extra: object) -> None:
        """Append the milestones (and ``extra``) to ``$RECALL_STARTUP_LOG`` if it is set."""
        target = os.environ.get(STARTUP_LOG_ENV)
        if not target:
            return
        record = {**self.marks, "process_ms": process_age_ms(), **extra}
        try:
            with open(target, "a", encoding="utf-8") as log:
                log.write(json.dumps(record) + "\n")
        except OSError:
            pass  # a benchmark aid must never break a review
