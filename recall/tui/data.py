"""Plain data the screens show; no database or Textual imports, so it loads instantly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from recall.frequency import Level
from recall.reviewlog.events import Snapshot
from recall.scheduler_settings import SM2, SchedulerSettings

EXTRA_NEW = 10
"""How many new highlights ``n`` adds on the nothing-due screen (unless --limit says)."""
AHEAD = 20
"""How many highlights ``a`` reviews ahead (unless --limit says)."""


class ExtraMode(StrEnum):
    """The extra sessions the nothing-due screen offers, named as the session bar shows them."""

    REVIEW_AHEAD = "Review ahead"  # key a
    LEARN_NEW = "New highlights"  # key n


REVIEW_AHEAD, LEARN_NEW = ExtraMode.REVIEW_AHEAD, ExtraMode.LEARN_NEW
NOTHING_TO_ADD = {
    REVIEW_AHEAD: "Nothing to review ahead: no highlight is scheduled after today.",
    LEARN_NEW: "No new highlights waiting: every imported highlight is already in review.",
}
"""What ``a`` and ``n`` say on the nothing-due screen when there is nothing for them to start."""


class LoadResult(StrEnum):
    """What the loading worker found: a session to review, or why there is none."""

    SESSION = "session"
    NOTHING_IMPORTED = "nothing-imported"
    NOTHING_DUE = "nothing-due"


@dataclass(frozen=True)
class Card:
    """One highlight with everything the card shows, and its state and the collection's scheduler
    for the grade keys (``state``)."""

    id: int
    key: str  # its stable identity (seeds the cloze blanks)
    text: str
    note: str | None
    tags: tuple[str, ...]
    location: str | None
    location_url: str | None
    chapter: str | None
    favorite: bool
    due: date | None
    title: str
    author: str | None
    category: str | None
    source_url: str | None
    note_file: Path | None  # the vault file of its first occurrence
    line: int | None  # 1-based line of the highlight in that file
    repetitions: int = 0
    easiness: int = 250  # hundredths
    interval: int = 0  # days
    review_count: int = 0  # rows of its review log, drills included: a new prompt after every grade
    reviewed_today: bool = False  # the study day's review is given: a grade now is a drill
    memory: tuple[float, float, date] | None = None  # FSRS: stability (days), difficulty, last review's day
    scheduler: SchedulerSettings = SM2  # the collection's, when the card was loaded
    source_id: int = 0  # its source (``+``/``-`` set the source's frequency)
    frequency: Level = Level.NORMAL  # its source's, when the card was loaded: it shapes the grade keys

    @property
    def state(self) -> Snapshot:
        """Its schedule as the scheduler takes it (``recall.scheduling``)."""
        stability, difficulty, reviewed = self.memory or (None, None, None)
        return Snapshot(self.repetitions, self.easiness, self.interval, self.due, favorite=self.favorite,
                        stability=stability, difficulty=difficulty, reviewed=reviewed)

    @property
    def link(self) -> str | None:
        """What ``o`` opens: the location's link, else the source's."""
        return self.location_url or self.source_url


@dataclass(frozen=True)
class Outlook:
    """What falls due after today."""

    tomorrow: int = 0
    week: int = 0  # in the next 7 days, tomorrow included
    next_due: date | None = None
    by_day: tuple[tuple[date, int], ...] = ()


@dataclass(frozen=True)
class NothingDue:
    """Why the queue is empty, and what could be done instead."""

    day: date
    reviewed_today: int
    outlook: Outlook
    new_waiting: int  # new highlights held back by the daily new limit
    ahead: int  # highlights scheduled for later that could be reviewed ahead
    capped: int  # due highlights held back by the daily review limit
    break_until: date | None = None  # the day is in a break (`recall break`) ending then


@dataclass
class Loaded:
    """What the loading worker hands to the app."""

    kind: LoadResult
    day: date
    ids: list[int] = field(default_factory=list)
    drill_ids: list[int] = field(default_factory=list)  # left from earlier today (graded < 4)
    reviewed_today: int = 0
    streak: int = 0
    nothing_due: NothingDue | None = None


@dataclass(frozen=True)
class TodayFigures:
    """How the study day stands, as the session bar shows it: highlights reviewed today and the streak."""

    reviewed: int = 0
    streak: int = 0


@dataclass(frozen=True)
class Summary:
    """The end-of-session figures."""

    reviewed: int
    grades: tuple[tuple[int, int], ...]  # (grade, how many reviews got it), highest grade first
    drills: int
    skipped: int
    discarded: int
    seconds: float
    streak_before: int
    streak_after: int
    outlook: Outlook
    reviewed_today: int
    left_today: int = 0  # what the day's queue still holds (due and new) at the end of the session
    tomorrow_due: int = 0  # tomorrow's queue: due by then, today's leftovers included
    tomorrow_new: int = 0  # and new ones

    @property
    def today(self) -> TodayFigures:
        """The study day as it stands at the end of the session (other sessions' grades included)."""
        return TodayFigures(self.reviewed_today, self.streak_after)
