"""The event's JSON Lines form: exact round trips, and every malformed line refused by name."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from logsim import START, event

from recall.frequency import SOURCE_PREFIX, Level, is_source_key
from recall.reviewlog.events import (
    COLLECTION_KEY,
    BadEvent,
    Event,
    EventType,
    NewerSchema,
    RescheduleReason,
    Snapshot,
    from_json,
)
from recall.scheduler_settings import SchedulerName, SchedulerSettings
from recall.vocabulary import ReviewKind

REVIEWED = Snapshot(repetitions=2, easiness=236, interval=6, due=date(2026, 3, 7), skipped_until=None)


def test_a_grade_round_trips_as_one_ascii_line_in_schema_order() -> None:
    graded = event(EventType.GRADE, "rw:123", START, grade=4, seconds=7.25, before=REVIEWED,
                   after=Snapshot(3, 236, 15, date(2026, 3, 16)))
    line = graded.to_json()
    assert "\n" not in line and line.isascii()
    assert list(json.loads(line)) == [
        "v", "id", "type", "at", "day", "tz", "rollover", "device", "key", "grade", "kind", "seconds", "before", "after",
    ]
    assert json.loads(line)["at"] == "2026-03-01T12:00:00.000000Z"
    assert json.loads(line)["before"] == {
        "reps": 2, "ef": 236, "ivl": 6, "due": "2026-03-07", "skip": None, "discarded": False, "favorite": False,
    }
    assert from_json(line) == graded


@pytest.mark.parametrize(
    "type", [t for t in EventType if t not in (
        EventType.GRADE, EventType.UNDO, EventType.REKEY, EventType.SCHEDULER, EventType.RESCHEDULE, EventType.BREAK,
        EventType.FREQUENCY,
    )]
)
def test_every_other_type_round_trips_without_grade_fields(type: EventType) -> None:
    one = event(type, "tweet:42", START)
    assert not {"grade", "kind", "seconds", "undoes"} & json.loads(one.to_json()).keys()
    assert from_json(one.to_json()) == one


def test_a_rekey_names_the_new_key_and_only_a_rekey_does() -> None:
    moved = event(EventType.REKEY, "text:aa", START, to="loc:bb")
    assert json.loads(moved.to_json())["to"] == "loc:bb"
    assert from_json(moved.to_json()) == moved
    for bad in (event(EventType.SKIP, "text:aa", START), event(EventType.REKEY, "text:aa", START, to="loc:bb")):
        line = json.loads(bad.to_json())
        line["to"] = None if bad.type is EventType.REKEY else "loc:bb"
        with pytest.raises(BadEvent, match="x:1: a rekey, and only a rekey"):
            from_json(json.dumps(line), "x:1")
    with pytest.raises(BadEvent, match="another key than its own"):
        event(EventType.REKEY, "text:aa", START, to="text:aa")


def test_an_undo_names_its_target() -> None:
    target = uuid.uuid4()
    undo = event(EventType.UNDO, "rw:1", START, undoes=target)
    assert json.loads(undo.to_json())["undoes"] == str(target)
    assert from_json(undo.to_json()) == undo


def test_the_instant_is_kept_to_the_microsecond_and_in_utc() -> None:
    paris = timezone(timedelta(hours=1))
    one = event(EventType.SKIP, "rw:1", datetime(2026, 3, 1, 13, 0, 0, 123456, tzinfo=paris))
    assert one.at == datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC) and one.at.tzinfo is UTC
    assert json.loads(one.to_json())["at"] == "2026-03-01T12:00:00.123456Z"
    assert from_json(one.to_json()).at == one.at


def test_fields_a_later_v1_adds_are_ignored() -> None:
    one = event(EventType.FAVORITE, "rw:1", START)
    fields = json.loads(one.to_json()) | {"app": "recall 0.2"}
    assert from_json(json.dumps(fields)) == one


def test_a_sequence_number_comes_after_the_device_and_orders_one_instant_before_the_id() -> None:
    first = replace(event(EventType.GRADE, "rw:1", START, grade=4, id=uuid.UUID(int=9 << 64)), seq=7)
    second = replace(first, id=uuid.UUID(int=1 << 64), seq=8)  # a smaller id, written later
    fields = list(json.loads(second.to_json()))
    assert fields[fields.index("device") + 1:][:2] == ["seq", "key"] and json.loads(second.to_json())["seq"] == 8
    assert from_json(second.to_json()) == second
    unnumbered = replace(second, seq=None)  # a line from a writer without numbers
    assert "seq" not in json.loads(unnumbered.to_json())
    assert sorted([second, first, unnumbered], key=lambda e: e.order) == [unnumbered, first, second]
    later = replace(first, at=START + timedelta(microseconds=1), seq=1)  # the instant comes first
    assert sorted([later, second], key=lambda e: e.order) == [second, later]


def _with(**changes: object) -> str:
    fields = json.loads(event(EventType.GRADE, "rw:1", START, grade=4).to_json())
    for name, value in changes.items():
        if value is ...:
            del fields[name]
        else:
            fields[name] = value
    return json.dumps(fields)


@pytest.mark.parametrize(("line", "reason"), [
    ('{"v":1,', "not JSON"),
    ("[1, 2]", "must be a JSON object, got a list"),
    (_with(v="1"), "v must be the schema version"),
    (_with(key=...), "missing key"),
    (_with(id="{" + str(uuid.UUID(int=1)) + "}"), "id must be a UUID"),
    (_with(id=str(uuid.uuid4()).upper()), "id must be a UUID"),
    (_with(type="review"), "unknown type 'review'"),
    (_with(at="2026-03-01T12:00:00"), "at must be an ISO 8601 instant with an offset"),
    (_with(day="20260301"), "day must be a date YYYY-MM-DD"),
    (_with(day="2026-02-30"), "day must be a date YYYY-MM-DD"),
    (_with(grade=6), "grade must be a whole number from 0 to 5"),
    (_with(grade=True), "grade must be a whole number from 0 to 5"),
    (_with(kind="cram"), "kind must be 'review' or 'drill'"),
    (_with(kind=None), "a grade needs kind"),
    (_with(rollover=24), "rollover must be a whole number from 0 to 23"),
    (_with(key=""), "key must be a non-empty string"),
    (_with(seconds=-1), "seconds must be a number of seconds"),
    (_with(type="skip"), "only a grade has grade, kind and seconds"),
    (_with(undoes=str(uuid.uuid4())), "an undo, and only an undo, names"),
    (_with(before={"reps": 1}), "before lacks"),
    (_with(after={"reps": 1, "ef": 120, "ivl": 1, "due": None, "skip": None, "discarded": False, "favorite": False}),
     "after.ef must be a whole number >= 130"),
    (_with(before={"reps": 1, "ef": 250, "ivl": 0, "due": None, "skip": None, "discarded": False, "favorite": False}),
     "before has 1 repetitions and an interval below 1 day"),
    (_with(seconds=float("nan")), "NaN is not a number"),
    (_with(seq=0), "seq must be a whole number >= 1"),
    (_with(seq=True), "seq must be a whole number >= 1"),
    (_with(seq="3"), "seq must be a whole number >= 1"),
    ('{"v":1,"v":1}', "field 'v' given twice"),
])
def test_a_bad_line_is_refused_naming_where_and_why(line: str, reason: str) -> None:
    with pytest.raises(BadEvent) as refused:
        from_json(line, "dev/2026-03.jsonl:7")
    assert str(refused.value).startswith("dev/2026-03.jsonl:7: ")
    assert reason in str(refused.value)
    assert not isinstance(refused.value, NewerSchema)


def test_a_line_of_a_newer_schema_is_told_apart() -> None:
    with pytest.raises(NewerSchema, match=r"^f:3: written by a newer recall \(schema v3; this one reads v2\)"):
        from_json(_with(v=3), "f:3")


def test_an_event_cannot_be_made_wrong_in_code_either() -> None:
    with pytest.raises(BadEvent, match="an undo, and only an undo"):
        event(EventType.UNDO, "rw:1", START)
    with pytest.raises(BadEvent, match="at must be an aware instant"):
        event(EventType.SKIP, "rw:1", datetime(2026, 3, 1))


memories = st.none() | st.tuples(st.floats(0.001, 1e5), st.floats(1, 10), st.dates())
snapshots = st.builds(
    lambda reps, ef, ivl, due, skip, discarded, favorite, memory: Snapshot(
        reps, ef, max(ivl, 1 if reps else 0), due, skip, discarded, favorite, *(memory or (None, None, None))
    ),
    st.integers(0, 50), st.integers(130, 400), st.integers(0, 10**6), st.none() | st.dates(), st.none() | st.dates(),
    st.booleans(), st.booleans(), memories,
)
scheduler_settings = st.builds(
    SchedulerSettings, st.sampled_from(SchedulerName), st.floats(0.7, 0.97),
    st.none() | st.lists(st.floats(-10, 10), min_size=21, max_size=21).map(tuple), st.booleans(),
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    type = draw(st.sampled_from(EventType))
    grade = draw(st.integers(0, 5)) if type is EventType.GRADE else None
    key = draw(st.text(min_size=1, max_size=40).filter(lambda key: key != COLLECTION_KEY and not is_source_key(key)))
    if type is EventType.FREQUENCY:
        return Event(
            id=draw(st.uuids()), type=type, at=datetime(2026, 3, 1, tzinfo=UTC), day=draw(st.dates()), tz="UTC",
            rollover=4, device="dev", key=SOURCE_PREFIX + key, before=Snapshot(), after=Snapshot(),
            seq=draw(st.none() | st.integers(1, 2**53)), level=draw(st.sampled_from(Level)),
        )
    if type is EventType.SCHEDULER:
        return Event(
            id=draw(st.uuids()), type=type, at=datetime(2026, 3, 1, tzinfo=UTC), day=draw(st.dates()), tz="UTC",
            rollover=4, device="dev", key=COLLECTION_KEY, before=Snapshot(), after=Snapshot(),
            seq=draw(st.none() | st.integers(1, 2**53)), settings=draw(scheduler_settings),
        )
    if type is EventType.BREAK:
        start, length = draw(st.dates(max_value=date(9000, 1, 1))), draw(st.integers(0, 400))
        return Event(
            id=draw(st.uuids()), type=type, at=datetime(2026, 3, 1, tzinfo=UTC), day=draw(st.dates()), tz="UTC",
            rollover=4, device="dev", key=COLLECTION_KEY, before=Snapshot(), after=Snapshot(),
            seq=draw(st.none() | st.integers(1, 2**53)), start=start, end=start + timedelta(days=length),
        )
    before = draw(snapshots)
    due = reason = None
    if type is EventType.RESCHEDULE:
        if before.due is None:
            before = replace(before, due=draw(st.dates()))
        due = draw(st.dates().filter(lambda day: day != before.due))
        reason = draw(st.sampled_from(RescheduleReason))
    return Event(
        id=draw(st.uuids()), type=type,
        at=draw(st.datetimes(datetime(1990, 1, 1), datetime(2200, 1, 1), timezones=st.just(UTC))),
        day=draw(st.dates()), tz=draw(st.sampled_from(["UTC", "Europe/Paris", "Asia/Kolkata"])),
        rollover=draw(st.integers(0, 23)), device=str(draw(st.uuids())), key=key,
        before=before, after=draw(snapshots), grade=grade, due=due, reason=reason,
        kind=draw(st.sampled_from(ReviewKind)) if grade is not None else None,
        seconds=draw(st.none() | st.floats(0, 1e6)) if grade is not None else None,
        undoes=draw(st.uuids()) if type is EventType.UNDO else None, seq=draw(st.none() | st.integers(1, 2**53)),
        to=draw(st.text(min_size=1, max_size=40).filter(lambda to: to != key)) if type is EventType.REKEY else None,
    )


@given(events())
def test_any_event_round_trips(one: Event) -> None:
    line = one.to_json()
    assert "\n" not in line and line.isascii()
    assert from_json(line.encode("ascii")) == one
