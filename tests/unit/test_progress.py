"""The import progress bar shows its label (a vault path) literally."""

from __future__ import annotations

import io

import pytest

from recall.progress import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_label_is_neither_markup_nor_escape_sequences(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    with progress("Importing /v/[bold]x[/] \x1b[2J") as update:
        update(1, 2)
    assert "Importing /v/[bold]x[/] ␛[2J" in screen.getvalue()
    assert "\x1b[2J" not in screen.getvalue()


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with progress("Importing") as update:
        assert update is None
