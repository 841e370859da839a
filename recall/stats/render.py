"""The terminal report (rich only, never Textual) and its calendar heatmap.

``CalendarHeatmap`` is a rich renderable: the terminal report prints it and the
review app's heatmap widget wraps the very same object, so shades and layout have
one implementation. Every piece of text is built as ``Text`` (never markup), and
vault text goes through ``recall.text.one_line``, so titles with brackets or escape
sequences are shown literally.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.console import Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from recall.stats.render_tables import forgotten_section, sources_section
from recall.text import one_line

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from recall.stats.report import StatsReport

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
HEATMAP_WEEKS = 53
"""Weeks shown: a year and the current week, as on GitHub."""
LABEL_WIDTH = 4
CELL = "■"
SHADES = ("#3a3f46", "#0e4429", "#006d32", "#26a641", "#39d353")
"""Colour of each level: 0 is a day without reviews, 4 the busiest days."""
GLYPHS = ("·", "░", "▒", "▓", "█")
"""The level of each day as a shade character, for when colour cannot carry it: stdout not a
terminal, ``NO_COLOR`` set, or a 16-colour terminal (where levels 0-2 become one grey)."""
SPARKS = "▁▂▃▄▅▆▇█"
ACCENT = "#39d353"


def shade_level(count: int, peak: int) -> int:
    """0 for no reviews, else 1..4 by quarters of ``peak`` (the busiest day shown)."""
    if count <= 0:
        return 0
    if peak <= 0:
        return 4
    return min(4, max(1, math.ceil(4 * count / peak)))


def show_day(day: date) -> str:
    """``1 Mar 2026``, in English whatever the locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def show_range(start: date, end: date) -> str:
    """``20 Feb – 1 Mar 2026``, or with both years when they differ."""
    if start == end:
        return show_day(start)
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {show_day(end)}"
    return f"{show_day(start)} – {show_day(end)}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


class CalendarHeatmap:
    """Reviews per study day, GitHub style: weeks as columns (oldest left), Monday on top.

    It shows ``weeks`` weeks ending with the week of ``today``, or fewer when the
    width it is given is narrower. Days after ``today`` are left blank.
    """

    def __init__(
        self, counts: Mapping[date, int], today: date, weeks: int = HEATMAP_WEEKS, glyphs: bool | None = False
    ) -> None:
        """``glyphs``: False draws coloured cells (the review app: Textual handles colour itself),
        True shade characters, None whichever the console it is printed on can show (``needs_glyphs``)."""
        self.counts = counts
        self.today = today
        self.weeks = weeks
        self.glyphs = glyphs

    def first_monday(self, weeks: int) -> date:
        return self.today - timedelta(days=self.today.weekday()) - timedelta(weeks=weeks - 1)

    def fit(self, width: int) -> int:
        """How many weeks fit in ``width`` columns."""
        return max(1, min(self.weeks, width - LABEL_WIDTH))

    def grid(self, weeks: int) -> list[list[date | None]]:
        """Seven rows (Monday to Sunday) of ``weeks`` dates; None after today."""
        start = self.first_monday(weeks)
        rows: list[list[date | None]] = []
        for weekday in range(7):
            row: list[date | None] = []
            for week in range(weeks):
                day = start + timedelta(weeks=week, days=weekday)
                row.append(day if day <= self.today else None)
            rows.append(row)
        return rows

    def peak(self, weeks: int) -> int:
        start = self.first_monday(weeks)
        return max((n for day, n in self.counts.items() if start <= day <= self.today), default=0)

    def month_labels(self, weeks: int) -> Text:
        """Month names above the first week that holds the month's first day."""
        start = self.first_monday(weeks)
        line = [" "] * (LABEL_WIDTH + weeks)
        free = 0  # first column a new label may use
        for week in range(weeks):
            monday = start + timedelta(weeks=week)
            firsts = [monday + timedelta(days=d) for d in range(7) if (monday + timedelta(days=d)).day == 1]
            if not firsts or firsts[0] > self.today:
                continue
            name = MONTHS[firsts[0].month - 1]
            column = LABEL_WIDTH + week
            if column >= free and column + len(name) <= len(line):
                line[column : column + len(name)] = name
                free = column + len(name) + 1
        return Text("".join(line).rstrip(), style="dim")

    def lines(self, weeks: int, glyphs: bool = False) -> list[Text]:
        """The month labels and seven rows of ``weeks`` weeks; each day a coloured ``CELL``, or
        with ``glyphs`` its level's shade character from ``GLYPHS`` (no colour)."""
        peak = self.peak(weeks)
        out = [self.month_labels(weeks)]
        for weekday, row in enumerate(self.grid(weeks)):
            line = Text(WEEKDAYS[weekday].ljust(LABEL_WIDTH), style="dim")
            for day in row:
                if day is None:
                    line.append(" ")
                elif glyphs:
                    line.append(GLYPHS[shade_level(self.counts.get(day, 0), peak)])
                else:
                    line.append(CELL, style=SHADES[shade_level(self.counts.get(day, 0), peak)])
            out.append(line)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        glyphs = needs_glyphs(console) if self.glyphs is None else self.glyphs
        yield from self.lines(self.fit(options.max_width), glyphs)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(LABEL_WIDTH + 1, LABEL_WIDTH + self.weeks)


