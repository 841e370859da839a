"""The calendar heatmap and the terminal report (rich only)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import statslog
from rich.console import Console
from statslog import NEW_YORK, TODAY

from recall.stats.render import (
    GLYPHS,
    LABEL_WIDTH,
    SHADES,
    CalendarHeatmap,
    legend,
    needs_glyphs,
    render_report,
    shade_level,
    show_range,
)
from recall.stats.report import gather_at

D = date


@pytest.mark.parametrize(
    ("count", "peak", "level"),
    [(0, 8, 0), (1, 8, 1), (2, 8, 1), (3, 8, 2), (4, 8, 2), (5, 8, 3), (6, 8, 3), (7, 8, 4), (8, 8, 4),
     (9, 8, 4), (3, 0, 4), (-1, 8, 0)],
)
def test_shade_levels_are_quarters_of_the_busiest_day(count: int, peak: int, level: int) -> None:
    assert shade_level(count, peak) == level


def style_at(line, column: int) -> str:
    return next(str(span.style) for span in line.spans if span.start <= column < span.end)


def test_heatmap_grid_weeks_are_columns_and_mondays_on_top() -> None:
    heatmap = CalendarHeatmap({D(2026, 3, 2): 8, D(2026, 3, 1): 1, D(2026, 2, 28): 4, D(2024, 1, 1): 99}, TODAY)
    grid = heatmap.grid(53)
    assert len(grid) == 7 and {len(row) for row in grid} == {53}
    # TODAY is a Monday: the last column holds only it; the first column starts 52 weeks before.
    assert (grid[0][0], grid[6][0]) == (D(2025, 3, 3), D(2025, 3, 9))
    assert grid[0][52] == TODAY and grid[1][52] is None and grid[6][52] is None
    assert grid[6][51] == D(2026, 3, 1)
    assert heatmap.peak(53) == 8  # 2024 is out of view
    lines = heatmap.lines(53)
    assert len(lines) == 8
    assert lines[1].plain.startswith("Mon ") and lines[3].plain.startswith("Wed ") and lines[7].plain.startswith("Sun ")
    # Shades: 8 of 8 is level 4, 4 of 8 is level 2, 1 of 8 is level 1, nothing is level 0.
    assert style_at(lines[1], LABEL_WIDTH + 52) == SHADES[4]  # Monday 2 March
    assert style_at(lines[7], LABEL_WIDTH + 51) == SHADES[1]  # Sunday 1 March
    assert style_at(lines[6], LABEL_WIDTH + 51) == SHADES[2]  # Saturday 28 February
    assert style_at(lines[5], LABEL_WIDTH + 51) == SHADES[0]  # Friday 27 February
    assert lines[2].plain[LABEL_WIDTH + 52] == " "  # Tuesday 3 March has not happened
    # Month names sit above the week holding the 1st: 1 Apr 2025 is in the week of 31 Mar (column 4),
    # 1 May in column 8, 1 Jun (a Sunday) in column 12, 1 Jul in column 17. 1 Mar 2026 (column 51)
    # has no room left for three letters.
    labels = lines[0].plain
    assert [labels.index(m) - LABEL_WIDTH for m in ("Apr", "May", "Jun", "Jul")] == [4, 8, 12, 17]
    assert "Mar" not in labels


def test_heatmap_fits_narrow_widths() -> None:
    heatmap = CalendarHeatmap({TODAY: 1}, TODAY, glyphs=None)
    assert heatmap.fit(200) == 53 and heatmap.fit(30) == 26 and heatmap.fit(3) == 1
    console = Console(width=30, file=io.StringIO(), record=True, color_system=None)
    console.print(heatmap)
    lines = console.export_text().splitlines()
    assert len(lines) == 8 and max(len(line) for line in lines) <= 30
    assert lines[1].endswith("█")  # still ends with today: no colour here, so the busiest shade


def test_without_colour_the_levels_are_shade_characters() -> None:
    """Not a terminal, NO_COLOR or 16 colours: the five levels are five characters."""
    counts = {TODAY - timedelta(days=n): n for n in range(0, 9)}  # 8 on the peak day, … 1, and 0
    heatmap = CalendarHeatmap(counts, TODAY + timedelta(days=6), glyphs=None)  # as the terminal report makes it
    for console in (Console(width=80, file=io.StringIO(), record=True, color_system=None),
                    Console(width=80, file=io.StringIO(), record=True, color_system="truecolor", no_color=True),
                    Console(width=80, file=io.StringIO(), record=True, color_system="standard")):
        console.print(heatmap)
        console.print(legend(needs_glyphs(console)))
        text = console.export_text()
        rows = text.splitlines()[1:8]
        week = "".join(row[-2] for row in rows) + "".join(row[-1] for row in rows)  # the last two weeks
        assert set(week) == set(GLYPHS), week  # 0 reviews ·, then ░ ▒ ▓ █ by quarters of the peak
        assert "Less ·░▒▓█ More" in text and "■" not in text
    colour = Console(width=80, file=io.StringIO(), record=True, color_system="truecolor")
    colour.print(heatmap)
    assert "■" in colour.export_text() and not needs_glyphs(colour)
    app_heatmap = Console(width=80, file=io.StringIO(), record=True, color_system=None)
    app_heatmap.print(CalendarHeatmap(counts, TODAY))  # the review app's: colour, Textual decides how to show it
    assert "■" in app_heatmap.export_text()
    lines = heatmap.lines(53)
    assert {style_at(line, column) for line in lines[1:] for column in range(LABEL_WIDTH + 51, LABEL_WIDTH + 53)
            if line.plain[column] == "■"} == set(SHADES)  # five distinct colours
    assert len(set(SHADES)) == 5


def test_stats_piped_shows_the_levels_as_characters(engine, db_file) -> None:
    from support import recall_process

    statslog.insert_library(engine)
    statslog.insert_rows(engine, statslog.generate())
    printed = recall_process("stats", "--db", str(db_file), "--timezone", "America/New_York").stdout
    assert "Less ·░▒▓█ More" in printed and "■" not in printed
    assert "\x1b" not in printed
    grid_rows = printed.splitlines()[3:10]
    assert any("▓" in row or "█" in row for row in grid_rows) and all("·" in row for row in grid_rows)


def test_date_ranges() -> None:
    assert show_range(D(2026, 2, 20), D(2026, 3, 1)) == "20 Feb – 1 Mar 2026"
    assert show_range(D(2024, 10, 1), D(2025, 1, 31)) == "1 Oct 2024 – 31 Jan 2025"
    assert show_range(TODAY, TODAY) == "2 Mar 2026"


def test_the_report_fits_80_columns_and_shows_titles_literally(engine) -> None:
    statslog.insert_library(engine)
    statslog.insert_rows(engine, statslog.generate())
    console = Console(width=80, file=io.StringIO(), record=True, color_system=None)
    console.print(render_report(gather_at(engine, TODAY, NEW_YORK)))
    text = console.export_text()
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    assert "On [bold]Bracketed[/bold] Titles" in text
    assert "Streak      10 days (20 Feb – 1 Mar 2026)" in text
    assert "Longest     123 days (1 Oct 2024 – 31 Jan 2025)" in text
    assert "95.7% last 30 days · 67.5% all time · average grade 3.27" in text
    assert "2 now · 3 in the next 30 days" in text
    assert "94 reviews in the last 12 months" in text  # R6 from 3 Mar 2025 (14 sessions), R6b, R7: 56 + 8 + 30
    forgotten = text[text.index("Most forgotten") :].splitlines()
    assert re.search(r"^Nothing in life is .*…\s+1\s+128\s+Thinking, Fast and Slow$", forgotten[1].rstrip())
