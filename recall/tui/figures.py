"""What the review app counts and says about a session: the session bar's progress and
today's figures, the end-of-session summary, the farewell line and the undo notice.

Plain functions over the session and what was loaded; no Textual here, and the store
only for the summary's fresh counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from recall.reviewlog.events import EventType
from recall.scheduler.preview import comes_back, outcomes
from recall.scheduling import Load
from recall.tui.data import Card, Loaded, Summary, TodayFigures
from recall.tui.session import StepKind
from recall.vocabulary import ReviewKind

if TYPE_CHECKING:
    from recall.tui.session import Session, Step
    from recall.tui.store import Store


def progress(session: Session) -> str:
    """The session bar's progress: "3 of 20", or "drills · 2 left" while drilling."""
    return f"drills · {session.drills_left} left" if session.drilling else f"{session.position} of {session.main_total}"


def today(loaded: Loaded | None, session: Session | None) -> TodayFigures:
    """The study day as it stands: highlights reviewed today (before this session and in it) and the
    streak, which counts today too once the first grade of the day is given."""
    if loaded is None:
        return TodayFigures()
    reviews = len(session.reviews) if session else 0
    started_today = loaded.reviewed_today == 0 and reviews > 0
    return TodayFigures(loaded.reviewed_today + reviews, loaded.streak + (1 if started_today else 0))


def summary(session: Session, loaded: Loaded, store: Store) -> Summary:
    """The end-of-session figures; the streak, today's count, what is left today, tomorrow's queue and
    the outlook counted afresh."""
    state = session.state
    reviews = session.reviews
    tomorrow_due, tomorrow_new = store.tomorrow()
    return Summary(
        reviewed=len(reviews),
        grades=tuple(sorted(Counter(g.grade for g in reviews).items(), reverse=True)),
        drills=sum(1 for g in state.graded if g.kind == ReviewKind.DRILL),
        skipped=state.skipped, discarded=state.discarded,
        seconds=sum(g.seconds or 0 for g in state.graded),
        streak_before=loaded.streak, streak_after=store.streak(),
        outlook=store.outlook(), reviewed_today=store.reviewed_today(),
        left_today=store.left_today(), tomorrow_due=tomorrow_due, tomorrow_new=tomorrow_new,
    )


def farewell(session: Session | None, figures: TodayFigures) -> str | None:
    """One line for the terminal after the app closes, or None when nothing was graded."""
    if session is None or not session.state.graded:
        return None
    reviews = session.reviews
    drills = len(session.state.graded) - len(reviews)
    line = f"Reviewed {len(reviews)} highlight{'s' if len(reviews) != 1 else ''}"
    if drills:
        line += f" and {drills} drill{'s' if drills != 1 else ''}"
    return line + f"; {figures.reviewed} today, streak {figures.streak}."


def describe(step: Step, captions: Mapping[int, str]) -> str:
    """The step undo took back, completing "Took back the …": a grade is named by its key's
    caption in the preset (``captions``: grade -> caption), "grade Hard"."""
    if step.rated is not None:
        return f"grade {captions.get(step.rated.grade, step.rated.grade)}"
    if step.what == StepKind.FAVORITE:
        return "favourite mark" if step.marked is None or step.marked.type is EventType.FAVORITE else "unmarking"
    return step.what


def grade_labels(
    card: Card, grades: Iterable[int], day: date, *, drill: bool, drills: bool, load: Load | None = None
) -> dict[int, str]:
    """What each grade key would do to ``card`` on study day ``day``: "1d", "15d" (the next interval),
    or "again"/"done" for a drill (``drill``: the day's review is given; ``drills``: the setting);
    ``load`` (due counts by day) places a balanced grade as the grade itself will."""
    found = outcomes(card.state, grades, day, drill=drill or card.reviewed_today, drills=drills,
                     settings=card.scheduler, key=card.key, level=card.frequency, load=load)
    return {grade: outcome.label() for grade, outcome in found.items()}


def graded_notice(step: Step, day: date, again_today: bool) -> str | None:
    """After a grade: when the highlight comes back ("next: in 15 days, Tue 23 Jun"), or None for a
    drill (its schedule did not move)."""
    rated = step.rated
    if rated is None or rated.kind != ReviewKind.REVIEW or rated.due is None:
        return None
    return comes_back(rated.due, day, again_today)
