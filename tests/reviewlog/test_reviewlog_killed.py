"""An append that has returned is in the file, whatever happens to the process next."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from recall.reviewlog.files import read_log

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

CHILD = """
import os, signal, sys, uuid
from datetime import UTC, date, datetime
from pathlib import Path
from recall.reviewlog.events import Event, EventType, Snapshot
from recall.reviewlog.files import append
from recall.vocabulary import ReviewKind

root, count = Path(sys.argv[1]), int(sys.argv[2])
for n in range(count):
    event = Event(id=uuid.uuid4(), type=EventType.GRADE, at=datetime.now(UTC), day=date(2026, 3, 2), tz="UTC",
                  rollover=4, device="5f0c2d1e-8f53-4b0e-a1f4-0d0c9a7b6e21", key=f"rw:{n}", before=Snapshot(),
                  after=Snapshot(), grade=4, kind=ReviewKind.REVIEW)
    append(root, event)
    print(event.id, flush=True)  # told only once append has returned
    if n == count - 1 and sys.argv[3] == "self":
        os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_process_killed_right_after_an_append_returns_keeps_the_event(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path), "3", "self"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == -signal.SIGKILL
    told = done.stdout.split()
    read = read_log(tmp_path, {})
    assert [str(x.event.id) for x in read.events] == told and len(told) == 3 and read.problems == []


def test_a_process_killed_while_appending_leaves_every_returned_event_and_only_whole_lines(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path), "100000", "no"], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout is not None
    told = [child.stdout.readline().strip() for _ in range(20)]
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    told += child.stdout.read().split()
    read = read_log(tmp_path, {}, now=0.0)
    found = [str(x.event.id) for x in read.events]
    assert found[: len(told)] == told and len(found) - len(told) <= 1  # at most the one that had not returned
    assert read.problems == []
