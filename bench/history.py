"""A year of review history, written straight into a copy of an imported database with SQL.

A day-by-day simulation of a steady reader: 365 study days in a row, each with every due
highlight (most overdue first, at most 2 x --per-day) and then ~13 new ones, which settles at
about 100 first grades a day; grades drawn from a realistic spread (mostly 4, some 5 and 3, ~8 % lapses), a same-day
drill for every grade below 4 (as SM-2 asks), and SM-2 applied with recall's own
``recall.sm2.review`` so every ``*_before`` / ``*_after`` column and every
highlight's state agree. The simulated reader stops the day before ``today``, so the
reviewed highlights fall due over the following weeks (most within ~60 days, long
intervals later) with a small overdue backlog, and the ~190,000 other highlights are new.

    python bench/history.py DB [--today 2026-03-02] [--days 365] [--per-day 100] [--new-per-day 13]

Deterministic (seeded). The schema is recall/db/migrations.py; a review row holds what
recall/scheduler/actions.py ``rate`` writes.
"""

from __future__ import annotations

import argparse
import heapq
import random
import sqlite3
from datetime import UTC, date, datetime, timedelta

from recall.sm2 import SM2State, easiness_to_hundredths, review

GRADES = (0, 1, 2, 3, 4, 5)
GRADE_WEIGHTS = (1, 2, 5, 15, 57, 20)  # percent


def add_history(db_path: str, today: date, days: int = 365, per_day: int = 100, new_per_day: int = 13,
                seed: int = 6) -> dict[str, int]:
    """Simulate ``days`` study days ending the day before ``today``; returns a summary."""
    rng = random.Random(seed)
    db = sqlite3.connect(db_path)
    try:
        ids = [row[0] for row in db.execute(
            "SELECT id FROM highlights WHERE NOT retired AND NOT discarded ORDER BY id")]
        # New highlights are introduced in a shuffled order (as the queue's seeded shuffle would).
        rng.shuffle(ids)
        fresh = iter(ids)
        state: dict[int, tuple[SM2State, date]] = {}
        due_heap: list[tuple[date, int]] = []  # (due, id); stale entries are skipped
        reviews: list[tuple] = []
        first = today - timedelta(days=days)
        for offset in range(days):
            day = first + timedelta(days=offset)
            # Every due highlight (most overdue first; at most twice the usual day's work),
            # then the day's new ones.
            todays: list[tuple[int, bool]] = []  # (id, is new)
            while len(todays) < 2 * per_day and due_heap and due_heap[0][0] <= day:
                due, highlight = heapq.heappop(due_heap)
                if state[highlight][1] == due:
                    todays.append((highlight, False))
            for _ in range(max(0, round(rng.gauss(new_per_day, new_per_day / 4)))):
                highlight = next(fresh, None)
                if highlight is not None:
                    todays.append((highlight, True))
            at = datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC)
            for highlight, new in todays:
                before, due_before = state.get(highlight, (SM2State(), None))
                grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
                after = review(before, grade)
                due_after = day + timedelta(days=after.interval)
                at += timedelta(seconds=rng.uniform(4, 25))
                reviews.append((
                    highlight, at.strftime("%Y-%m-%d %H:%M:%S.%f"), day.isoformat(), grade, "review",
                    round(rng.uniform(3, 20), 1), before.repetitions, easiness_to_hundredths(before.easiness),
                    before.interval, None if new else due_before.isoformat(), after.repetitions,
                    easiness_to_hundredths(after.easiness), after.interval, due_after.isoformat(),
                ))
                if grade < 4:  # drilled again the same day: logged, schedule untouched
                    at += timedelta(seconds=rng.uniform(4, 25))
                    drill = min(5, grade + 1 + rng.randrange(2))
                    reviews.append((
                        highlight, at.strftime("%Y-%m-%d %H:%M:%S.%f"), day.isoformat(), drill, "drill",
                        round(rng.uniform(3, 20), 1), after.repetitions, easiness_to_hundredths(after.easiness),
                        after.interval, due_after.isoformat(), after.repetitions,
                        easiness_to_hundredths(after.easiness), after.interval, due_after.isoformat(),
                    ))
                state[highlight] = (after, due_after)
                heapq.heappush(due_heap, (due_after, highlight))
        with db:
            db.executemany(
                "INSERT INTO reviews (highlight_id, reviewed_at, study_day, grade, kind, seconds,"
                " repetitions_before, easiness_before, interval_before, due_before,"
                " repetitions_after, easiness_after, interval_after, due_after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                reviews,
            )
            db.executemany(
                "UPDATE highlights SET repetitions = ?, easiness = ?, interval = ?, due = ? WHERE id = ?",
                [(s.repetitions, easiness_to_hundredths(s.easiness), s.interval, due.isoformat(), highlight)
                 for highlight, (s, due) in state.items()],
            )
        dues = [due for _, due in state.values()]
        return {
            "reviews": sum(1 for r in reviews if r[4] == "review"),
            "drills": sum(1 for r in reviews if r[4] == "drill"),
            "study_days": len({r[2] for r in reviews}),
            "highlights": len(ids),
            "reviewed_highlights": len(state),
            "due_today_or_overdue": sum(due <= today for due in dues),
            "due_next_60_days": sum(today < due <= today + timedelta(days=60) for due in dues),
            "due_later": sum(due > today + timedelta(days=60) for due in dues),
        }
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 3, 2))
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=100)
    parser.add_argument("--new-per-day", type=int, default=13)
    args = parser.parse_args()
    print(add_history(args.db, args.today, args.days, args.per_day, args.new_per_day))


if __name__ == "__main__":
    main()