def needs_glyphs(console: Console) -> bool:
    """Must the heatmap's levels be shade characters on ``console``? When it shows no colour
    (not a terminal, ``NO_COLOR``) or too few to tell five levels apart (16 colours)."""
    return console.no_color or console.color_system in (None, "standard", "windows")


def legend(glyphs: bool = False) -> Text:
    """``Less ■■■■■ More`` in the five colours, or with ``glyphs`` the five shade characters."""
    line = Text(" " * LABEL_WIDTH + "Less ", style="dim")
    for level, colour in enumerate(SHADES):
        if glyphs:
            line.append(GLYPHS[level])
        else:
            line.append(CELL, style=colour)
    line.append(" More", style="dim")
    return line


def heatmap_counts(report: StatsReport) -> dict[date, int]:
    """Reviews (drills excluded) per study day."""
    return {day: figures.reviews for day, figures in report.days.items()}


def heatmap_caption(report: StatsReport, glyphs: bool = False) -> Text:
    """The legend (in colour, or with ``glyphs`` in shade characters) and the year's total, under the heatmap."""
    year = report.span(report.today - timedelta(days=364), report.today)
    caption = legend(glyphs)
    caption.append(f"   {plural(year.reviews, 'review')} in the last 12 months", style="dim")
    return caption


class _Caption:
    """The heatmap's caption, in colour or shade characters as the console it is printed on allows."""

    def __init__(self, report: StatsReport) -> None:
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield heatmap_caption(self.report, needs_glyphs(console))


def heatmap_section(report: StatsReport) -> Group:
    return Group(CalendarHeatmap(heatmap_counts(report), report.today, glyphs=None), _Caption(report))


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _minutes(value: float) -> str:
    return f"{value:,.1f} min"


Row = tuple[str, "RenderableType"]


def grid(*sections: list[Row]) -> Table:
    """Label/value rows in two aligned columns."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for rows in sections:
        for label, value in rows:
            table.add_row(label, value)
    return table


def streak_text(report: StatsReport) -> Text:
    s = report.streaks
    line = Text()
    if s.current and s.current_start and s.current_end:
        line.append(plural(s.current, "day"), style=f"bold {ACCENT}")
        line.append(f" ({show_range(s.current_start, s.current_end)})")
        if report.today_figures.reviews == 0 and s.current_end < report.today:
            line.append(" · review today to keep it", style="dim")
    else:
        line.append("0 days", style="bold")
        if s.longest:
            line.append(" · review today to start a new one", style="dim")
    return line


def streak_rows(report: StatsReport) -> list[Row]:
    """Current and longest streak, today's work."""
    s = report.streaks
    longest = Text(plural(s.longest, "day"))
    if s.longest_start and s.longest_end:
        longest.append(f" ({show_range(s.longest_start, s.longest_end)})")
    t = report.today_figures
    today = f"{plural(t.reviews, 'review')} · {t.new:,} new · {plural(t.lapses, 'lapse')}"
    if t.drills:
        today += f" · {plural(t.drills, 'drill')}"
    return [("Streak", streak_text(report)), ("Longest", longest), ("Today", Text(f"{today} · {_minutes(t.minutes)}"))]


