"""Stopping an import cleanly on Ctrl+C (SIGINT) or SIGTERM.

While ``stop_on_signals`` is in effect the first signal only raises a flag (a second
one acts as usual). The importer asks it between files, writes what it has already
read (each chunk is a transaction of its own, so the database is consistent at every
moment) and raises ``Interrupted``. Worker processes ignore SIGINT (a Ctrl+C reaches
the whole process group) and are stopped by the main process."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Stopping = Callable[[], bool]
"""Asked between files: True once the import has been told to stop."""

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(Exception):
    """The import stopped on a signal: ``done`` of the ``total`` files walked so far
    are imported; the next import goes on from there."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"interrupted after {done} of {total} files")
        self.done = done
        self.total = total


def never() -> bool:
    """A ``Stopping`` for imports that nothing interrupts."""
    return False


@contextmanager
def stop_on_signals() -> Iterator[Stopping]:
    """Turn SIGINT and SIGTERM into a request to stop, for the block's duration (main
    thread only); yields the ``Stopping`` that tells whether one arrived."""
    received: list[int] = []

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    def request(number: int, _frame: object) -> None:
        received.append(number)
        restore()  # a second Ctrl+C or SIGTERM acts at once, as without recall

    previous = {number: signal.signal(number, request) for number in SIGNALS}
    try:
        yield lambda: bool(received)
    finally:
        restore()


def worker_signals() -> None:
    """First thing in a worker process: Ctrl+C is for the main process to handle, and
    SIGTERM ends the worker at once (it has nothing to save)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
