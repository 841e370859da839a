"""`recall compare` in the terminal (rich only, never Textual): a table of the horizons side by
side and a chart of the daily load, SM-2 above FSRS on one scale.

The chart is the stats report's forecast sparkline (``recall.stats.render.SPARKS``) grown to a
few rows: each column is one day or the average of a few (a week over a year), its height in
eighths of a row. Height carries the numbers, so without colour (not a terminal, ``NO_COLOR``) it
reads the same. Everything is built as ``Text`` (never markup) and fitted to the width it is given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from recall.stats.render import MONTHS, SPARKS, plural, show_day

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from recall.simulation_outcome import Horizon
    from recall.stats.compare import Comparison

NAMES = {"sm2": "SM-2", "fsrs": "FSRS"}
COLOURS = {"sm2": "#d19a66", "fsrs": "#39d353"}
CHART_ROWS = 6
"""Rows of each scheduler's chart: 48 levels in eighths of a row."""
BUCKETS = (1, 2, 3, 7, 14, 28, 91, 182, 364)
"""Days a chart column can stand for: the first whose columns fit the width."""
GUTTER = 7
"""Columns left of the chart for its scale (``"  1,234 "``)."""


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def retention_text(retention: float) -> str:
    """A desired retention as a percentage: ``90%``, ``87.5%``."""
    return f"{retention:.0%}" if abs(retention * 100 - round(retention * 100)) < 1e-9 else f"{retention:.1%}"


def _cells(texts: Sequence[str], widths: Sequence[int]) -> str:
    return "".join(text.rjust(width) for text, width in zip(texts, widths, strict=True))


COLUMNS = (("reviews", 9), ("a day", 7), ("peak", 7), ("recalled", 10))
"""Each scheduler's columns in the table, with their widths (right-aligned, gap included)."""


def _side(horizon: Horizon, shown: Sequence[str]) -> list[str]:
    values = {"reviews": f"{horizon.reviews:,}", "a day": f"{horizon.per_day:,.1f}", "peak": f"{horizon.peak:,}",
              "recalled": _percent(horizon.recall_rate)}
    return [values[name] for name in shown]


def table_lines(comparison: Comparison, width: int = 80) -> list[Text]:
    """The horizons, one a row: SM-2's reviews, average a day, busiest day and share recalled, then
    FSRS's. When ``width`` is too narrow, columns are dropped from the right of each side ("peak",
    then "a day"); narrower still, FSRS's side goes under SM-2's."""
    label = max(len("next"), *(len(f"{days:,} days") for days in comparison.horizons))
    gap = "   "
    for sides in (2, 1):
        shown = [name for name, _ in COLUMNS]
        for drop in ("", "peak", "a day"):
            if drop:
                shown.remove(drop)
            if label + sides * sum(dict(COLUMNS)[name] for name in shown) + (sides - 1) * len(gap) <= width:
                break
        else:
            continue
        break
    widths = [dict(COLUMNS)[name] for name in shown]
    titles = {"sm2": "SM-2", "fsrs": f"FSRS at {retention_text(comparison.parameters.desired_retention)}"}
    groups = [("sm2", "fsrs")] if sides == 2 else [("sm2",), ("fsrs",)]
    lines: list[Text] = []
    for group in groups:
        head = Text(" " * label)
        columns = Text("next".ljust(label), style="bold")
        for number, name in enumerate(group):
            head.append(gap if number else "")
            head.append(_rule(titles[name], sum(widths)), style=f"bold {COLOURS[name]}")
            columns.append((gap if number else "") + _cells(shown, widths), style="bold")
        lines += [head, columns]
        for days in comparison.horizons:
            row = f"{days:,} days".rjust(label)
            for number, name in enumerate(group):
                row += (gap if number else "") + _cells(_side(comparison.outcomes[name].horizon(days), shown), widths)
            lines.append(Text(row))
    return lines


