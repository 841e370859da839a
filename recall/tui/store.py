"""The review app's database access: loading a queue and a card, and the actions.

Imported only by the loading worker (it pulls in SQLAlchemy, ~0.3 s), so the
first frame is painted before it. Every write goes through
``recall.scheduler.actions``, one transaction per keypress.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from recall.context import Context
from recall.db import cards, frequencies, reviews
from recall.db.engine import Engine, SQLAlchemyError
from recall.db.failures import storage_failure
from recall.db.queue import forecast
from recall.frequency import Level
from recall.fsnames import from_stored
from recall.reviewlog.collection import balance_load, current_settings
from recall.reviewlog.writer import LogWriter
from recall.scheduler import actions, frequency, undo
from recall.scheduler.actions import ActionError, HighlightNotFound, HighlightUnavailable, Marked, Rated
from recall.scheduler.frequency import Leveled
from recall.scheduler.queue import ahead, build_queue, count_ahead, unfinished_drills
from recall.scheduler_settings import SchedulerSettings
from recall.stats.report import streak_summary
from recall.tui.data import AHEAD, EXTRA_NEW, Card, Loaded, LoadResult, NothingDue, Outlook
from recall.vocabulary import DRILL_PASS_GRADE, QueueFilter

if TYPE_CHECKING:
    from recall.clock import Clock
    from recall.config import Settings

OUTLOOK_DAYS = 7  # the days ahead the "nothing due" screen counts


class StoreError(Exception):
    """A write that did not happen; the message says why, for a notification.

    ``gone`` is True when the highlight itself can no longer take the action
    (retired or discarded by another process): the session leaves it out.
    """

    def __init__(self, message: str, gone: bool = False) -> None:
        super().__init__(message)
        self.gone = gone


def _db_errors(error: SQLAlchemyError, engine: Engine) -> StoreError:
    """A failed write as the notice says it: a full disk or read-only file in one line."""
    path = Path(engine.url.database) if engine.url.database else None
    return StoreError(storage_failure(error, path) or f"not saved: {getattr(error, 'orig', None) or error}")


class Store:
    """The database seen from the review app."""

    def __init__(self, context: Context, where: QueueFilter) -> None:
        self.context = context
        self.where = where

    @property
    def engine(self) -> Engine:
        return self.context.engine

    def today(self) -> date:
        return self.context.today()

    # -- loading -----------------------------------------------------------------------

    def load(self) -> Loaded:
        """Today's session, or why there is none."""
        day = self.today()
        settings = self.context.settings
        if not cards.anything_imported(self.engine):
            return Loaded(LoadResult.NOTHING_IMPORTED, day)
        queue = build_queue(
            self.engine, day, settings.new_per_day, settings.reviews_per_day, self.where
        )
        drill_ids = self._unfinished_drills(day) if settings.drills else []
        drill_ids = [i for i in drill_ids if i not in set(queue.highlight_ids)]
        loaded = Loaded(
            LoadResult.SESSION, day, list(queue.highlight_ids), drill_ids, queue.reviewed_today, streak_summary(self.engine, day).current
        )
        if not loaded.ids and not drill_ids:
            loaded.kind = LoadResult.NOTHING_DUE
            loaded.nothing_due = NothingDue(
                day=day,
                reviewed_today=queue.reviewed_today,
                outlook=self.outlook(day),
                new_waiting=queue.new_available,
                ahead=self._count_ahead(day),
                capped=max(0, queue.due_total - len(queue.highlight_ids)),
                break_until=None if queue.on_break is None else queue.on_break.end,
            )
        return loaded

    def _unfinished_drills(self, day: date) -> list[int]:
        return unfinished_drills(self.engine, day, DRILL_PASS_GRADE, self.where)

    def _count_ahead(self, day: date) -> int:
        return count_ahead(self.engine, day, self.where)

    def ahead_ids(self) -> list[int]:
        """Highlights scheduled after today, soonest first: for reviewing ahead."""
        limit = self.where.limit if self.where.limit is not None else AHEAD
        return ahead(self.engine, self.today(), self.where, limit)

    def extra_new_ids(self) -> list[int]:
        """New highlights beyond today's new limit: for learning more today."""
        day = self.today()
        n = self.where.limit if self.where.limit is not None else EXTRA_NEW
        unlimited = replace(self.where, limit=None)
        probe = build_queue(self.engine, day, 0, 0, unlimited)
        queue = build_queue(
            self.engine, day, probe.new_today + n, probe.reviewed_today + probe.due_total + n, unlimited
        )
        return queue.highlight_ids[queue.due_count :][:n]

    @property
    def daily(self) -> QueueFilter:
        """The day's queue as a plain `recall review` builds it: the quality filter of the settings, not narrowed."""
        return QueueFilter(min_words=self.context.settings.min_words)

    def left_today(self) -> int:
        """Highlights the day's queue still holds now (due and new): what another `recall review` would offer."""
        settings = self.context.settings
        queue = build_queue(self.engine, self.today(), settings.new_per_day, settings.reviews_per_day, self.daily)
        return len(queue.highlight_ids)

    def tomorrow(self) -> tuple[int, int]:
        """(due, new) in tomorrow's queue as it stands: what falls due by tomorrow, today's unreviewed
        due highlights and today's skips included, then new ones up to the daily limits."""
        settings = self.context.settings
        day = self.today() + timedelta(days=1)
        queue = build_queue(self.engine, day, settings.new_per_day, settings.reviews_per_day, self.daily)
        return queue.due_count, queue.new_count

    def outlook(self, day: date | None = None) -> Outlook:
        """What falls due in the week after ``day`` (default today), as the day's queue would take it."""
        day = self.today() if day is None else day
        with self.engine.connect() as connection:
            coming = forecast(connection, day, OUTLOOK_DAYS, self.daily)
        tomorrow = coming.by_day[0][1]
        return Outlook(tomorrow, coming.total, coming.next_due_day, tuple((d, n) for d, n in coming.by_day if n))

    def streak(self) -> int:
        return streak_summary(self.engine, self.today()).current

    def reviewed_today(self) -> int:
        with self.engine.connect() as connection:
            return reviews.reviewed_count(connection, self.today())[0]

    def card(self, highlight_id: int) -> Card | None:
        """The highlight as the card shows it, or None if it no longer exists."""
        found = cards.card_fields(self.engine, highlight_id, self.today())
        if found is None:
            return None
        row, place = found
        return Card(
            id=row.id, key=row.key, text=row.text, note=row.note, tags=_tags(row.tags), location=row.location,
            location_url=row.location_url, chapter=row.chapter, favorite=bool(row.favorite), due=row.due,
            title=row.title, author=row.author, category=row.category, source_url=row.url,
            note_file=Path(from_stored(place.root)) / from_stored(place.path) if place else None,
            line=place.line if place else None, repetitions=row.repetitions, easiness=row.easiness,
            interval=row.interval, review_count=row.review_count, reviewed_today=bool(row.reviewed_on_day),
            memory=None if row.stability is None else (row.stability, row.difficulty, row.last_review),
            scheduler=self.scheduler(), source_id=row.source_id, frequency=Level(row.frequency),
        )

    def due_load(self, first: date, last: date) -> dict[date, int]:
        """Highlights due on each study day from ``first`` to ``last``: what a balanced grade is placed by
        (``collection.balance_load``: break days the heaviest)."""
        with self.engine.connect() as connection:
            return balance_load(connection, first, last)

    def scheduler(self) -> SchedulerSettings:
        """The collection's scheduler, as the review log has it now (another device may switch it)."""
        with self.engine.connect() as connection:
            return current_settings(connection)

    # -- actions (each its own transaction) ----------------------------------------------

    @property
    def log(self) -> LogWriter:
        """Where every action's event goes first: this device's review log, as the settings place it."""
        return LogWriter.of(self.context.settings)

    def rate(self, highlight_id: int, grade: int, seconds: float | None) -> Rated:
        """Grade now, in the review log first; returns what rate() did (with its event, for undo)."""
        return self._act(lambda: actions.rate(
            self.engine, highlight_id, grade, self.context.now(), self.today(), seconds, log=self.log
        ))

    def undo_grade(self, rated: Rated) -> None:
        """Undo our grade, but only if it is still the newest (another recall may have graded since)."""
        try:
            undo.undo_last(self.engine, self.context.now(), self.today(), log=self.log, expected=rated)
        except ActionError as error:
            raise StoreError(str(error)) from error  # the highlight itself is fine
        except SQLAlchemyError as error:
            raise _db_errors(error, self.engine) from error

    def skip(self, highlight_id: int) -> Marked:
        return self._act(lambda: actions.skip(self.engine, highlight_id, self.context.now(), self.today(), log=self.log))

    def discard(self, highlight_id: int) -> Marked:
        return self._act(
            lambda: actions.discard(self.engine, highlight_id, self.context.now(), self.today(), log=self.log)
        )

    def set_favorite(self, highlight_id: int, favorite: bool) -> Marked:
        return self._act(lambda: actions.set_favorite(
            self.engine, highlight_id, self.context.now(), self.today(), favorite=favorite, log=self.log
        ))

    def undo_mark(self, marked: Marked) -> None:
        """Take back a skip, discard or favourite mark of this session (an undo event naming it)."""
        self._act(lambda: undo.undo_mark(self.engine, marked, self.context.now(), self.today(), log=self.log))

    def set_frequency(self, source_id: int, level: Level) -> Leveled:
        """Show the source ``source_id`` at ``level`` from now on (``recall.scheduler.frequency``)."""
        return self._act(lambda: frequency.set_frequency(
            self.engine, source_id, level, self.context.now(), self.today(), log=self.log
        ))

    def undo_frequency(self, leveled: Leveled) -> None:
        """Take back a frequency this session set (an undo event naming it)."""
        self._act(lambda: frequency.undo_frequency(self.engine, leveled, self.context.now(), self.today(), log=self.log))

    def source_highlights(self, source_id: int) -> set[int]:
        """The ids of every highlight of the source ``source_id``."""
        return frequencies.highlight_ids_of(self.engine, source_id)

    def _act(self, action):
        try:
            return action()
        except ActionError as error:
            raise StoreError(str(error), gone=isinstance(error, HighlightNotFound | HighlightUnavailable)) from error
        except SQLAlchemyError as error:
            raise _db_errors(error, self.engine) from error


def open_caught_up(db_path: Path, settings: Settings, clock: Clock | None) -> tuple[Context, list[str]]:
    """The review command's own context (``clock`` None: the environment's, ``RECALL_NOW``), its database
    caught up with the review log first (``recall.reviewlog.catchup``: other devices' events, a grade
    a crash kept from the database), and what the catch-up could not read (told after the app)."""
    from recall.clock import clock_from_env
    from recall.db.engine import open_db
    from recall.reviewlog.catchup import catch_up

    context = Context(open_db(db_path), settings, clock or clock_from_env())
    return context, catch_up(context.engine, LogWriter.of(settings), context.now()).warnings


def _tags(raw: str | None) -> tuple[str, ...]:
    try:
        tags = json.loads(raw or "[]")
    except ValueError:
        return ()
    return tuple(str(t) for t in tags) if isinstance(tags, list) else ()
