"""The calendar heatmap as a widget: a thin wrapper around the terminal report's renderable.

``recall.stats.render.CalendarHeatmap`` owns the cells, shades and month labels;
this widget only gives it a place in the layout, so ``recall stats`` and the
review app always draw the same picture.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from textual.widget import Widget

from recall.stats.render import HEATMAP_WEEKS, LABEL_WIDTH, CalendarHeatmap


class Heatmap(Widget):
    """Reviews per study day over the last year, weeks as columns (GitHub style).

    Nothing is drawn until ``show`` gives it counts and today's study day.
    """

    DEFAULT_CSS = """
    Heatmap {
        width: auto;
        height: 8;
    }
    """

    def __init__(
        self,
        counts: Mapping[date, int] | None = None,
        today: date | None = None,
        *,
        weeks: int = HEATMAP_WEEKS,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.counts: Mapping[date, int] = counts or {}
        self.today = today
        self.weeks = weeks

    def show(self, counts: Mapping[date, int], today: date) -> None:
        """Draw these counts (reviews per study day) as seen from study day ``today``."""
        self.counts, self.today = counts, today
        self.refresh(layout=True)

    def render(self) -> CalendarHeatmap | str:
        if self.today is None:
            return ""
        return CalendarHeatmap(self.counts, self.today, self.weeks)

    def get_content_width(self, container: object, viewport: object) -> int:
        return LABEL_WIDTH + self.weeks

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 8  # month labels and seven weekdays
