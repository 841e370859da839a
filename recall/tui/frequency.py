"""The review's ``+`` and ``-``: the card's source one level more or less often (``recall.frequency``:
more, normal, less, rarely, never), written at once through the session, and what the notice says.

A level never moves a due day; it shapes the grades after it, so the card stays on show with its
grade keys recomputed (``ReviewScreen.retune``); at ``never`` the source's cards leave the session
and the next card shows. What it did is said on the line above the keys, as a grade's notice is (a
toast would cover the keys it just changed). ``u`` takes the change back like any step.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from recall.columns import cut_middle
from recall.frequency import Level, stepped

if TYPE_CHECKING:
    from recall.scheduler_settings import SchedulerSettings
    from recall.tui.app import RecallApp

TITLE_CELLS = 40  # a notice names the source in at most this many cells
SAID = {Level.MORE: "more", Level.NORMAL: "as usual", Level.LESS: "less", Level.RARELY: "rarely"}


def notice(title: str, level: Level, settings: SchedulerSettings) -> str:
    """What a change to ``level`` does, for the notice: "Show 'Deep Work' less: intervals ×2"."""
    from recall.scheduler.frequency import effect  # the database layer: loaded after the first paint

    name = cut_middle(title, TITLE_CELLS)
    if level is Level.NEVER:
        return f"Never show '{name}': its highlights leave the queue, schedules kept (u or + brings them back)"
    return f"Show '{name}' {SAID[level]}: {effect(level, settings)}"


def at_the_end(title: str, level: Level) -> str:
    """Why ``+`` at ``more`` (or ``-`` at ``never``) does nothing."""
    name = cut_middle(title, TITLE_CELLS)
    return f"'{name}' is already shown {'as often as it can be' if level is Level.MORE else 'never'} ({level})"


async def step_frequency(app: RecallApp, more: bool) -> None:
    """``+`` (``more``) or ``-`` on the card on show: its source one level more or less often."""
    card, review, session = app.card_on_show, app.review, app.session
    if card is None or review is None or session is None:
        return
    level = stepped(card.frequency, more)
    if level is None:
        app.undoable = bool(session.undo_stack)  # the screen offered undo as it asked
        review.show_after_grade(at_the_end(card.title, card.frequency))
        return
    outcome = app.apply(lambda s: s.set_frequency(card.source_id, level))
    if outcome == "done" and level is not Level.NEVER:
        retuned = replace(card, frequency=level)
        review.retune(retuned, app.recall_grade_labels(retuned))
    elif outcome:
        await app.show_current()
    if outcome == "done" and app.review is not None:
        app.review.show_after_grade(notice(card.title, level, card.scheduler))
