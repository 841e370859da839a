"""The review app writes every step to the review log first: grades with their seconds, skips,
discards and favourite marks, and its `u` an undo event naming the step's event. A step the log
cannot take is a "Not saved" notice, and nothing changes."""

from __future__ import annotations

from review_support import highlight, make_app, notices, ready, reviews
from support import FIXED_NOW

from recall.config import Settings
from recall.reviewlog.events import EventType
from recall.reviewlog.files import read_log
from recall.reviewlog.replay import replay
from recall.scheduler.queue import build_queue

SIZE = (100, 32)


def queue_ids(engine) -> list[int]:
    settings = Settings()
    return build_queue(engine, FIXED_NOW.date(), settings.new_per_day, settings.reviews_per_day).highlight_ids


async def test_every_grade_is_in_the_review_log_first_and_one_it_cannot_take_is_not_saved(imported, vault, tmp_path) -> None:

    expected = queue_ids(imported)
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("5", "1")
    logged = [(x.event.key, x.event.grade, x.event.seconds) for x in read_log(vault / "recall-log", {}).events]
    with imported.connect() as connection:
        keys = [key for (key,) in connection.exec_driver_sql(
            "SELECT h.key FROM reviews r JOIN highlights h ON h.id = r.highlight_id ORDER BY r.id")]
    assert logged == [(keys[0], 5, 2.5), (keys[1], 1, 2.5)]

    app = make_app(imported, review_log=str(tmp_path / "unmounted" / "recall-log"))
    before = highlight(imported, expected[2])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        shown = notices(app)
        await pilot.press("4")
        assert app.session.current == expected[2]  # the card stays: nothing happened
    assert len(shown) == 1 and shown[0].startswith("grade not saved: cannot write the review log")
    assert len(reviews(imported)) == 2 and highlight(imported, expected[2]) == before


async def test_undo_in_the_app_writes_an_undo_naming_each_step_it_takes_back(imported, vault) -> None:
    first, second = queue_ids(imported)[:2]
    app = make_app(imported)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f", "s", "d", "4")  # favourite and skip the first, discard the second, grade the third
        await pilot.press("u", "u", "u", "u")
    events = [located.event for located in read_log(vault / "recall-log", {}).events]
    steps, undos = events[:4], events[4:]
    assert [e.type for e in steps] == [EventType.FAVORITE, EventType.SKIP, EventType.DISCARD, EventType.GRADE]
    assert [(e.type, e.undoes) for e in undos] == [(EventType.UNDO, e.id) for e in reversed(steps)]
    assert [e.key for e in undos] == [e.key for e in reversed(steps)]
    assert [e.seq for e in events] == list(range(1, 9))
    merged = replay(events)
    assert merged.undone == {e.id for e in steps} and merged.applied == [] and merged.unmatched == []
    assert reviews(imported) == []
    for highlight_id in (first, second):
        row = highlight(imported, highlight_id)
        state = merged.state(steps[0].key if highlight_id == first else steps[2].key)
        assert (row.skipped_until, row.discarded, row.favorite) == (None, 0, 0)
        assert (state.skipped_until, state.discarded, state.favorite) == (None, False, False)


async def test_a_skip_the_log_cannot_take_is_not_saved_and_the_card_stays(imported, tmp_path) -> None:
    first = queue_ids(imported)[0]
    app = make_app(imported, review_log=str(tmp_path / "unmounted" / "recall-log"))
    before = highlight(imported, first)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        shown = notices(app)
        await pilot.press("s", "f")
        assert app.session.current == first and not app.session.undo_stack
    assert [note.split(":")[0] for note in shown] == ["skip not saved", "favourite not saved"]
    assert highlight(imported, first) == before
