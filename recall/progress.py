"""A progress bar on stderr while a long command runs, only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from recall.text import one_line

if TYPE_CHECKING:
    from rich.progress import Progress


class progress:  # noqa: N801 - used as a context manager, like open()
    """``with progress("Importing …") as update:`` gives ``update(done, total, label=None)``,
    or None when stderr is no terminal; a label given to ``update`` replaces the first.

    Labels are shown literally (a path with brackets or escapes is not markup).
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Progress | None = None

    def __enter__(self) -> Callable[..., None] | None:
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.markup import escape
        from rich.progress import Progress

        bar = self.bar = Progress(console=Console(stderr=True), transient=True, redirect_stdout=False, redirect_stderr=False)
        bar.start()
        task = bar.add_task(escape(one_line(self.label)), total=None)

        def update(done: int, total: int, label: str | None = None) -> None:
            bar.update(task, completed=done, total=total, description=escape(one_line(label)) if label else None)

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
