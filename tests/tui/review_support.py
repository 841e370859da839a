"""Helpers for the review app's tests: build the app on a fixed clock and wait for it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Engine
from support import FIXED_NOW

from recall.clock import FixedClock
from recall.config import Settings
from recall.context import Context
from recall.db.engine import writing
from recall.tui.app import RecallApp

STAMP = "2026-01-01 00:00:00.000000"


class FakeMonotonic:
    """A monotonic clock that moves ``step`` seconds at each reading: every card takes ``step`` s."""

    def __init__(self, step: float = 2.5) -> None:
        self.now = 1000.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def make_app(
    engine: Engine, *, source=None, tag=None, category=None, limit=None, favorite=False, everything=False, **settings
) -> RecallApp:
    """The review app on ``engine`` at FIXED_NOW. Unless ``settings`` say otherwise: the ``sm2``
    preset (keys 0-5 give grades 0-5) and ``full`` prompts (no reveal step), so that tests
    of the session press one key per grade; the prompt styles and the default preset have
    their own tests."""
    settings.setdefault("timezone", "UTC")
    settings.setdefault("grade_preset", "sm2")
    settings.setdefault("prompt", "full")
    context = Context(engine, Settings(**settings), FixedClock(FIXED_NOW))
    return RecallApp(
        context, source=source, tag=tag, category=category, limit=limit, favorite=favorite, everything=everything,
        monotonic=FakeMonotonic(),
    )


async def ready(pilot) -> None:
    """Wait for the loading worker and the first card (or empty state)."""
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if pilot.app.recall_loaded:
            return
    raise AssertionError("the review app never finished loading")


def screen_text(app: RecallApp) -> str:
    """What the terminal shows, line by line (reads the compositor: Textual has no public API for it)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def reviews(engine: Engine) -> list[tuple]:
    with engine.connect() as c:
        return [
            tuple(row)
            for row in c.exec_driver_sql(
                "SELECT highlight_id, grade, kind, study_day, seconds FROM reviews ORDER BY id"
            )
        ]


def highlight(engine: Engine, highlight_id: int):
    with engine.connect() as c:
        return c.exec_driver_sql(
            "SELECT repetitions, easiness, interval, due, skipped_until, discarded, favorite FROM highlights"
            " WHERE id = ?",
            (highlight_id,),
        ).one()


def seed(engine: Engine, vault: Path, notes: Iterable[dict]) -> list[int]:
    """Insert sources and highlights directly (for exact, stable snapshots); returns highlight ids.

    Each note: title, author, category, url, file (relative path), highlights: list of dicts
    with text and optional note, tags, location, location_url, chapter, line, due, repetitions, interval.
    """
    ids = []
    with writing(engine) as c:
        vault_id = c.exec_driver_sql(
            "INSERT INTO vaults (root, first_import_at, last_import_at) VALUES (?, ?, ?) RETURNING id",
            (str(vault), STAMP, STAMP),
        ).scalar_one()
        for n, note in enumerate(notes):
            source_id = c.exec_driver_sql(
                "INSERT INTO sources (key, title, author, category, url, first_seen, last_seen)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (f"s{n}", note["title"], note.get("author"), note.get("category"), note.get("url"), STAMP, STAMP),
            ).scalar_one()
            file_id = c.exec_driver_sql(
                "INSERT INTO files (vault_id, path, size, mtime_ns, content_hash, source_id, is_note, last_seen)"
                " VALUES (?, ?, 0, 0, '', ?, 1, ?) RETURNING id",
                (vault_id, note.get("file", f"note{n}.md"), source_id, STAMP),
            ).scalar_one()
            for m, item in enumerate(note["highlights"]):
                highlight_id = c.exec_driver_sql(
                    "INSERT INTO highlights (key, source_id, text, note, tags, location, location_url, chapter,"
                    " first_seen, last_seen, repetitions, interval, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " RETURNING id",
                    (f"h{n}-{m}", source_id, item["text"], item.get("note"), json.dumps(item.get("tags", [])),
                     item.get("location"), item.get("location_url"), item.get("chapter"), STAMP, STAMP,
                     item.get("repetitions", 0), item.get("interval", 0), item.get("due")),
                ).scalar_one()
                c.exec_driver_sql(
                    "INSERT INTO occurrences (file_id, line, highlight_id) VALUES (?, ?, ?)",
                    (file_id, item.get("line", 10 + m), highlight_id),
                )
                ids.append(highlight_id)
    return ids


def notices(app) -> list[str]:
    """From now on, every notice the app shows, in order (instead of on screen)."""
    shown: list[str] = []
    app.notify = lambda message, **kw: shown.append(message)
    return shown
