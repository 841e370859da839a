"""The log on disk: durable appends to this device's month file, incremental reads that skip
torn lines until they are complete, and conflict copies that change nothing."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from logsim import START, event

from recall.reviewlog import files
from recall.reviewlog.device import DeviceFileError, device_file, device_id
from recall.reviewlog.events import EventType
from recall.reviewlog.files import Cursor, append, read_log
from recall.reviewlog.replay import replay

DEVICE = "5f0c2d1e-8f53-4b0e-a1f4-0d0c9a7b6e21"


def grade(minutes: int, key: str = "rw:1", q: int = 4):
    return event(EventType.GRADE, key, START + timedelta(minutes=minutes), device=DEVICE, grade=q)


def ids(read: files.LogRead) -> list:
    return [located.event.id for located in read.events]


def test_append_writes_one_line_to_the_devices_month_file(tmp_path: Path) -> None:
    root = tmp_path / "vault" / files.DEFAULT_FOLDER
    first, second = grade(0), grade(1)
    path = append(root, first)
    assert path == root / DEVICE / "2026-03.jsonl"
    assert append(root, second) == path
    assert path.read_bytes() == (first.to_json() + "\n" + second.to_json() + "\n").encode()
    april = event(EventType.SKIP, "rw:1", START + timedelta(days=31), device=DEVICE)
    assert append(root, april) == root / DEVICE / "2026-04.jsonl"


def test_append_next_numbers_each_event_after_the_last_in_its_file(tmp_path: Path) -> None:
    plain = grade(0)
    append(tmp_path, plain)  # a line without a number (an older writer): numbering starts after it
    written = [files.append_next(tmp_path, grade(n)) for n in (1, 1, 2)]
    assert [e.seq for e in written] == [1, 2, 3]
    assert [located.event for located in read_log(tmp_path, {}).events] == [plain, *written]
    april = files.append_next(tmp_path, event(EventType.SKIP, "rw:1", START + timedelta(days=31), device=DEVICE))
    assert april.seq == 1  # a month's file numbers its own events
    path = tmp_path / DEVICE / "2026-03.jsonl"
    with path.open("ab") as handle:
        handle.write(b"x" * 70000 + b"\n" + grade(3).to_json().encode()[:50])  # damage, then a torn line
    assert files.append_next(tmp_path, grade(3)).seq == 1  # the numbers are not in the last 64 KiB any more
    with pytest.raises(ValueError, match="numbered already"):
        files.append_next(tmp_path, written[0])


def test_append_next_continues_after_a_torn_line_and_across_a_long_file(tmp_path: Path) -> None:
    for n in range(300):  # about 150 KB: more than the tail looked at
        files.append_next(tmp_path, grade(n))
    path = tmp_path / DEVICE / "2026-03.jsonl"
    with path.open("ab") as handle:
        handle.write(grade(300).to_json().encode()[:100])  # a crash mid-append
    assert files.append_next(tmp_path, grade(301)).seq == 301
    assert [e.event.seq for e in read_log(tmp_path, {}).events] == list(range(1, 302))


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_appends_racing_on_one_file_never_share_a_number_or_cut_a_line(tmp_path: Path) -> None:
    """Two recalls of one device writing at once (two databases, one log): the lock on the file
    keeps each append whole and each number once."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        written = list(pool.map(lambda n: files.append_next(tmp_path, grade(n % 50)), range(200)))
    read = read_log(tmp_path, {})
    assert not read.problems and sorted(e.seq for e in written) == list(range(1, 201))
    assert [located.event.seq for located in read.events] == list(range(1, 201))


def test_append_flushes_the_line_to_disk_before_returning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int]] = []
    real_write, real_fsync = os.write, os.fsync
    monkeypatch.setattr(os, "write", lambda fd, data: (calls.append(("write", fd)), real_write(fd, data))[1])
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(("fsync", fd)), real_fsync(fd))[1])
    append(tmp_path, grade(0))
    assert calls[0][0] == "write" and calls[1] == ("fsync", calls[0][1])  # the file, then its new folders
    assert len(calls) >= 3


def test_a_device_id_cannot_climb_out_of_the_log(tmp_path: Path) -> None:
    with pytest.raises(files.LogWriteError, match="cannot name a folder"):
        append(tmp_path, event(EventType.SKIP, "rw:1", START, device=".."))


def test_an_append_that_cannot_be_written_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("a file where the folder should be")
    with pytest.raises(files.LogWriteError, match="cannot append to the review log"):
        append(tmp_path / "blocked", grade(0))


def test_reading_is_incremental(tmp_path: Path) -> None:
    first, second, third = grade(0), grade(1), grade(2)
    append(tmp_path, first)
    append(tmp_path, second)
    read = read_log(tmp_path, {})
    assert ids(read) == [first.id, second.id] and read.files_read == 1
    assert [(x.file, x.line) for x in read.events] == [(f"{DEVICE}/2026-03.jsonl", 1), (f"{DEVICE}/2026-03.jsonl", 2)]
    again = read_log(tmp_path, read.cursors)
    assert again.events == [] and again.files_read == 0 and again.files_unchanged == 1
    append(tmp_path, third)
    later = read_log(tmp_path, again.cursors)
    assert ids(later) == [third.id] and later.events[0].line == 3
    stored = {name: Cursor.from_json(cursor.to_json()) for name, cursor in later.cursors.items()}
    assert stored == later.cursors


