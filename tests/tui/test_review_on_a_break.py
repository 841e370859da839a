"""The review app on a break day (`recall break`): no card, and the empty screen says why."""

from __future__ import annotations

from pathlib import Path

from review_support import make_app, ready, screen_text
from support import run_import
from typer.testing import CliRunner

from recall.cli import app


async def test_a_break_day_shows_no_card_and_says_until_when(engine, vault: Path, db_file: Path,
                                                             recall_home: Path) -> None:
    run_import(engine, vault)
    recall_home.mkdir(parents=True, exist_ok=True)
    (recall_home / "config.toml").write_text('timezone = "UTC"\n')
    assert CliRunner().invoke(app, ["rate", "1", "4", "--db", str(db_file)]).exit_code == 0
    taken = CliRunner().invoke(app, ["break", "3d", "--db", str(db_file)])
    assert taken.exit_code == 0, taken.output
    review = make_app(engine)
    async with review.run_test() as pilot:
        await ready(pilot)
        text = screen_text(review)
        assert "A break until 2026-03-04: nothing is due and nothing new is drawn." in text
        assert "learn" not in text  # no new highlight is drawn on a break day
