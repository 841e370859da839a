"""`recall frequency` end to end on a real database and review log (issue 14): the sample vault
imported, grades through `recall rate` at several `RECALL_NOW`s, and the due forecast (`recall stats
--json`) checked before and after each level: a level never moves a due day, it shapes the grades
after it; `never` takes a source out of the queue and the forecast, `normal` brings it back with its
schedule; a second device schedules alike."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from clidevices import STATE, Device, deliver

from recall.frequency import Level
from recall.scheduler_settings import SchedulerName, SchedulerSettings
from recall.scheduling import level_retention

BOOK, ESSAY = "The Patient Garden", "Notes From a Year of Pruning Fruit Trees"


def at(day: str) -> str:
    return f"{day}T09:30:00+00:00"


def rows(device: Device, query: str, *params: object) -> list[tuple]:
    with sqlite3.connect(device.db) as raw:
        return raw.execute(query, params).fetchall()


def sources(device: Device, now: str) -> dict[str, dict]:
    return {row["title"].split(":")[0]: row for row in json.loads(device.run("sources", "--json", now=now).stdout)}


def highlights_of(device: Device, title: str) -> list[int]:
    return [i for (i,) in rows(device, "SELECT h.id FROM highlights h JOIN sources s ON s.id = h.source_id "
                                       "WHERE s.title LIKE ? ORDER BY h.id", title + "%")]


def forecast(device: Device, now: str) -> dict[str, int]:
    """``recall stats --json``'s forecast: the next 30 study days with something due, date → count."""
    stats = json.loads(device.run("stats", "--json", now=now).stdout)
    return {day["date"]: day["due"] for day in stats["forecast"]["days"] if day["due"]}


def rate_all(device: Device, ids: list[int], grade: int, now: str) -> None:
    for highlight_id in ids:
        result = device.run("rate", str(highlight_id), str(grade), now=now)
        assert result.exit_code == 0, result.output


@pytest.fixture
def laptop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Device:
    """The sample vault imported on 1 March; the book's and the essay's highlights graded Good on
    1 and 2 March: all due on 8 March (SM-2: 1 day, then 6)."""
    device = Device(tmp_path, "laptop", monkeypatch)
    assert device.run("import", str(device.vault), now=at("2026-03-01")).exit_code == 0
    for day in ("2026-03-01", "2026-03-02"):
        rate_all(device, highlights_of(device, BOOK) + highlights_of(device, ESSAY), 4, at(day))
    return device


