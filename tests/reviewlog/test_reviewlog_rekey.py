"""Re-keyed highlights: ``replay.resolve_keys`` (chains, a key re-keyed back, a new key not here),
and the whole path through the import: a location-only Kindle highlight whose text is edited is
re-keyed by the import (``sync._match_location_edits``), which logs a ``rekey`` event; it keeps its
schedule and history, and other devices (one of them with a new database) get the same."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from clidevices import GRADES, STATE, Device, deliver
from logsim import START, event
from support import db_rows

from recall.reviewlog.events import EventType
from recall.reviewlog.replay import replay, resolve_keys

MINUTE = timedelta(minutes=1)


def at(minutes: int):
    return START + minutes * MINUTE


def test_a_chain_of_rekeys_moves_what_came_before_each_to_the_end() -> None:
    early = event(EventType.GRADE, "A", at(1), grade=4)
    rekey_ab = event(EventType.REKEY, "A", at(2), to="B")
    middle = event(EventType.GRADE, "B", at(3), grade=4)
    rekey_bc = event(EventType.REKEY, "B", at(4), to="C")
    late = event(EventType.GRADE, "C", at(5), grade=4)
    stale = event(EventType.GRADE, "A", at(6), grade=3)  # a device still on the old key, after the re-key
    events = {e.id: e for e in (early, rekey_ab, middle, rekey_bc, late, stale)}
    assert resolve_keys(events) == {early.id: "C", middle.id: "C"}


def test_a_key_rekeyed_back_keeps_its_own_history() -> None:
    first = event(EventType.GRADE, "A", at(1), grade=4)
    there = event(EventType.REKEY, "A", at(2), to="B")
    between = event(EventType.GRADE, "B", at(3), grade=4)
    back = event(EventType.REKEY, "B", at(4), to="A")
    events = {e.id: e for e in (first, there, between, back)}
    assert resolve_keys(events) == {between.id: "A"}  # first went to B and back: it stays on A
    assert [a.event.id for a in replay(events.values()).applied] == [first.id, between.id]


def test_a_new_key_not_here_leaves_the_history_where_it_is_and_the_chain_goes_to_the_last_one_here() -> None:
    grade = event(EventType.GRADE, "A", at(1), grade=4)
    rekey_ab = event(EventType.REKEY, "A", at(2), to="B")
    rekey_bc = event(EventType.REKEY, "B", at(3), to="C")
    events = {e.id: e for e in (grade, rekey_ab, rekey_bc)}
    assert resolve_keys(events, present={"A"}.__contains__) == {}  # this device has not imported the edit
    assert resolve_keys(events, present={"A", "B"}.__contains__) == {grade.id: "B"}  # only the first edit
    assert resolve_keys(events, present={"C"}.__contains__) == {grade.id: "C"}  # a new database: the last only
    assert replay(events.values(), present={"C"}.__contains__).state("C").repetitions == 1


def test_a_grade_of_the_old_key_after_the_rekey_follows_it_where_the_old_key_is_gone() -> None:
    grade = event(EventType.GRADE, "A", at(1), grade=4)
    rekey = event(EventType.REKEY, "A", at(2), to="B")
    stale = event(EventType.GRADE, "A", at(60 * 24), grade=2)  # the next day, on a device without the edit
    events = {e.id: e for e in (grade, rekey, stale)}
    assert resolve_keys(events, present={"B"}.__contains__) == {grade.id: "B", stale.id: "B"}
    assert resolve_keys(events, present={"A"}.__contains__) == {}  # that device itself: all stays on A
    result = replay(events.values(), present={"B"}.__contains__)
    assert [a.event.id for a in result.applied] == [grade.id, stale.id] and result.state("B").repetitions == 0


NBSP = "\u00a0"


def kindle(n: int) -> str:
    return f"([Location{NBSP}{n}](https://readwise.io/to_kindle?action=open&asin=B0X&location={n}))"


BOOK = "# Deep Book\n## Metadata\n- Author: [[Ann]]\n- Category: #books\n## Highlights\n" + "".join(
    f"- {text} text {kindle(n)}\n" for text, n in (("Alpha", 10), ("Beta", 20), ("Gamma", 30))
)
NOTE = Path("Readwise") / "Books" / "Deep Book.md"


@pytest.fixture
def kindle_vault(tmp_path: Path) -> Path:
    """A vault with one Kindle book whose highlights have no id: their key is the location and text."""
    root = tmp_path / "source"
    (root / NOTE.parent).mkdir(parents=True)
    (root / NOTE).write_text(BOOK, encoding="utf-8")
    return root


def edit(device: Device) -> None:
    """Edit the Alpha highlight's text at its location, as a Readwise re-sync does."""
    note = device.vault / NOTE
    note.write_text(note.read_text(encoding="utf-8").replace("- Alpha text", "- Alpha text, edited"), encoding="utf-8")