def _rule(title: str, width: int) -> str:
    """``title`` centred in a rule ``width`` cells wide: ``──── SM-2 ────``."""
    inner = f" {title} "
    left = max(0, (width - len(inner)) // 2)
    return ("─" * left + inner).ljust(width, "─")


def bucket_size(days: int, columns: int) -> int:
    """The days a chart column stands for: the first of ``BUCKETS`` that shows ``days`` days in at
    most ``columns`` columns (the last when none does)."""
    return next((size for size in BUCKETS if math.ceil(days / size) <= columns), BUCKETS[-1])


def averages(series: Sequence[int], size: int) -> list[float]:
    """``series`` in consecutive groups of ``size`` days, each its mean (the last group may be shorter)."""
    return [sum(series[start : start + size]) / len(series[start : start + size]) for start in range(0, len(series), size)]


def bar_rows(values: Sequence[float], top: float, rows: int = CHART_ROWS) -> list[str]:
    """``values`` as columns of ``rows`` rows, tallest first; ``top`` fills a column. A column above
    zero is at least an eighth of a row; a zero column is ``·`` on the bottom row."""
    eighths = [0 if value <= 0 or top <= 0 else max(1, round(8 * rows * value / top)) for value in values]
    lines = []
    for row in reversed(range(rows)):
        line = []
        for height, value in zip(eighths, values, strict=True):
            filled = height - 8 * row
            if filled >= 8:
                line.append(SPARKS[-1])
            elif filled > 0:
                line.append(SPARKS[filled - 1])
            else:
                line.append("·" if row == 0 and value <= 0 else " ")
        lines.append("".join(line))
    return lines


def date_axis(start: date, columns: int, size: int) -> str:
    """The labels under a chart of ``columns`` columns of ``size`` days from ``start``: the first
    day, then each month's name (January's: the year) above the column holding its first day, when
    it fits."""
    line = [" "] * columns
    first = f"{start.day} {MONTHS[start.month - 1]}"[:columns]
    line[: len(first)] = first
    free = len(first) + 1
    for column in range(1, columns):
        begin = start + timedelta(days=column * size)
        firsts = [begin + timedelta(days=d) for d in range(size) if (begin + timedelta(days=d)).day == 1]
        if not firsts:
            continue
        name = MONTHS[firsts[0].month - 1] if firsts[0].month != 1 else str(firsts[0].year)
        if column >= free and column + len(name) <= columns:
            line[column : column + len(name)] = name
            free = column + len(name) + 1
    return "".join(line).rstrip()


class LoadChart:
    """Reviews a day over the longest horizon, SM-2's chart above FSRS's on one scale, fitted to
    the width it is printed in."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison

    def lines(self, width: int) -> list[RenderableType]:
        comparison = self.comparison
        days = comparison.horizons[-1]
        size = bucket_size(days, max(1, width - GUTTER))
        series = {name: averages(comparison.outcomes[name].reviews, size) for name in ("sm2", "fsrs")}
        top = max((value for values in series.values() for value in values), default=0.0)
        column = "a day" if size == 1 else f"{size} days, their average"
        title = f"Reviews a day, the next {plural(days, 'day')} (a column: {column})"
        out: list[RenderableType] = [_Prose(title, style="bold")]
        scale = f"{top:,.0f}" if top >= 10 or top == 0 else f"{top:,.1f}"
        for name in ("sm2", "fsrs"):
            title = NAMES[name] if name == "sm2" else f"FSRS at {retention_text(comparison.parameters.desired_retention)}"
            out.append(Text(" " * GUTTER + title, style=f"bold {COLOURS[name]}"))
            for number, bars in enumerate(bar_rows(series[name], top)):
                line = Text()
                line.append((scale if number == 0 else "").rjust(GUTTER - 1) + " ", style="dim")
                line.append(bars.rstrip(), style=COLOURS[name])
                line.rstrip()
                out.append(line)
        axis = date_axis(comparison.today, len(series["sm2"]), size)
        out.append(Text(" " * GUTTER + axis, style="dim"))
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines(options.max_width)


class _Prose:
    """Text wrapped at the width it is printed in, its lines' ends without spaces."""

    def __init__(self, text: Text | str, style: str = "") -> None:
        self.text = text if isinstance(text, Text) else Text(text, style=style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.text.wrap(console, max(20, options.max_width)):
            line.rstrip()
            yield line


class _Fitted:
    """The table built for the width it is printed in."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from table_lines(self.comparison, options.max_width)


def heading(comparison: Comparison) -> list[RenderableType]:
    """What was simulated: the day, the collection, the limits and what is due today."""
    line = Text("recall compare", style="bold")
    line.append(f" · study day {show_day(comparison.today)} · simulated, seed {comparison.seed}", style="dim")
    title = _Prose(line)
    due = comparison.outcomes["sm2"].due_at_start  # the same under both: a switch never reschedules
    return [title, _Prose(
        f"{plural(comparison.scheduled, 'highlight')} scheduled and {comparison.new:,} new; "
        f"{comparison.new_per_day:,} new and at most {comparison.reviews_per_day:,} reviews a day. "
        f"Due today: {due:,}; each scheduler takes over from there."
    )]


def notes(comparison: Comparison) -> list[RenderableType]:
    """What the figures mean, and what the longest horizon leaves behind."""
    days = comparison.horizons[-1]
    sm2, fsrs = (comparison.outcomes[name].horizon(days) for name in ("sm2", "fsrs"))
    weights = "default weights" if comparison.default_weights else "your weights"
    grades = "your own grades" if any(comparison.grades.later) else "Good for a pass and Again for a failure (no reviews yet)"
    text = (
        "Peak: the busiest day. Recalled: the share of reviews remembered. After "
        f"{plural(days, 'day')}, the average chance of recalling a highlight already seen is "
        f"{_percent(sm2.retention)} under SM-2, {_percent(fsrs.retention)} under FSRS. Both follow your limits "
        f"and {grades}; what is remembered follows FSRS-6's memory model ({weights}) under both. "
        "Same-day drills are not simulated."
    )
    if comparison.without_history:
        text += (f" {plural(comparison.without_history, 'scheduled highlight')} with no review to compute a memory "
                 "state from are simulated from a first review.")
    return [_Prose(text, style="dim")]


def held_back(comparison: Comparison) -> list[RenderableType]:
    """When the daily review limit held reviews back on some day of the longest horizon, under
    which scheduler, on how many days and how many at most: the load shown is then the limit's,
    not what keeping up would take."""
    days = comparison.horizons[-1]
    held = []
    for name in ("sm2", "fsrs"):
        horizon = comparison.outcomes[name].horizon(days)
        if horizon.held_days:
            held.append(f"under {NAMES[name]} on {plural(horizon.held_days, 'day')} (at most {horizon.most_held:,} "
                        f"waiting, {horizon.backlog:,} at the end)")
    if not held:
        return []
    return [_Prose(
        f"The limit of {comparison.reviews_per_day:,} reviews a day held reviews back {' and '.join(held)}. "
        "--reviews-per-day lifts it for this comparison, to see what keeping up would take."
    )]


def render_comparison(comparison: Comparison) -> RenderableType:
    """The whole terminal output."""
    return Group(*heading(comparison), Text(), _Fitted(comparison), *held_back(comparison), Text(),
                 *notes(comparison), Text(), LoadChart(comparison))


def print_comparison(comparison: Comparison, console: Console | None = None) -> None:
    from rich.console import Console

    (console or Console(highlight=False)).print(render_comparison(comparison))
