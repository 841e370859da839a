"""The report's two tables (the biggest sources, the most forgotten highlights), each built
for the width it is given; vault text shown literally (``recall.text.one_line``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from recall.text import one_line

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from recall.stats.report import StatsReport


def _number_width(header: str, values: list[int]) -> int:
    return max([len(header), *(len(f"{v:,}") for v in values)])


def _share(available: int, wanted: list[int]) -> list[int]:
    """Widths for text columns: what they want if it fits, else cut the widest first (at least 6 each)."""
    widths = list(wanted)
    while sum(widths) > available and max(widths) > 6:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    return widths


class _Fitted:
    """A table built for the width it is given (rich shrinks number columns otherwise)."""

    def __init__(self, build: Callable[[int], Table]) -> None:
        self.build = build

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.build(options.max_width)


def _table() -> Table:
    return Table(box=None, header_style="bold", pad_edge=False, show_edge=False, padding=(0, 1))


def sources_section(report: StatsReport) -> RenderableType | None:
    """The biggest sources: active highlights, then all highlights."""
    sources = report.sources
    if not sources:
        return None

    def build(width: int) -> Table:
        active = _number_width("Active", [s.active for s in sources])
        reviews = _number_width("Reviews", [s.reviews for s in sources])
        title, category = _share(
            width - active - reviews - 6,
            [min(44, max(len("Top sources"), *(len(s.title) for s in sources))),
             min(12, max(len("Category"), *(len(s.category or "") for s in sources)))],
        )
        table = _table()
        table.add_column("Top sources", overflow="ellipsis", no_wrap=True, width=title)
        table.add_column("Category", overflow="ellipsis", no_wrap=True, width=category)
        table.add_column("Active", justify="right", width=active)
        table.add_column("Reviews", justify="right", width=reviews)
        for source in sources:
            table.add_row(Text(one_line(source.title)), Text(one_line(source.category)), f"{source.active:,}",
                          f"{source.reviews:,}")
        return table

    return _Fitted(build)


def forgotten_section(report: StatsReport) -> RenderableType | None:
    """The highlights with the most lapses."""
    items = report.forgotten
    if not items:
        return None

    def build(width: int) -> Table:
        ids = _number_width("Id", [i.id for i in items])
        lapses = _number_width("Lapses", [i.lapses for i in items])
        snippet, title = _share(
            width - ids - lapses - 6,
            [min(56, max(len("Most forgotten"), *(len(i.snippet) for i in items))),
             min(24, max(len("Source"), *(len(i.title) for i in items)))],
        )
        table = _table()
        table.add_column("Most forgotten", overflow="ellipsis", no_wrap=True, width=snippet)
        table.add_column("Id", justify="right", width=ids)
        table.add_column("Lapses", justify="right", width=lapses)
        table.add_column("Source", overflow="ellipsis", no_wrap=True, width=title)
        for item in items:
            table.add_row(Text(one_line(item.snippet)), str(item.id), f"{item.lapses:,}", Text(one_line(item.title)))
        return table

    return _Fitted(build)
