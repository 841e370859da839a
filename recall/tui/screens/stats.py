"""The stats screen: the year's heatmap, the streaks and the coming load.

Push it with just a context: ``app.push_screen(StatsScreen(context))``. The
figures are gathered in a thread worker (the whole review log is aggregated), and
drawn with the same pieces as ``recall stats``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from recall.tui.bindings import STATS_BINDINGS
from recall.tui.widgets.heatmap import Heatmap

if TYPE_CHECKING:
    from recall.context import Context
    from recall.stats.render import Row
    from recall.stats.report import StatsReport



class StatsScreen(Screen[None]):
    """Heatmap of the last 12 months, current and longest streak, totals and the due forecast."""

    BINDINGS: ClassVar[list[BindingType]] = [*STATS_BINDINGS]
    HELP = """\
## Stats

The heatmap shows your graded reviews per study day over the last year, one
column per week (Monday on top); the brighter, the more reviews.

A study day counts for the streak when it has at least one graded review;
drills and skips don't count. The current streak stays alive until today ends.

`recall stats` prints the same report in the terminal, and
`recall export stats` writes the daily series as CSV or JSON.
"""
    DEFAULT_CSS = """
    StatsScreen #stats-body {
        padding: 1 2;
    }
    StatsScreen #stats-heatmap {
        margin: 1 0 0 0;
    }
    StatsScreen #stats-figures {
        margin: 1 0 0 0;
    }
    """

    def __init__(self, context: Context, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.recall_context = context
        self.stats_report: StatsReport | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-body"):
            yield Static("Counting…", id="stats-heading")
            yield Heatmap(id="stats-heatmap")
            yield Static(id="stats-legend")
            yield Static(id="stats-figures")
        yield Footer()

    def on_mount(self) -> None:
        self.load_stats()

    @work(thread=True, exclusive=True, group="stats")
    def load_stats(self) -> None:
        from recall.stats.report import gather

        try:
            report = gather(self.recall_context)
        except Exception as error:  # a locked or damaged database must not take the review app down
            self.app.call_from_thread(self.notify, f"Cannot count the stats: {error}", severity="error")
            return
        self.app.call_from_thread(self.show_report, report)

    def show_report(self, report: StatsReport) -> None:
        """Draw ``report`` (called on the app's thread once the worker has gathered it)."""
        from rich.text import Text

        from recall.stats.render import forecast_rows, grid, heading, heatmap_caption, heatmap_counts, streak_rows

        if not self.is_attached:  # closed while counting
            return
        self.stats_report = report
        self.query_one("#stats-heading", Static).update(heading(report))
        self.query_one("#stats-heatmap", Heatmap).show(heatmap_counts(report), report.today)
        self.query_one("#stats-legend", Static).update(heatmap_caption(report))
        self.query_one("#stats-figures", Static).update(
            grid(streak_rows(report), retention_rows(report), [("", Text())], forecast_rows(report))
        )

    def action_close_stats(self) -> None:
        self.dismiss(None)

    def action_refresh_stats(self) -> None:
        self.load_stats()


def retention_rows(report: StatsReport) -> list[Row]:
    """The all-time rows the screen has room for: reviews, retention and time."""
    from recall.stats.render import totals_rows

    return [row for row in totals_rows(report) if row[0] in ("Reviews", "Retention", "Time")]
