"""`recall compare`'s terminal output (recall.stats.compare_render): the chart's pieces by hand, and
the whole output in colour, without colour, and at several widths."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from rich.cells import cell_len
from rich.console import Console

from recall.fsrs import FSRSParameters
from recall.simulation import Collection, compare
from recall.simulation_model import GradeSpread
from recall.stats.compare import Comparison
from recall.stats.compare_render import averages, bar_rows, bucket_size, date_axis, print_comparison

TODAY = date(2026, 3, 2)


def comparison(horizons: tuple[int, ...] = (30, 90, 365), new: int = 3000) -> Comparison:
    spread = GradeSpread(first=(1, 2, 5, 15, 57, 20), later=(1, 2, 5, 15, 57, 20))
    collection = Collection(TODAY, new=new, new_per_day=10, reviews_per_day=200, grades=spread)
    parameters = FSRSParameters(desired_retention=0.85)
    return Comparison(
        today=TODAY, horizons=horizons, scheduled=0, without_history=0, new=new, new_per_day=10, reviews_per_day=200,
        reviewed_today=0, new_today=0, grades=spread, parameters=parameters, seed=1,
        outcomes=compare(collection, parameters, horizons[-1], 1, horizons),
    )


def printed(width: int = 80, **console: object) -> tuple[str, str]:
    """(the text with its escape codes, the text alone) of the output at ``width``."""
    out = Console(width=width, file=io.StringIO(), record=True, highlight=False, **console)  # type: ignore[arg-type]
    print_comparison(comparison(), out)
    return out.file.getvalue(), out.export_text()  # type: ignore[attr-defined]


def test_bars_are_eighths_of_a_row_from_zero() -> None:
    assert bar_rows([0, 1, 2, 4], 4, rows=2) == ["   █", "·▄██"]
    assert bar_rows([0.01, 100], 100, rows=1) == ["▁█"]  # above zero shows, however small
    assert bar_rows([0, 0], 0, rows=1) == ["··"]


def test_columns_are_days_or_their_average() -> None:
    assert [bucket_size(days, 73) for days in (30, 90, 365, 3650)] == [1, 2, 7, 91]
    assert bucket_size(365, 43) == 14
    assert averages([1, 2, 3, 4, 5], 2) == [1.5, 3.5, 5.0]


def test_the_date_axis_names_each_month_above_its_first_day() -> None:
    axis = date_axis(TODAY, 53, 7)
    assert axis.startswith("2 Mar ") and axis.endswith("2027 Feb")
    assert axis.index("May") == 8  # 1 May is in the 9th week from 2 March (days 56-62)
    assert date_axis(TODAY, 30, 1) == "2 Mar"  # no month starts in the 30 days after 2 March
    assert date_axis(date(2026, 3, 30), 3, 1) == "30"  # cut to the chart, and no room for April


def test_colour_on_a_colour_terminal_and_none_otherwise() -> None:
    colour, text = printed(color_system="truecolor")
    assert re.search(r"\x1b\[[0-9;]*38;2;", colour)  # the two schedulers' colours
    assert "[2;38;2;" not in colour  # the bars are not dimmed with the scale beside them
    for console in ({"color_system": "truecolor", "no_color": True}, {"color_system": None}):
        plain, same = printed(**console)
        assert "38;2;" not in plain and "38;5;" not in plain
        assert same == text  # height carries the load: the same characters either way


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_every_line_fits_the_width(width: int) -> None:
    _, text = printed(width, color_system=None)
    assert all(cell_len(line) <= width and line == line.rstrip() for line in text.splitlines())
    assert "FSRS at 85%" in text


def test_the_desired_retention_as_a_percentage() -> None:
    from recall.stats.compare_render import retention_text

    assert [retention_text(r) for r in (0.9, 0.7, 0.97, 0.875)] == ["90%", "70%", "97%", "87.5%"]
