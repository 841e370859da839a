"""The current streak, until a stats module owns it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine, text


def current_streak(engine: Engine, today: date) -> int:
    """Consecutive study days with at least one graded review (drills don't count), ending
    today, or yesterday if nothing has been graded yet today."""
    days = set()
    with engine.connect() as connection:
        for (day,) in connection.execute(
            text("SELECT DISTINCT study_day FROM reviews WHERE kind = 'review' AND study_day <= :today"),
            {"today": today.isoformat()},
        ):
            days.add(date.fromisoformat(day))
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count