def alpha(device: Device) -> tuple[int, str]:
    return db_rows(device.db, "SELECT id, key FROM highlights WHERE text LIKE 'Alpha%'")[0]


def test_an_import_that_rekeys_a_graded_highlight_logs_it_and_every_device_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kindle_vault: Path
) -> None:
    laptop, desktop, fresh = (Device(tmp_path, name, monkeypatch, kindle_vault) for name in ("laptop", "desktop", "new"))
    for device in (laptop, desktop):
        assert device.run("import", str(device.vault)).exit_code == 0
    highlight, old_key = alpha(laptop)
    assert laptop.run("rate", str(highlight), "4").exit_code == 0
    assert laptop.run("rate", str(highlight), "5", now="2026-03-03T09:30:00+00:00").exit_code == 0
    schedule = "SELECT repetitions, easiness, interval, due FROM highlights WHERE id = ?"
    graded = db_rows(laptop.db, schedule, highlight)
    edit(laptop)
    assert laptop.run("import", str(laptop.vault), now="2026-03-03T10:00:00+00:00").exit_code == 0
    assert alpha(laptop)[0] == highlight and alpha(laptop)[1] != old_key  # re-keyed, same row
    new_key = alpha(laptop)[1]
    lines = [json.loads(x) for p in laptop.log.rglob("*.jsonl") for x in p.read_text().splitlines()]
    rekeys = [(line["key"], line["to"]) for line in lines if line["type"] == "rekey"]
    assert rekeys == [(old_key, new_key)]
    (rekey,) = [line for line in lines if line["type"] == "rekey"]
    (reps, ef, ivl, due), = graded
    assert rekey["before"] == rekey["after"] and (rekey["after"]["reps"], rekey["after"]["ef"], rekey["after"]["ivl"],
                                                   rekey["after"]["due"]) == (reps, ef, ivl, due)  # the state it kept
    assert db_rows(laptop.db, schedule, highlight) == graded  # its schedule and history kept
    assert [(k, g) for k, _, _, g, _ in db_rows(laptop.db, GRADES)] == [(new_key, 4), (new_key, 5)]
    assert laptop.run("db", "check", now="2026-03-03T10:00:00+00:00").exit_code == 0

    shutil.copy2(laptop.vault / NOTE, desktop.vault / NOTE)  # the edited note first, the log later
    assert desktop.run("import", str(desktop.vault), now="2026-03-03T11:00:00+00:00").exit_code == 0
    deliver(laptop, desktop)
    assert desktop.run("due", now="2026-03-03T11:00:00+00:00").exit_code == 0
    shutil.copy2(laptop.vault / NOTE, fresh.vault / NOTE)  # a new database: the edited vault and the log
    deliver(laptop, fresh)
    assert fresh.run("import", str(fresh.vault), now="2026-03-03T11:00:00+00:00").exit_code == 0
    for device in (desktop, fresh):
        assert db_rows(device.db, STATE) == db_rows(laptop.db, STATE), device.db
        assert sorted(db_rows(device.db, GRADES)) == sorted(db_rows(laptop.db, GRADES)), device.db
        assert device.run("db", "check", now="2026-03-03T11:00:00+00:00").exit_code == 0
