"""Fixtures for the review app: an imported copy of sample_vault/ on the fixed clock."""

from __future__ import annotations

import pytest
from support import FIXED_NOW


@pytest.fixture
def imported(engine, vault):
    """The engine, with a private copy of sample_vault/ imported at FIXED_NOW."""
    from recall.importer.sync import ImportReport, import_vault

    import_vault(engine, vault, FIXED_NOW, ImportReport())
    return engine


@pytest.fixture(autouse=True)
def no_real_editor_or_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that forgets to stub them must never open a browser or an editor."""
    import webbrowser

    from recall.tui import external

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected call {args} {kwargs}")

    monkeypatch.setattr(webbrowser, "open", refuse)
    monkeypatch.setattr(external.subprocess, "run", refuse)