def totals_rows(report: StatsReport) -> list[Row]:
    """All-time reviews, retention, grades, time, highlights and categories."""
    s = report.streaks
    total, recent = report.all_time, report.recent
    per_day = f" ({total.reviews / s.study_days:,.1f} a study day)" if s.study_days else ""
    grade = "–" if total.average_grade is None else f"{total.average_grade:.2f}"
    per_day_minutes = f" ({_minutes(total.minutes / s.study_days)} a study day)" if s.study_days else ""
    h = report.highlights
    rows: list[Row] = [
        ("Reviews", Text(
            f"{total.reviews:,} on {plural(s.study_days, 'study day')}{per_day} · {total.new:,} new"
            f" · {plural(total.lapses, 'lapse')} · {plural(total.drills, 'drill')}"
        )),
        ("Retention", Text(
            f"{_percent(recent.retention)} last 30 days · {_percent(total.retention)} all time"
            f" · average grade {grade}"
        )),
        ("Time", Text(f"{_minutes(total.minutes)}{per_day_minutes} · {_minutes(recent.minutes)} last 30 days")),
        ("Highlights", Text(
            f"{h.get('active', 0):,} active ({h.get('never_reviewed', 0):,} never reviewed)"
            f" · {h.get('retired', 0):,} retired · {h.get('discarded', 0):,} discarded"
        )),
    ]
    if report.categories:
        rows.append(
            ("Categories", Text(" · ".join(f"{one_line(c.category) or 'uncategorized'} {c.active:,}"
                                           for c in report.categories)))
        )
    return rows


def forecast_rows(report: StatsReport) -> list[Row]:
    """Due now, and a sparkline of the next 30 days with its first and last date."""
    counts = [n for _, n in report.forecast]
    total, peak = sum(counts), max(counts, default=0)
    head = Text(f"{report.due_now:,} now · {total:,} in the next {len(counts)} days")
    if peak:
        busiest = next(day for day, n in report.forecast if n == peak)
        head.append(f" · busiest {show_day(busiest)} ({peak:,})", style="dim")
    rows: list[Row] = [("Due", head)]
    if counts:
        spark = Text()
        for n in counts:
            if n:
                spark.append(SPARKS[min(len(SPARKS), math.ceil(len(SPARKS) * n / peak)) - 1], style=ACCENT)
            else:
                spark.append("·", style="dim")
        first, last = report.forecast[0][0], report.forecast[-1][0]
        axis = f"{first.day} {MONTHS[first.month - 1]}"
        end = f"{last.day} {MONTHS[last.month - 1]}"
        rows += [("", spark), ("", Text(axis + end.rjust(len(counts) - len(axis)), style="dim"))]
    return rows


def heading(report: StatsReport) -> Text:
    line = Text("recall stats", style="bold")
    line.append(
        f" · study day {show_day(report.today)} ({report.timezone}, day starts {report.rollover_hour:02d}:00)",
        style="dim",
    )
    return line


def render_report(report: StatsReport) -> RenderableType:
    """The whole terminal report."""
    parts: list[RenderableType] = [heading(report), Text()]
    if not report.days:
        parts += [Text("No reviews yet: run `recall review` to start a streak.", style="dim"), Text()]
    parts += [heatmap_section(report), Text(), grid(streak_rows(report), totals_rows(report), [("", Text())],
                                                    forecast_rows(report))]
    for section in (sources_section(report), forgotten_section(report)):
        if section is not None:
            parts += [Text(), section]
    return Group(*parts)


def print_report(report: StatsReport, console: Console | None = None) -> None:
    from rich.console import Console

    (console or Console(highlight=False)).print(render_report(report))

