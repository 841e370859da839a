"""The daily queue and the actions that change a schedule, on a real SQLite file."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from recall.db.engine import writing
from recall.db.models import DRAW_MULTIPLIER, DRAW_SPAN
from recall.db.queue import draw_start
from recall.scheduler.actions import (
    BadGrade,
    HighlightNotFound,
    HighlightUnavailable,
    discard,
    rate,
    restore,
    set_favorite,
    skip,
)
from recall.scheduler.queue import QueueFilter, build_queue
from recall.scheduler.undo import undo_last, undo_mark

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 9, 30).astimezone()


def add_highlights(engine, count: int, source: str = "Book", category: str = "books", tags=()) -> list[int]:
    """Insert ``count`` new highlights of one source; returns their ids."""
    with writing(engine) as c:
        source_id = c.exec_driver_sql(
            "INSERT INTO sources (key, title, category, first_seen, last_seen) VALUES (?, ?, ?, '2026-01-01', '2026-01-01')"
            " ON CONFLICT (key) DO UPDATE SET title = excluded.title RETURNING id",
            (source.lower(), source, category),
        ).scalar_one()
        start = c.exec_driver_sql("SELECT count(*) FROM highlights").scalar_one()
        for n in range(count):
            c.exec_driver_sql(
                "INSERT INTO highlights (key, source_id, text, tags, first_seen, last_seen)"
                " VALUES (?, ?, ?, ?, '2026-01-01', '2026-01-01')",
                (f"k{start + n}", source_id, f"{source} highlight {n}", json.dumps(list(tags))),
            )
        return [r[0] for r in c.exec_driver_sql("SELECT id FROM highlights WHERE source_id = ? ORDER BY id", (source_id,))]


def set_due(engine, highlight_id: int, due: date) -> None:
    with writing(engine) as c:
        c.exec_driver_sql("UPDATE highlights SET due = ?, repetitions = 1, interval = 1 WHERE id = ?", (due.isoformat(), highlight_id))


def snapshot(engine, highlight_id: int):
    with engine.connect() as c:
        return c.exec_driver_sql(
            "SELECT repetitions, easiness, interval, due, skipped_until, discarded, favorite FROM highlights WHERE id = ?",
            (highlight_id,),
        ).one()


def review_rows(engine):
    with engine.connect() as c:
        return c.exec_driver_sql("SELECT highlight_id, grade, kind, study_day FROM reviews ORDER BY id").all()


def test_due_first_most_overdue_first_then_new_up_to_the_limit(engine) -> None:
    ids = add_highlights(engine, 30)
    set_due(engine, ids[0], DAY)
    set_due(engine, ids[1], DAY - timedelta(days=5))
    set_due(engine, ids[2], DAY - timedelta(days=1))
    set_due(engine, ids[3], DAY + timedelta(days=1))  # not due yet
    queue = build_queue(engine, DAY, new_per_day=5, reviews_per_day=100)
    assert queue.highlight_ids[:3] == [ids[1], ids[2], ids[0]]
    assert (queue.due_count, queue.new_count, queue.new_available) == (3, 5, 26)
    assert ids[3] not in queue.highlight_ids


def test_limits_count_what_was_done_today(engine, log_writer) -> None:
    ids = add_highlights(engine, 20)
    for highlight_id in ids[:3]:
        rate(engine, highlight_id, 4, NOW, DAY, log=log_writer)
    queue = build_queue(engine, DAY, new_per_day=5, reviews_per_day=100)
    assert (queue.reviewed_today, queue.new_today, queue.new_count) == (3, 3, 2)
    capped = build_queue(engine, DAY, new_per_day=50, reviews_per_day=4)
    assert len(capped.highlight_ids) == 1


def test_review_cap_keeps_due_before_new(engine) -> None:
    ids = add_highlights(engine, 10)
    for highlight_id in ids[:4]:
        set_due(engine, highlight_id, DAY)
    queue = build_queue(engine, DAY, new_per_day=10, reviews_per_day=3)
    assert (queue.due_count, queue.new_count, queue.due_total) == (3, 0, 4)


def test_order_is_deterministic_per_day_and_changes_between_days(engine) -> None:
    add_highlights(engine, 40)
    first = build_queue(engine, DAY, 40, 100).highlight_ids
    assert build_queue(engine, DAY, 40, 100).highlight_ids == first
    assert build_queue(engine, DAY + timedelta(days=1), 40, 100).highlight_ids != first
    assert len(set(first)) == 40


@pytest.mark.parametrize("day", [DAY, DAY + timedelta(days=1), date(2031, 7, 19)])
def test_new_highlights_are_drawn_alike_narrowed_or_not(engine, day) -> None:
    ids = add_highlights(engine, 60, "Deep Work")
    whole = build_queue(engine, day, 25, 100).highlight_ids
    narrowed = build_queue(engine, day, 25, 100, QueueFilter(source="Deep")).highlight_ids
    assert whole == narrowed  # the index walk and the sort give one order
    start = draw_start(day)
    places = {i: (i * DRAW_MULTIPLIER) % DRAW_SPAN for i in ids}
    after, before = sorted((p, i) for i, p in places.items() if p >= start), sorted((p, i) for i, p in places.items() if p < start)
    assert whole == [i for _, i in after + before][:25]  # from the day's starting point, wrapping round


def test_the_unnarrowed_draw_reads_the_draw_index(engine) -> None:
    add_highlights(engine, 5)
    drawn: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if "4294967296 >=" in statement or "4294967296 <" in statement:
            drawn.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        build_queue(engine, DAY, 3, 100)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    with engine.connect() as connection:
        plans = [
            " ".join(str(row[-1]) for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters))
            for sql, parameters in drawn
        ]
    assert plans and all("INDEX highlights_draw" in plan for plan in plans)


def test_filters_and_limit(engine) -> None:
    books = add_highlights(engine, 4, "Deep Work", "books", tags=("focus",))
    tweets = add_highlights(engine, 3, "Tweets From Ann", "tweets", tags=("Fun",))
    assert set(build_queue(engine, DAY, 20, 100, QueueFilter(source="deep")).highlight_ids) == set(books)
    assert set(build_queue(engine, DAY, 20, 100, QueueFilter(tag="fun")).highlight_ids) == set(tweets)
    assert set(build_queue(engine, DAY, 20, 100, QueueFilter(category="tweets")).highlight_ids) == set(tweets)
    assert build_queue(engine, DAY, 20, 100, QueueFilter(source="100%")).highlight_ids == []
    assert len(build_queue(engine, DAY, 20, 100, QueueFilter(limit=2)).highlight_ids) == 2


def test_skipped_comes_back_next_day_discarded_and_retired_never(engine, log_writer) -> None:
    a, b, c = add_highlights(engine, 3)
    skip(engine, a, NOW, DAY, log=log_writer)
    discard(engine, b, NOW, DAY, log=log_writer)
    with writing(engine) as connection:
        connection.exec_driver_sql("UPDATE highlights SET retired = 1 WHERE id = ?", (c,))
    assert build_queue(engine, DAY, 20, 100).highlight_ids == []
    assert build_queue(engine, DAY + timedelta(days=1), 20, 100).highlight_ids == [a]
    restore(engine, b, NOW, DAY, log=log_writer)
    assert set(build_queue(engine, DAY + timedelta(days=1), 20, 100).highlight_ids) == {a, b}


def test_rate_applies_sm2_and_logs_state_before_and_after(engine, log_writer) -> None:
    (highlight_id,) = add_highlights(engine, 1)
    rated = rate(engine, highlight_id, 5, NOW, DAY, seconds=4.5, log=log_writer)
    assert (rated.kind, rated.after.interval, rated.after.easiness, rated.due) == ("review", 1, 260, DAY + timedelta(days=1))
    assert snapshot(engine, highlight_id)[:4] == (1, 260, 1, "2026-03-03")
    with engine.connect() as c:
        row = c.exec_driver_sql("SELECT * FROM reviews").one()._mapping
    assert (row["grade"], row["kind"], row["seconds"], row["study_day"]) == (5, "review", 4.5, "2026-03-02")
    assert (row["repetitions_before"], row["easiness_before"], row["interval_before"], row["due_before"]) == (0, 250, 0, None)
    assert (row["repetitions_after"], row["easiness_after"], row["interval_after"], row["due_after"]) == (1, 260, 1, "2026-03-03")


def test_second_grade_same_day_is_a_drill_that_leaves_the_schedule(engine, log_writer) -> None:
    (highlight_id,) = add_highlights(engine, 1)
    rate(engine, highlight_id, 2, NOW, DAY, log=log_writer)
    after_first = snapshot(engine, highlight_id)
    assert rate(engine, highlight_id, 5, NOW, DAY, log=log_writer).kind == "drill"
    assert snapshot(engine, highlight_id) == after_first
    assert [r[2] for r in review_rows(engine)] == ["review", "drill"]
    assert rate(engine, highlight_id, 5, NOW, DAY + timedelta(days=1), log=log_writer).kind == "review"


@pytest.mark.parametrize(
    ("prepare", "grade", "refusal"),
    [
        (None, 6, BadGrade),
        (None, -1, BadGrade),
        ("retire", 3, HighlightUnavailable),
        ("discard", 3, HighlightUnavailable),
        ("missing", 3, HighlightNotFound),
    ],
)
def test_refusals_leave_the_database_untouched(engine, prepare, grade, refusal, log_writer) -> None:
    (highlight_id,) = add_highlights(engine, 1)
    if prepare == "retire":
        with writing(engine) as c:
            c.exec_driver_sql("UPDATE highlights SET retired = 1")
    elif prepare == "discard":
        discard(engine, highlight_id, NOW, DAY, log=log_writer)
    target = highlight_id + 1000 if prepare == "missing" else highlight_id
    before = snapshot(engine, highlight_id)
    with pytest.raises(refusal):
        rate(engine, target, grade, NOW, DAY, log=log_writer)
    assert snapshot(engine, highlight_id) == before and review_rows(engine) == []


def test_skip_discard_favourite_never_touch_sm2_numbers(engine, log_writer) -> None:
    (highlight_id,) = add_highlights(engine, 1)
    rate(engine, highlight_id, 4, NOW, DAY, log=log_writer)
    sm2_before = snapshot(engine, highlight_id)[:4]
    previous = skip(engine, highlight_id, NOW, DAY, log=log_writer)
    set_favorite(engine, highlight_id, NOW, DAY, favorite=True, log=log_writer)
    discard(engine, highlight_id, NOW, DAY, log=log_writer)
    restore(engine, highlight_id, NOW, DAY, log=log_writer)
    assert snapshot(engine, highlight_id)[:4] == sm2_before
    assert snapshot(engine, highlight_id)[4:] == ("2026-03-02", 0, 1)
    undo_mark(engine, previous, NOW, DAY, log=log_writer)
    assert snapshot(engine, highlight_id)[4] is None


def test_undo_with_empty_log_is_none(engine, log_writer) -> None:
    assert undo_last(engine, NOW, DAY, log=log_writer) is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), min_size=1, max_size=12))
def test_undo_after_any_sequence_restores_the_exact_state(engine, steps, log_writer) -> None:
    (highlight_id,) = add_highlights(engine, 1, source=f"S{len(steps)}-{hash(tuple(steps))}")
    with writing(engine) as c:
        c.exec_driver_sql("DELETE FROM reviews")
    history = [snapshot(engine, highlight_id)]
    day = DAY
    for grade, gap in steps:
        day += timedelta(days=gap)
        rate(engine, highlight_id, grade, NOW, day, log=log_writer)
        history.append(snapshot(engine, highlight_id))
    for expected in reversed(history[:-1]):
        undo_last(engine, NOW, DAY, log=log_writer)
        assert snapshot(engine, highlight_id) == expected
    assert review_rows(engine) == []


def test_long_perfect_run_saturates_the_due_date_but_keeps_the_interval(engine, log_writer) -> None:
    (highlight_id,) = add_highlights(engine, 1)
    day = DAY
    for _ in range(16):
        rated = rate(engine, highlight_id, 5, NOW, day, log=log_writer)
        day += timedelta(days=1)
    assert rated.due == date.max
    assert rated.after.interval > 3_000_000  # the exact SM-2 interval, not capped


def test_a_review_ends_a_skip_and_its_undo_gives_the_skip_back(engine, log_writer) -> None:
    """`recall rate` on a skipped highlight reviews it (the skip is over, in the same write as
    the new schedule); undoing that grade puts back the highlight as it was, skip included (the
    replay of the review log without the grade)."""
    (highlight_id,) = add_highlights(engine, 1)
    skip(engine, highlight_id, NOW, DAY, log=log_writer)
    assert snapshot(engine, highlight_id).skipped_until == DAY.isoformat()
    rate(engine, highlight_id, 4, NOW, DAY, log=log_writer)
    after = snapshot(engine, highlight_id)
    assert (after.skipped_until, after.repetitions, after.due) == (None, 1, (DAY + timedelta(days=1)).isoformat())
    undo_last(engine, NOW, DAY, log=log_writer)
    undone = snapshot(engine, highlight_id)
    assert (undone.skipped_until, undone.repetitions, undone.due) == (DAY.isoformat(), 0, None)
