"""`recall postpone`, `recall advance` and `recall break` end to end (issue 14, "Frequency and load"):
a generated vault imported into a real SQLite file, a generated review history written into the
review log by the first command, then each tool at a fixed `RECALL_NOW`, the due forecast checked
before and after against `recall due`, `db check` clean after each, and a second device alike."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from support import MAKE_VAULT, REPO
from typer.testing import CliRunner

from recall import exit_codes, fsrs, sm2
from recall.cli import app
from recall.reviewlog.events import EventType, RescheduleReason
from recall.reviewlog.files import read_log

sys.path.insert(0, str(REPO / "bench"))
from history import add_history  # bench/history.py: a steady reader's SM-2 history, written with SQL

pytestmark = pytest.mark.skipif(not MAKE_VAULT.exists(), reason=f"the vault generator is not at {MAKE_VAULT}")

TODAY = date(2026, 3, 2)
STATE = "SELECT key, repetitions, easiness, interval, due, skipped_until, discarded, favorite FROM highlights ORDER BY key"


def at(day: date) -> str:
    return f"{day.isoformat()}T09:30:00+00:00"


class Collection:
    """A recall home (settings: UTC, rollover 4), a database and a generated vault, driven through the CLI."""

    def __init__(self, base: Path, monkeypatch: pytest.MonkeyPatch, source: Path) -> None:
        self.home, self.db, self.vault = base / "home", base / "recall.db", base / "vault"
        self.monkeypatch = monkeypatch
        shutil.copytree(source, self.vault)
        self.home.mkdir(parents=True)
        (self.home / "config.toml").write_text('timezone = "UTC"\nrollover_hour = 4\n')

    def run(self, *args: str, day: date = TODAY):
        self.monkeypatch.setenv("RECALL_HOME", str(self.home))
        self.monkeypatch.setenv("RECALL_NOW", at(day))
        return CliRunner().invoke(app, [*args, "--db", str(self.db)], catch_exceptions=False)

    def json(self, *args: str, day: date = TODAY) -> Any:
        result = self.run(*args, "--json", day=day)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def rows(self, query: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.db) as raw:
            return raw.execute(query, params).fetchall()

    def due_forecast(self, day: date = TODAY) -> list[tuple[str, int]]:
        """What `recall due` says is due: today (due on it or before) and each of the 7 days after."""
        agenda = self.json("due", day=day)
        upcoming = {u["day"]: u["count"] for u in agenda["upcoming"]}
        days = [day + timedelta(days=i) for i in range(1, 8)]
        return [(day.isoformat(), agenda["counts"]["due_total"])] + [(d.isoformat(), upcoming.get(d.isoformat(), 0))
                                                                     for d in days]

    def log_bytes(self) -> dict[str, bytes]:
        return {str(p.relative_to(self.vault)): p.read_bytes() for p in sorted(self.vault.rglob("*.jsonl"))}

    def events(self) -> list:
        return [located.event for located in read_log(self.vault / "recall-log", {}).events]

    def check(self, day: date = TODAY) -> None:
        checked = self.run("db", "check", day=day)
        assert checked.exit_code == 0 and checked.stdout.startswith("ok"), checked.output


def pairs(forecast: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(entry["day"], entry["due"]) for entry in forecast]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated") / "vault"
    subprocess.run([sys.executable, str(MAKE_VAULT), str(folder), "--notes", "60", "--seed", "5"], check=True,
                   capture_output=True)
    return folder


@pytest.fixture
def collection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, generated: Path) -> Collection:
    """The generated vault imported, 45 days of history before TODAY, which the first command writes
    into the review log (the history migration), so every tool works on a log-backed collection."""
    made = Collection(tmp_path / "laptop", monkeypatch, generated)
    assert made.run("import", str(made.vault)).exit_code in (0, 3)  # 3: a few tweets' frontmatter is not YAML
    add_history(str(made.db), TODAY, days=45, per_day=20, new_per_day=6)
    with sqlite3.connect(made.db) as raw:
        raw.execute("DELETE FROM log_history")
    made.check()
    assert len(made.events()) > 1000
    return made


def test_postpone_dry_run_writes_nothing_and_the_run_does_what_it_showed(collection: Collection) -> None:
    before_state, before_log = collection.rows(STATE), collection.log_bytes()
    due_before = collection.due_forecast()
    dry = collection.json("postpone", "8", "--dry-run")
    assert dry["dry_run"] and dry["moved"] == 8 and dry["candidates"] == due_before[0][1]
    assert pairs(dry["forecast"]["before"])[:8] == due_before
    assert collection.rows(STATE) == before_state and collection.log_bytes() == before_log  # nothing written

    done = collection.json("postpone", "8")
    assert done["moves"] == dry["moves"] and done["forecast"] == dry["forecast"]
    before, after = pairs(done["forecast"]["before"]), pairs(done["forecast"]["after"])
    assert collection.due_forecast() == after[:8]  # what `recall due` says now
    assert after[0][1] == before[0][1] - 8 and sum(n for _, n in after) == sum(n for _, n in before)
    for move in done["moves"]:
        assert date.fromisoformat(move["from"]) <= TODAY < date.fromisoformat(move["to"])
        extra = (date.fromisoformat(move["to"]) - TODAY).days  # 5-10 % of the interval, at least a day
        assert 1 <= extra <= max(1, -(-move["interval"] // 10))
    assert [m["rank"] for m in done["moves"]] == sorted(m["rank"] for m in done["moves"])
    moved = [e for e in collection.events() if e.type is EventType.RESCHEDULE]
    assert len(moved) == 8 and {e.reason for e in moved} == {RescheduleReason.POSTPONE}
    dues = dict(collection.rows("SELECT id, due FROM highlights"))
    assert {m["id"]: m["to"] for m in done["moves"]} == {m["id"]: dues[m["id"]] for m in done["moves"]}
    collection.check()

    text = collection.run("postpone", "3", "--dry-run")
    lines = text.stdout.splitlines()
    assert lines[0].startswith(f"Would postpone 3 highlights of {after[0][1]} due")
    assert "are safe to postpone (at most 15 % late after it, FSRS Helper's bound)." in lines[0]
    assert lines[1] == "Dry run: nothing was written." and lines[2] == "Due (today: due or overdue):"
    assert lines[3].split() == ["today", "Tue", "3", "Wed", "4", "Thu", "5", "Fri", "6", "Sat", "7", "Sun", "8"]
    assert lines[4].split()[:2] == ["before", str(after[0][1])] and lines[5].split()[:2] == ["after", str(after[0][1] - 3)]


def test_the_grade_after_a_postpone_is_sm2s_as_without_it(collection: Collection) -> None:
    done = collection.json("postpone", "4")
    first = done["moves"][0]
    (reps, ef, ivl), = collection.rows("SELECT repetitions, easiness, interval FROM highlights WHERE id = ?", first["id"])
    later = date.fromisoformat(first["to"]) + timedelta(days=3)
    rated = collection.json("rate", str(first["id"]), "4", day=later)
    expected = sm2.review(sm2.SM2State(reps, sm2.easiness_from_hundredths(ef), ivl), 4)
    assert (rated["interval"], rated["due"]) == (expected.interval, (later + timedelta(days=expected.interval)).isoformat())
    collection.check(later)


def test_advance_brings_the_nearest_to_today_and_another_device_replays_alike(
    collection: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, generated: Path
) -> None:
    due_before = collection.due_forecast()
    done = collection.json("advance", "6")
    before, after = pairs(done["forecast"]["before"]), pairs(done["forecast"]["after"])
    assert before[:8] == due_before and collection.due_forecast() == after[:8]
    assert after[0][1] == before[0][1] + 6 and {m["to"] for m in done["moves"]} == {TODAY.isoformat()}
    assert all(date.fromisoformat(m["from"]) > TODAY for m in done["moves"])
    queue = {item["id"] for item in collection.json("due")["queue"]}
    assert {m["id"] for m in done["moves"]} <= queue
    collection.check()

    phone = Collection(tmp_path / "phone", monkeypatch, generated)
    shutil.copytree(collection.vault / "recall-log", phone.vault / "recall-log")
    assert phone.run("import", str(phone.vault)).exit_code in (0, 3)
    assert phone.rows(STATE) == collection.rows(STATE)  # the history, then the advance, replayed
    phone.check()


def test_a_break_from_today_empties_its_days_and_levels_the_days_after(collection: Collection) -> None:
    dry = collection.json("break", "7d", "--dry-run")
    assert collection.json("break")["breaks"] == []  # a dry run sets no break
    done = collection.json("break", "7d")
    assert done["moves"] == dry["moves"]
    assert done["break"] == {"start": "2026-03-02", "end": "2026-03-08", "days": 7, "new": True,
                             "spread": ["2026-03-09", "2026-03-15"]}
    before, after = dict(pairs(done["forecast"]["before"])), dict(pairs(done["forecast"]["after"]))
    inside = [(TODAY + timedelta(days=i)).isoformat() for i in range(7)]
    window = [(TODAY + timedelta(days=i)).isoformat() for i in range(7, 14)]
    assert done["moved"] == done["candidates"] == sum(before[d] for d in inside)  # the overdue ones too
    assert all(after[d] == 0 for d in inside)
    assert sum(after[d] for d in window) == sum(before[d] for d in inside + window)
    took = [d for d in window if after[d] > before[d]]
    assert took and max(after[d] for d in took) <= min(after[d] for d in window) + 1  # levelled
    order = sorted(done["moves"], key=lambda m: m["rank"])
    assert [m["to"] for m in order] == sorted(m["to"] for m in order)  # the most urgent onto the first days
    collection.check()

    for offset in range(7):
        day = TODAY + timedelta(days=offset)
        agenda = collection.json("due", day=day)
        assert agenda["queue"] == [] and agenda["break"] == {"start": "2026-03-02", "end": "2026-03-08"}
        assert collection.run("postpone", "3", day=day).exit_code == exit_codes.INVALID_STATE
        assert collection.run("advance", "3", day=day).exit_code == exit_codes.INVALID_STATE
    text = collection.run("due", day=TODAY + timedelta(days=3)).stdout
    assert "A break until 2026-03-08: nothing is due and nothing new is drawn" in text
    first = TODAY + timedelta(days=7)
    agenda = collection.json("due", day=first)
    assert agenda["break"] is None and agenda["counts"]["due_total"] == after[window[0]]
    assert agenda["counts"]["new"] > 0
    assert collection.json("break", day=first)["breaks"] == [
        {"start": "2026-03-02", "end": "2026-03-08", "days": 7, "status": "over"}]
    collection.check(first)


def test_a_break_to_come_moves_only_what_falls_due_in_it_and_cancel_puts_it_back(collection: Collection) -> None:
    state = collection.rows(STATE)
    due_on = dict(collection.rows("SELECT id, due FROM highlights WHERE due IS NOT NULL"))
    done = collection.json("break", "2026-03-10..2026-03-13", "--spread", "5")
    assert done["break"]["spread"] == ["2026-03-14", "2026-03-18"]
    assert {m["id"] for m in done["moves"]} == {i for i, d in due_on.items() if "2026-03-10" <= d <= "2026-03-13"}
    assert pairs(done["forecast"]["before"])[0] == ("2026-03-10", sum(1 for d in due_on.values() if d == "2026-03-10"))
    assert collection.run("break").stdout == "break 2026-03-10..2026-03-13 (4 days, to come)\n"
    text = collection.run("break", "2026-03-10..2026-03-13", "--dry-run").stdout.splitlines()
    assert text[:2] == ["Break 2026-03-10..2026-03-13 (4 days) already set: nothing due, nothing new drawn.",
                        "Nothing due in it to move."]
    collection.check()

    dry = collection.json("break", "--cancel", "--dry-run")
    assert len(dry["restored"]) == done["moved"] and collection.json("break")["breaks"] != []
    cancelled = collection.run("break", "--cancel")
    assert cancelled.stdout == (f"Break 2026-03-10..2026-03-13 cancelled; {done['moved']} highlights back on the due "
                                "days it had moved them from.\n")
    assert collection.rows(STATE) == state and collection.json("break")["breaks"] == []
    undos = [e for e in collection.events() if e.type is EventType.UNDO]
    assert len(undos) == done["moved"] + 1 and undos[0].key == "*"
    collection.check()
    assert collection.run("break", "--cancel").exit_code == exit_codes.INVALID_STATE


def test_running_a_break_again_moves_what_fell_due_in_it_since(collection: Collection) -> None:
    first = collection.json("break", "2026-03-08..2026-03-12")
    new_id, = collection.rows("SELECT id FROM highlights WHERE due IS NULL ORDER BY id LIMIT 1")[0]
    assert collection.run("rate", str(new_id), "4").exit_code == 0  # due 03-03
    rated = collection.json("rate", str(new_id), "4", day=TODAY + timedelta(days=1))
    assert rated["due"] == "2026-03-09"  # SM-2's 6 days: in the break
    again = collection.json("break", "2026-03-08..2026-03-12", day=TODAY + timedelta(days=1))
    assert again["break"]["new"] is False and [m["id"] for m in again["moves"]] == [new_id]
    assert "2026-03-13" <= again["moves"][0]["to"] <= first["break"]["spread"][1] == "2026-03-17"
    assert len(collection.json("break")["breaks"]) == 1
    collection.check(TODAY + timedelta(days=1))


@pytest.mark.parametrize(("args", "message"), [
    (("break", "2020-01-01..2020-01-05"), "a break must not be over already"),
    (("break", "tomorrow"), "a break is 7d, 2w, a day (2026-12-24) or two"),
    (("break", "2026-03-10..2026-03-05"), "a break ends on or after its first day"),
    (("break", "400d"), "a break lasts at most 366 days"),
    (("break", "2026-02-30"), "not a date"),
    (("break", "7d", "--spread", "0"), "spread over 1 to 180 days"),
    (("break", "--cancel", "7d"), "--cancel takes no WHEN"),
    (("postpone", "0"), "greater than or equal to 1"),
])
def test_a_mistake_is_one_line_and_exit_2_with_nothing_written(collection: Collection, args: tuple[str, ...],
                                                               message: str) -> None:
    state, log = collection.rows(STATE), collection.log_bytes()
    refused = collection.run(*args)
    assert refused.exit_code == exit_codes.USAGE
    assert message in refused.stderr and "Traceback" not in refused.stderr
    assert collection.rows(STATE) == state and collection.log_bytes() == log


@pytest.mark.parametrize("args", [("postpone", "5"), ("advance", "5"), ("break", "7d")])
def test_a_log_that_cannot_take_the_events_refuses_with_nothing_changed(collection: Collection,
                                                                        args: tuple[str, ...]) -> None:
    state = collection.rows(STATE)
    log = collection.vault / "recall-log"
    moved = log.rename(collection.vault.parent / "log-elsewhere")
    log.write_text("not a folder")
    refused = collection.run(*args)
    assert refused.exit_code == exit_codes.ERROR
    assert refused.stderr.splitlines()[-1].startswith(f"recall: {args[0]} not saved: ")
    assert "Traceback" not in refused.stderr and collection.rows(STATE) == state
    log.unlink()
    moved.rename(log)
    assert collection.json("break")["breaks"] == []
    collection.check()


def test_under_fsrs_postpone_ranks_by_retrievability_and_the_next_grade_is_fsrs_as_without_it(
    collection: Collection,
) -> None:
    assert collection.run("scheduler", "fsrs").exit_code == 0
    done = collection.json("postpone", "5")
    assert done["scheduler"] == "fsrs" and done["moved"] == 5
    assert done["retrievability"]["after"] < done["retrievability"]["before"]
    assert [m["rank"] for m in done["moves"]] == sorted(m["rank"] for m in done["moves"])
    collection.check()
    first = done["moves"][0]
    (stability, difficulty, last), = collection.rows(
        "SELECT stability, difficulty, last_review FROM highlights WHERE id = ?", first["id"])
    later = date.fromisoformat(first["to"]) + timedelta(days=2)
    rated = collection.json("rate", str(first["id"]), "3", day=later)
    memory = fsrs.FSRSState(stability, difficulty, date.fromisoformat(last), date.fromisoformat(first["from"]))
    expected = fsrs.review(memory, later, 3)
    assert (rated["due"], rated["stability"]) == (expected.due.isoformat(), expected.stability)
    collection.check(later)


def test_another_device_gets_the_break_and_its_cancel_replaying_only_the_moved_highlights(
    collection: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, generated: Path
) -> None:
    phone = Collection(tmp_path / "phone", monkeypatch, generated)
    shutil.copytree(collection.vault / "recall-log", phone.vault / "recall-log")
    assert phone.run("import", str(phone.vault)).exit_code in (0, 3)
    library = phone.rows("SELECT count(*) FROM highlights")[0][0]

    def sync() -> dict[str, int]:
        shutil.rmtree(phone.vault / "recall-log")
        shutil.copytree(collection.vault / "recall-log", phone.vault / "recall-log")
        imported = phone.run("import", "--json")
        assert imported.exit_code in (0, 3), imported.output
        return json.loads(imported.stdout)["review_log"]

    done = collection.json("break", "2026-03-04..2026-03-08")
    assert sync() == {"events_new": done["moved"] + 1, "highlights_replayed": done["moved"]}
    assert done["moved"] < library  # a break is not a new scheduler: the others are not replayed
    assert phone.json("break")["breaks"] == collection.json("break")["breaks"] != []
    assert phone.json("due", day=TODAY + timedelta(days=3))["queue"] == []
    assert phone.rows(STATE) == collection.rows(STATE)
    cancelled = collection.json("break", "--cancel")
    assert sync() == {"events_new": len(cancelled["restored"]) + 1, "highlights_replayed": len(cancelled["restored"])}
    assert phone.json("break")["breaks"] == [] and phone.rows(STATE) == collection.rows(STATE)
    phone.check()