def test_a_torn_last_line_is_read_once_it_is_complete(tmp_path: Path) -> None:
    first, second = grade(0), grade(1)
    path = append(tmp_path, first)
    line = (second.to_json() + "\n").encode()
    with open(path, "ab") as out:  # a sync tool halfway through copying the second line
        out.write(line[:40])
    torn = read_log(tmp_path, {}, now=1000.0)
    assert ids(torn) == [first.id] and torn.problems == []
    assert read_log(tmp_path, torn.cursors, now=1000.0 + files.TORN_GRACE_SECONDS - 1).problems == []
    with open(path, "ab") as out:
        out.write(line[40:])
    complete = read_log(tmp_path, torn.cursors, now=5000.0)
    assert ids(complete) == [second.id] and complete.problems == [] and complete.events[0].line == 2
    assert read_log(tmp_path, complete.cursors).events == []


def test_a_line_that_stays_torn_is_warned_about(tmp_path: Path) -> None:
    path = append(tmp_path, grade(0))
    with open(path, "ab") as out:
        out.write(b'{"v":1,"id":"')
    first = read_log(tmp_path, {}, now=1000.0)
    later = read_log(tmp_path, first.cursors, now=1000.0 + files.TORN_GRACE_SECONDS)
    assert [str(p) for p in later.problems] == [
        f"{DEVICE}/2026-03.jsonl:2: an incomplete last line (13 bytes) for over 600 s; not read"
    ]
    assert len(first.events) == 1 and later.events == []


def test_appending_after_a_crash_mid_append_cuts_the_torn_line_off(tmp_path: Path) -> None:
    first, second = grade(0), grade(1)
    path = append(tmp_path, first)
    with open(path, "ab") as out:
        out.write(grade(5).to_json().encode()[:60])  # a crash before the line (and its fsync) was done
    append(tmp_path, second)
    assert path.read_text().splitlines() == [first.to_json(), second.to_json()]
    read = read_log(tmp_path, {})
    assert ids(read) == [first.id, second.id] and read.problems == []


def test_conflict_copies_and_duplicates_count_once(tmp_path: Path) -> None:
    first, second, third = grade(0, "rw:1"), grade(1, "rw:2"), grade(2, "rw:3")
    path = append(tmp_path, first)
    append(tmp_path, second)
    folder = path.parent
    shutil.copy(path, folder / "2026-03.sync-conflict-20260302-093000-ABCDEFG.jsonl")
    shutil.copy(path, folder / "2026-03 (laptop's conflicted copy 2026-03-02).jsonl")
    append(tmp_path, third)
    (folder / ".syncthing.2026-03.jsonl.tmp").write_bytes(path.read_bytes()[:30])  # a sync tool's work file
    (tmp_path / ".stversions").mkdir()
    shutil.copy(path, tmp_path / ".stversions" / "2026-03~20260302.jsonl")
    read = read_log(tmp_path, {})
    assert len(read.events) == 7 and read.problems == []
    merged = replay(located.event for located in read.events)
    assert len(merged.applied) == 3 and merged.conflicts == []
    assert set(merged.states) == {"rw:1", "rw:2", "rw:3"}


def test_a_bad_line_is_named_and_the_others_are_read(tmp_path: Path) -> None:
    first, second = grade(0), grade(1)
    path = append(tmp_path, first)
    with open(path, "ab") as out:
        out.write(b"<<<<<<< HEAD\n\n")
    append(tmp_path, second)
    read = read_log(tmp_path, {})
    assert ids(read) == [first.id, second.id] and read.events[1].line == 4
    assert len(read.problems) == 1 and str(read.problems[0]).startswith(f"{DEVICE}/2026-03.jsonl:2: not JSON")


def test_a_line_of_a_newer_schema_stops_that_file_until_recall_is_upgraded(tmp_path: Path) -> None:
    first = grade(0)
    path = append(tmp_path, first)
    newer = first.to_json().replace('"v":1', '"v":3').replace(str(first.id)[:8], "00000000")
    with open(path, "a") as out:
        out.write(newer + "\n")
    append(tmp_path, second := grade(2))
    read = read_log(tmp_path, {})
    assert ids(read) == [first.id] and [p.newer for p in read.problems] == [True]
    again = read_log(tmp_path, read.cursors)  # looked at again every time, from that line
    assert again.events == [] and again.problems == read.problems
    assert second.id not in ids(again)


def test_a_file_replaced_under_the_same_name_is_read_again(tmp_path: Path) -> None:
    first, second, other = grade(0), grade(1), grade(2, "rw:9")
    path = append(tmp_path, first)
    append(tmp_path, second)
    read = read_log(tmp_path, {})
    path.write_text(other.to_json() + "\n" + first.to_json() + "\n" + second.to_json() + "\n")  # same length or more
    again = read_log(tmp_path, read.cursors)
    assert ids(again) == [other.id, first.id, second.id]
    path.write_text(first.to_json() + "\n")  # shorter
    assert ids(read_log(tmp_path, again.cursors)) == [first.id]


def test_no_log_folder_is_an_empty_log(tmp_path: Path) -> None:
    read = read_log(tmp_path / "missing", {})
    assert read.events == [] and read.cursors == {} and read.problems == []


def test_the_device_id_is_made_once_and_kept(recall_home: Path) -> None:
    made = device_id()
    assert device_file() == recall_home / "device.json"
    assert device_id() == made and len(made) == 36
    assert [p.name for p in recall_home.iterdir()] == ["device.json"]


def test_a_damaged_device_file_is_never_replaced_silently(tmp_path: Path) -> None:
    (tmp_path / "device.json").write_text("{}")
    with pytest.raises(DeviceFileError, match="not a device id file"):
        device_id(tmp_path)
    assert (tmp_path / "device.json").read_text() == "{}"
