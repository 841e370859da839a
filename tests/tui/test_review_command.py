"""The `recall review` command: flags reach the app, errors become messages and exit codes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from recall.cli import app as cli
from recall.tui.app import RecallApp


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[RecallApp]:
    """Replace the terminal session by a record of the app that would have run."""
    seen: list[RecallApp] = []

    def fake_run(self: RecallApp, *args: object, **kwargs: object) -> None:
        seen.append(self)

    monkeypatch.setattr(RecallApp, "run", fake_run)
    return seen


def test_flags_reach_the_app(runs, tmp_path) -> None:
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, [
        "review", "--limit", "3", "--source", "Slow", "--tag", "memory", "--category", "books",
        "--new-per-day", "4", "--reviews-per-day", "50", "--timezone", "Europe/Paris", "--rollover-hour", "5",
        "--db", str(db),
    ])
    assert result.exit_code == 0, result.output
    (app,) = runs
    assert (app.where.source, app.where.tag, app.where.category, app.where.limit) == ("Slow", "memory", "books", 3)
    assert (app.settings.new_per_day, app.settings.reviews_per_day) == (4, 50)
    assert (app.settings.timezone, app.settings.rollover_hour) == ("Europe/Paris", 5)
    assert app.db_path == db
    assert not db.exists()  # the database is opened by the app's worker, after the first paint


def test_a_database_error_is_a_message_and_exit_code_1(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    def fake_run(self: RecallApp, *args: object, **kwargs: object) -> None:
        self.recall_error = "cannot open the database: boom"

    monkeypatch.setattr(RecallApp, "run", fake_run)
    result = CliRunner().invoke(cli, ["review", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "recall: cannot open the database: boom" in result.stderr


def test_bad_settings_stop_before_the_app(runs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECALL_NOW", "yesterday-ish")
    result = CliRunner().invoke(cli, ["review"])
    assert result.exit_code == 2 and "RECALL_NOW" in result.stderr
    assert runs == []


async def test_an_unopenable_database_exits_with_the_reason(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    from recall.config import Settings

    app = RecallApp(db_path=blocker / "recall.db", settings=Settings(timezone="UTC"))
    async with app.run_test() as pilot:
        for _ in range(100):
            if app.return_code is not None:
                break
            await pilot.pause(0.02)
    assert app.return_code == 1
    assert app.recall_error and "cannot open the database" in app.recall_error