def test_a_level_moves_no_due_day_and_shapes_the_grades_after_it(laptop: Device) -> None:
    book, essay = highlights_of(laptop, BOOK), highlights_of(laptop, ESSAY)
    assert (len(book), len(essay)) == (5, 4)
    before = forecast(laptop, at("2026-03-02"))
    assert before == {"2026-03-08": 9}
    source = sources(laptop, at("2026-03-02"))[BOOK]["id"]
    result = laptop.run("frequency", str(source), "less", now=at("2026-03-02"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("The Patient Garden: Notes from a Small Allotment: less (was normal): intervals ×2\n")
    assert forecast(laptop, at("2026-03-02")) == before  # no due day moved
    assert sources(laptop, at("2026-03-02"))[BOOK]["frequency"] == "less"

    rate_all(laptop, book + essay, 4, at("2026-03-08"))  # SM-2: 15 days; the book's twice that
    assert forecast(laptop, at("2026-03-08")) == {"2026-03-23": 4, "2026-04-07": 5}
    assert {i: (ivl, due) for i, ivl, due in rows(laptop, "SELECT id, interval, due FROM highlights WHERE id IN "
                                                          f"({','.join(map(str, book))})")} == {
        i: (15, "2026-04-07") for i in book}  # SM-2's own interval stays exact

    assert laptop.run("frequency", BOOK, "more", now=at("2026-03-09")).exit_code == 0  # by words of its title
    assert forecast(laptop, at("2026-03-09")) == {"2026-03-23": 4, "2026-04-07": 5}  # still nothing moved
    rated = json.loads(laptop.run("rate", str(book[0]), "4", "--json", now=at("2026-04-07")).stdout)
    assert (rated["interval"], rated["due"], rated["frequency"]) == (38, "2026-04-26", "more")  # ceil(38 / 2) = 19 days
    assert laptop.run("db", "check", now=at("2026-04-07")).exit_code == 0


def test_never_leaves_the_source_out_and_normal_brings_it_back_with_its_schedule(laptop: Device) -> None:
    book, essay = highlights_of(laptop, BOOK), highlights_of(laptop, ESSAY)
    source = sources(laptop, at("2026-03-02"))[ESSAY]["id"]
    schedules = rows(laptop, STATE)
    out = laptop.run("frequency", str(source), "never", now=at("2026-03-02"))
    assert out.exit_code == 0 and "out of the queue, their schedules kept" in out.stdout
    assert rows(laptop, STATE) == schedules
    assert forecast(laptop, at("2026-03-02")) == {"2026-03-08": 5}  # the essay's 4 left the forecast
    due = json.loads(laptop.run("due", "--json", now=at("2026-03-08")).stdout)
    assert {item["id"] for item in due["queue"] if item["kind"] == "due"} == set(book)
    assert sources(laptop, at("2026-03-08"))[ESSAY]["due"] == 0
    refused = laptop.run("rate", str(essay[0]), "4", now=at("2026-03-08"))
    assert refused.exit_code == 5 and f"`recall frequency {source} normal` brings it back" in refused.output
    assert laptop.run("skip", str(essay[0]), now=at("2026-03-08")).exit_code == 5

    back = laptop.run("frequency", str(source), "normal", now=at("2026-03-09"))
    assert back.exit_code == 0 and "back in the queue with their schedules" in back.stdout
    assert rows(laptop, STATE) == schedules
    due = json.loads(laptop.run("due", "--json", now=at("2026-03-09")).stdout)
    assert {item["id"] for item in due["queue"] if item["kind"] == "due"} == set(book + essay)
    assert forecast(laptop, at("2026-03-02")) == {"2026-03-08": 9}
    assert laptop.run("db", "check", now=at("2026-03-09")).exit_code == 0


def test_under_fsrs_the_source_is_scheduled_at_its_retention(laptop: Device) -> None:
    assert laptop.run("scheduler", "fsrs", now=at("2026-03-03")).exit_code == 0
    book, essay = highlights_of(laptop, BOOK), highlights_of(laptop, ESSAY)
    shown = laptop.run("frequency", BOOK, "rarely", now=at("2026-03-03"))
    retention = level_retention(SchedulerSettings(SchedulerName.FSRS), Level.RARELY)
    assert f"FSRS at {retention:.1%} retention (intervals about ×4)" in shown.stdout
    assert json.loads(laptop.run("frequency", BOOK, "--json").stdout)["retention"] == retention == 0.7821
    rated_book = json.loads(laptop.run("rate", str(book[0]), "4", "--json", now=at("2026-03-08")).stdout)
    rated_essay = json.loads(laptop.run("rate", str(essay[0]), "4", "--json", now=at("2026-03-08")).stdout)
    assert rated_book["stability"] == rated_essay["stability"]  # the same history: the same memory
    assert abs(rated_book["interval"] - 4 * rated_essay["interval"]) <= 3
    assert laptop.run("db", "check", now=at("2026-03-08")).exit_code == 0


def test_a_second_device_replays_the_level_whatever_came_first(laptop: Device, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The phone grades the book on 8 March before it has heard of the laptop's `less` of 3 March:
    once the logs meet, both devices schedule that grade ×2, with the same rows, and agree on the level."""
    phone = Device(tmp_path, "phone", monkeypatch)
    deliver(laptop, phone)
    assert phone.run("import", str(phone.vault), now=at("2026-03-03")).exit_code == 0
    assert rows(phone, STATE) == rows(laptop, STATE)
    assert laptop.run("frequency", BOOK, "less", now=at("2026-03-03")).exit_code == 0
    book = highlights_of(phone, BOOK)
    rate_all(phone, book, 4, at("2026-03-08"))
    assert {due for (due,) in rows(phone, f"SELECT due FROM highlights WHERE id IN ({','.join(map(str, book))})")} == {
        "2026-03-23"}  # normal on the phone, which has not heard of it
    deliver(laptop, phone)
    deliver(phone, laptop)
    for device in (laptop, phone):
        assert device.run("due", now=at("2026-03-08")).exit_code == 0  # catches up
        assert sources(device, at("2026-03-08"))[BOOK]["frequency"] == "less"
        assert device.run("db", "check", now=at("2026-03-08")).exit_code == 0
    assert rows(phone, STATE) == rows(laptop, STATE)
    assert {due for (due,) in rows(laptop, f"SELECT due FROM highlights WHERE id IN ({','.join(map(str, book))})")} == {
        (date(2026, 3, 8) + timedelta(days=30)).isoformat()}
    assert forecast(laptop, at("2026-03-08")) == forecast(phone, at("2026-03-08"))


def test_a_new_database_gets_the_levels_from_the_log(laptop: Device) -> None:
    assert laptop.run("frequency", ESSAY, "rarely", now=at("2026-03-03")).exit_code == 0
    before = rows(laptop, STATE)
    laptop.db.unlink()
    assert laptop.run("import", str(laptop.vault), now=at("2026-03-04")).exit_code == 0
    assert sources(laptop, at("2026-03-04"))[ESSAY]["frequency"] == "rarely"
    assert rows(laptop, STATE) == before
    rebuilt = laptop.run("db", "rebuild", now=at("2026-03-04"))
    assert rebuilt.exit_code == 0, rebuilt.output
    assert sources(laptop, at("2026-03-04"))[ESSAY]["frequency"] == "rarely"
    with sqlite3.connect(laptop.db) as raw:
        raw.execute("UPDATE sources SET frequency = 'normal'")
    checked = laptop.run("db", "check", now=at("2026-03-04"))
    assert checked.exit_code == 1 and "stored frequency normal, the log gives rarely" in checked.output


def test_what_cannot_be_a_frequency_is_refused_in_one_line(laptop: Device) -> None:
    for args, code, words in (
        (["Patient", "often"], 2, "frequency must be one of more, normal, less, rarely, never"),
        (["no such book", "less"], 4, "no source has the id or a title containing 'no such book'"),
        (["the", "less"], 2, "matches"),
        (["999", "less"], 4, "no source has the id or a title containing '999'"),
    ):
        refused = laptop.run("frequency", *args)
        assert refused.exit_code == code, refused.output
        assert words in refused.output and "Traceback" not in refused.output
        assert len(refused.output.strip().splitlines()) == 1
    assert "already; nothing changed" in laptop.run("frequency", BOOK, "normal").stdout
    assert not [line for line in (laptop.log.rglob("*.jsonl")) if '"frequency"' in line.read_text()]


def test_a_log_that_cannot_take_the_level_changes_nothing(laptop: Device) -> None:
    moved = laptop.log.rename(laptop.vault.parent / "log-elsewhere")
    laptop.log.write_text("not a folder")
    refused = laptop.run("frequency", BOOK, "never")
    assert refused.exit_code == 1 and "\nrecall: frequency not saved: cannot append" in refused.output
    laptop.log.unlink()
    moved.rename(laptop.log)
    assert sources(laptop, at("2026-03-02"))[BOOK]["frequency"] == "normal"
