"""One event of the review log (schema v1, and v2 for what issue 14 added: the scheduler, memory
states, the load tools' reschedules and breaks, per-source frequency) and its JSON Lines form: pure, no I/O, no clock.

An event is one state change of one highlight, named by its stable identity key
(``recall.importer.identity``), never by a database row id, and holding no highlight text.
Its JSON form is one line (docs/review-log.md, "Event schema v1")::

    {"v":1,"id":"<uuid>","type":"grade","at":"2026-03-02T09:30:00.000000Z","day":"2026-03-02",
     "tz":"Europe/Paris","rollover":4,"device":"<uuid>","seq":12,"key":"rw:123","grade":4,
     "kind":"review","seconds":7.5,"before":{…},"after":{…}}

``before`` and ``after`` are ``Snapshot``s: the highlight's state as the writing device saw
it just before and just after the change, for checking a replay (the replay recomputes
``after``; it never trusts it). ``from_json`` refuses anything malformed with a
``BadEvent`` naming where the line is (``path:line``), so one bad line never hides the others.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Final

from recall.frequency import LEVELS, Level, is_source_key
from recall.reviewlog.jsonvalues import (
    canonical_uuid,
    day_text,
    instant_text,
    iso_day,
    kind_of,
    no_constant,
    no_repeats,
    parse_instant,
    text,
    whole,
)
from recall.reviewlog.snapshot import Snapshot
from recall.scheduler_settings import SchedulerSettings
from recall.vocabulary import MAX_GRADE, MIN_GRADE, ReviewKind

__all__ = [  # Snapshot and instant_text are the events' too: callers name them from here
    "COLLECTION_KEY", "MARK_FIELDS", "SCHEMA_VERSION", "BadEvent", "Event", "EventType", "NewerSchema",
    "RescheduleReason", "Snapshot", "check", "from_json", "instant_text", "marked",
]

SCHEMA_VERSION: Final = 2  # v2 adds the scheduler, reschedule, break and frequency events and FSRS memory; other lines stay v1
COLLECTION_KEY: Final = "*"  # the key of events about the whole collection (no highlight's key is "*")
MAX_KEY_LENGTH: Final = 1000  # identity keys are short (a kind, a colon, an id or a 24-hex digest)
MAX_DEVICE_LENGTH: Final = 100


class EventType(StrEnum):
    """What an event did to its highlight; the value is the JSON ``type``."""

    GRADE = "grade"  # a grade 0-5; the replay decides whether it is the day's review or a drill
    SKIP = "skip"  # left out of the queue through its study day
    DISCARD = "discard"  # never shown again until restored; schedule kept
    RESTORE = "restore"  # back in the queue, schedule as it was
    FAVORITE = "favorite"  # marked a favourite
    UNFAVORITE = "unfavorite"  # the mark removed
    UNDO = "undo"  # takes back the event named by ``undoes`` (a compensating event)
    REKEY = "rekey"  # the import gave the highlight ``key`` a new identity key, ``to`` (its history follows)
    SCHEDULER = "scheduler"  # (v2) the collection's scheduler from here on: ``settings``; key ``COLLECTION_KEY``
    RESCHEDULE = "reschedule"  # (v2) the highlight's due day moved to ``due`` (``reason``), if still ``before.due``
    BREAK = "break"  # (v2) study days ``start``..``end`` (inclusive) are a break: nothing due; key ``COLLECTION_KEY``
    FREQUENCY = "frequency"  # (v2) a source's frequency from here on: ``level``; key ``frequency.event_key(source)``


class RescheduleReason(StrEnum):
    """Why a ``reschedule`` moved a due day (``recall postpone``, ``advance``, ``break``); the value is the JSON ``reason``."""

    POSTPONE = "postpone"  # recall postpone: a due highlight that loses least, a little later
    ADVANCE = "advance"  # recall advance: a highlight not due yet that loses least, brought to today
    BREAK = "break"  # recall break: due in a break, spread over the days after it


# Events about the whole collection (key ``COLLECTION_KEY``), and the types a v1 reader does not know.
COLLECTION_TYPES: Final = frozenset({EventType.SCHEDULER, EventType.BREAK})
V2_TYPES: Final = frozenset({EventType.SCHEDULER, EventType.RESCHEDULE, EventType.BREAK, EventType.FREQUENCY})

# The one field of a highlight's state each mark sets (a grade and an undo are not marks).
MARK_FIELDS: Final = {
    EventType.SKIP: "skipped_until", EventType.DISCARD: "discarded", EventType.RESTORE: "discarded",
    EventType.FAVORITE: "favorite", EventType.UNFAVORITE: "favorite",
}


class BadEvent(ValueError):
    """A line that is not a valid v1 event; ``where`` is ``path:line`` (or whatever the caller gave)."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}" if where else reason)
        self.where = where
        self.reason = reason


class NewerSchema(BadEvent):
    """A line written by a newer recall (``"v"`` above ``SCHEMA_VERSION``): not an error in the
    line, but this version cannot replay it."""


def marked(state: Snapshot, type: EventType, day: date) -> Snapshot:
    """``state`` after a mark of ``type`` given on study day ``day``: a skip skips through ``day``,
    discard/restore and favorite/unfavorite set their flag; nothing else changes. ``KeyError`` for
    a type that is not a mark (``MARK_FIELDS``)."""
    values: dict[EventType, Any] = {
        EventType.SKIP: day, EventType.DISCARD: True, EventType.RESTORE: False, EventType.FAVORITE: True,
        EventType.UNFAVORITE: False,
    }
    return replace(state, **{MARK_FIELDS[type]: values[type]})


@dataclass(frozen=True, slots=True)
class Event:
    """One state change of one highlight, as written to the log.

    ``at`` is an aware UTC instant (microseconds kept); ``day`` the study day it counted for,
    under ``tz`` (an IANA name) and ``rollover`` (the hour, 0-23, a study day starts);
    ``device`` the writing device's id; ``seq`` (optional, ≥ 1) its place in the device's month
    file, which orders events of one instant as they were written (None: a line without one, which
    sorts before them); ``key`` the highlight's identity key. A ``GRADE`` has
    ``grade`` (0-5), ``kind`` (what the writer applied: REVIEW or DRILL) and optionally
    ``seconds`` (time to answer); an ``UNDO`` has ``undoes`` (the id it takes back); a ``REKEY``
    has ``to`` (the highlight's new key; ``key`` is the old one); a ``SCHEDULER`` (v2) has
    ``settings`` and the key ``COLLECTION_KEY`` (its ``before`` and ``after`` are ``Snapshot()``);
    a ``RESCHEDULE`` (v2) has the new ``due`` day and its ``reason``, and a ``before`` with a due
    day (the one it moves: the replay applies it only while the highlight still has it); a
    ``BREAK`` (v2) has ``start`` and ``end`` (study days, inclusive) and the key ``COLLECTION_KEY``
    (empty states, as a scheduler event); an ``UNDO`` of a break has that key too; a ``FREQUENCY``
    (v2) has ``level`` and a source's key (``frequency.event_key``; empty states too), as has an
    undo of one. Other types have none of these.
    """

    id: uuid.UUID
    type: EventType
    at: datetime
    day: date
    tz: str
    rollover: int
    device: str
    key: str
    before: Snapshot
    after: Snapshot
    grade: int | None = None
    kind: ReviewKind | None = None
    seconds: float | None = None
    undoes: uuid.UUID | None = None
    to: str | None = None
    seq: int | None = None
    settings: SchedulerSettings | None = None
    due: date | None = None
    reason: RescheduleReason | None = None
    start: date | None = None
    end: date | None = None
    level: Level | None = None

    def __post_init__(self) -> None:
        try:
            check(self)
        except ValueError as error:
            raise BadEvent("", str(error)) from None
        at = self.at.astimezone(UTC)  # one instant, one spelling: plain UTC datetime
        object.__setattr__(self, "at", datetime(*at.timetuple()[:6], at.microsecond, tzinfo=UTC))

    @property
    def order(self) -> tuple[date, datetime, int, str]:
        """The replay order: study day, instant, the writer's sequence number (0 without one: two
        events one device wrote at one instant keep the order it wrote them in), then id (as text),
        so every device sorts alike."""
        return self.day, self.at, self.seq or 0, str(self.id)

    @property
    def version(self) -> int:
        """The schema version of its line: 2 when it uses what v2 added (a scheduler, reschedule,
        break or frequency event, an undo of the collection's or a source's, an FSRS memory state), so
        a recall that reads only v1 leaves it (and what follows in its file) waiting instead of
        replaying it wrongly; 1 otherwise."""
        v2 = (self.type in V2_TYPES or self.key == COLLECTION_KEY or is_source_key(self.key)
              or self.before.has_memory or self.after.has_memory)
        return 2 if v2 else 1

    def to_json(self) -> str:
        """The event as one line of JSON (ASCII only, no line break, fields in schema order)."""
        fields: dict[str, Any] = {
            "v": self.version, "id": str(self.id), "type": self.type.value, "at": instant_text(self.at),
            "day": self.day.isoformat(), "tz": self.tz, "rollover": self.rollover, "device": self.device,
        }
        if self.seq is not None:
            fields["seq"] = self.seq
        fields["key"] = self.key
        if self.type is EventType.GRADE:
            fields.update(grade=self.grade, kind=str(self.kind), seconds=self.seconds)
        if self.undoes is not None:
            fields["undoes"] = str(self.undoes)
        if self.to is not None:
            fields["to"] = self.to
        if self.type is EventType.RESCHEDULE:
            fields.update(due=day_text(self.due), reason=str(self.reason))
        if self.settings is not None:
            fields.update(self.settings.to_json())
        if self.type is EventType.BREAK:
            fields.update(start=day_text(self.start), end=day_text(self.end))
        if self.level is not None:
            fields["level"] = self.level.value
        if self.type not in (*COLLECTION_TYPES, EventType.FREQUENCY):  # those are about no highlight
            fields.update(before=self.before.to_json(), after=self.after.to_json())
        return _dumps(fields)


def _dumps(fields: dict[str, Any]) -> str:
    return json.dumps(fields, ensure_ascii=True, separators=(",", ":"), allow_nan=False)


def check(event: Event) -> None:
    """``ValueError`` saying what is wrong with ``event``'s fields, if anything."""
    if not isinstance(event.id, uuid.UUID):
        raise ValueError(f"id must be a UUID, got {event.id!r}")
    if not isinstance(event.type, EventType):
        raise ValueError(f"type must be an EventType, got {event.type!r}")
    if not isinstance(event.at, datetime) or event.at.utcoffset() is None:
        raise ValueError(f"at must be an aware instant, got {event.at!r}")
    if not isinstance(event.day, date) or isinstance(event.day, datetime):
        raise ValueError(f"day must be a date, got {event.day!r}")
    text(event.tz, "tz", 100)
    whole(event.rollover, "rollover", 0, 23)
    text(event.device, "device", MAX_DEVICE_LENGTH)
    if event.seq is not None:
        whole(event.seq, "seq", 1)
    text(event.key, "key", MAX_KEY_LENGTH)
    if event.type is EventType.GRADE:
        whole(event.grade, "grade", MIN_GRADE, MAX_GRADE)
        if not isinstance(event.kind, ReviewKind):
            raise ValueError(f"a grade needs kind 'review' or 'drill', got {event.kind!r}")
        if event.seconds is not None and (
            not isinstance(event.seconds, int | float) or isinstance(event.seconds, bool) or not 0 <= event.seconds < 1e9
        ):
            raise ValueError(f"seconds must be a number of seconds >= 0 or null, got {event.seconds!r}")
    elif (event.grade, event.kind, event.seconds) != (None, None, None):
        raise ValueError(f"only a grade has grade, kind and seconds, not a {event.type.value}")
    if (event.type is EventType.UNDO) != (event.undoes is not None):
        raise ValueError("an undo, and only an undo, names the event it undoes (undoes)")
    if event.undoes is not None and (not isinstance(event.undoes, uuid.UUID) or event.undoes == event.id):
        raise ValueError(f"undoes must be the id of another event, got {event.undoes!r}")
    if (event.type is EventType.REKEY) != (event.to is not None):
        raise ValueError("a rekey, and only a rekey, names the highlight's new key (to)")
    if event.to is not None and text(event.to, "to", MAX_KEY_LENGTH) == event.key:
        raise ValueError(f"a rekey must name another key than its own, got to = {event.to!r}")
    if (event.type is EventType.SCHEDULER) != (event.settings is not None):
        raise ValueError("a scheduler event, and only one, has settings")
    collection = event.type in COLLECTION_TYPES
    if event.key == COLLECTION_KEY and not (collection or event.type is EventType.UNDO):
        raise ValueError(f"only a scheduler or break event, or an undo of one, has the key {COLLECTION_KEY!r}")
    if collection and event.key != COLLECTION_KEY:
        raise ValueError(f"a {event.type.value} event is the collection's: its key is {COLLECTION_KEY!r}")
    if event.key == COLLECTION_KEY and (event.before, event.after) != (Snapshot(), Snapshot()):
        raise ValueError(f"a {event.type.value} event is about no highlight: its before and after are empty")
    _check_reschedule(event)
    _check_break(event)
    _check_frequency(event)


def _check_reschedule(event: Event) -> None:
    """A reschedule, and only one, has a new due day (a date other than the one it moves) and a reason."""
    if event.type is not EventType.RESCHEDULE:
        if (event.due, event.reason) != (None, None):
            raise ValueError(f"only a reschedule has due and reason, not a {event.type.value}")
        return
    if not isinstance(event.reason, RescheduleReason):
        raise ValueError(f"a reschedule needs a reason ({', '.join(RescheduleReason)}), got {event.reason!r}")
    if not isinstance(event.due, date) or isinstance(event.due, datetime):
        raise ValueError(f"a reschedule needs its new due day, got {event.due!r}")
    if event.before.due is None:
        raise ValueError("a reschedule moves a due day: its before has one")
    if event.due == event.before.due:
        raise ValueError(f"a reschedule moves a due day: due {event.due} is before.due already")


def _check_break(event: Event) -> None:
    """A break, and only one, has a first and a last study day, in order."""
    if event.type is not EventType.BREAK:
        if (event.start, event.end) != (None, None):
            raise ValueError(f"only a break has start and end, not a {event.type.value}")
        return
    for name, value in (("start", event.start), ("end", event.end)):
        if not isinstance(value, date) or isinstance(value, datetime):
            raise ValueError(f"a break needs its {name} day, got {value!r}")
    assert event.start is not None and event.end is not None
    if event.end < event.start:
        raise ValueError(f"a break ends on or after its start, got {event.start}..{event.end}")


def _check_frequency(event: Event) -> None:
    """A frequency event, and only one, has a level; it and its undo name a source, with empty states."""
    frequency = event.type is EventType.FREQUENCY
    if frequency != (event.level is not None):
        raise ValueError("a frequency event, and only one, has a level")
    if event.level is not None and not isinstance(event.level, Level):
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {event.level!r}")
    if is_source_key(event.key) and event.type not in (EventType.FREQUENCY, EventType.UNDO):
        raise ValueError(f"only a frequency event (or its undo) names a source, not a {event.type.value}")
    if frequency and not is_source_key(event.key):
        raise ValueError(f"a frequency event names a source (a key starting with 'source:'), got {event.key!r}")
    if is_source_key(event.key) and (event.before, event.after) != (Snapshot(), Snapshot()):
        raise ValueError("an event about a source is about no highlight: its before and after are empty")


def from_json(line: str | bytes, where: str = "") -> Event:
    """The event on one line of the log (without its line break); ``BadEvent`` naming ``where``
    and the reason otherwise, ``NewerSchema`` for a line of a later schema version.

    Fields this version does not know are ignored (a later v1 may add some); a field that is
    missing, of the wrong type, out of range or repeated is refused.
    """
    try:
        value = json.loads(line, object_pairs_hook=no_repeats, parse_constant=no_constant)
    except (ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadEvent(where, f"not JSON ({error})") from None
    if not isinstance(value, dict):
        raise BadEvent(where, f"an event must be a JSON object, got {kind_of(value)}")
    version = value.get("v")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadEvent(where, f"v must be the schema version (1 or 2), got {version!r}")
    if version > SCHEMA_VERSION:
        raise NewerSchema(where, f"written by a newer recall (schema v{version}; this one reads v{SCHEMA_VERSION})")
    try:
        return _event(value)
    except BadEvent as error:
        raise BadEvent(where, error.reason) from None
    except ValueError as error:
        raise BadEvent(where, str(error)) from None


def _event(value: dict[str, Any]) -> Event:
    required = ["id", "type", "at", "day", "tz", "rollover", "device", "key"]
    if missing := [name for name in required if name not in value]:
        raise ValueError(f"missing {', '.join(missing)}")
    try:
        kind = EventType(value["type"])
    except ValueError:
        raise ValueError(f"unknown type {value['type']!r}") from None
    if kind in COLLECTION_TYPES:
        collection: dict[str, Any] = {}
        if kind is EventType.SCHEDULER:
            collection["settings"] = SchedulerSettings.from_json(value)
        else:
            if missing := [name for name in ("start", "end") if name not in value]:
                raise ValueError(f"missing {', '.join(missing)}")
            collection.update(start=iso_day(value["start"], "start"), end=iso_day(value["end"], "end"))
        return Event(
            id=canonical_uuid(value["id"], "id"), type=kind, at=parse_instant(value["at"]), day=iso_day(value["day"], "day"),
            tz=value["tz"], rollover=value["rollover"], device=value["device"], key=value["key"],
            before=Snapshot(), after=Snapshot(), seq=value.get("seq"), **collection,
        )
    if kind is EventType.FREQUENCY:
        if "level" not in value:
            raise ValueError("missing level")
        if value["level"] not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {value['level']!r}")
        return Event(
            id=canonical_uuid(value["id"], "id"), type=kind, at=parse_instant(value["at"]), day=iso_day(value["day"], "day"),
            tz=value["tz"], rollover=value["rollover"], device=value["device"], key=value["key"],
            before=Snapshot(), after=Snapshot(), seq=value.get("seq"), level=Level(value["level"]),
        )
    if missing := [name for name in ("before", "after") if name not in value]:
        raise ValueError(f"missing {', '.join(missing)}")
    grade_kind = value.get("kind")
    if grade_kind is not None and grade_kind not in {k.value for k in ReviewKind}:
        raise ValueError(f"kind must be 'review' or 'drill', got {grade_kind!r}")
    undoes = value.get("undoes")
    moved: dict[str, Any] = {}
    if kind is EventType.RESCHEDULE:
        if missing := [name for name in ("due", "reason") if name not in value]:
            raise ValueError(f"missing {', '.join(missing)}")
        if value["reason"] not in {r.value for r in RescheduleReason}:
            raise ValueError(f"reason must be one of {', '.join(RescheduleReason)}, got {value['reason']!r}")
        moved.update(due=iso_day(value["due"], "due"), reason=RescheduleReason(value["reason"]))
    return Event(
        id=canonical_uuid(value["id"], "id"), type=kind, at=parse_instant(value["at"]), day=iso_day(value["day"], "day"),
        tz=value["tz"], rollover=value["rollover"], device=value["device"], key=value["key"],
        before=Snapshot.from_json(value["before"], "before"), after=Snapshot.from_json(value["after"], "after"),
        grade=value.get("grade"), kind=None if grade_kind is None else ReviewKind(grade_kind),
        seconds=value.get("seconds"), undoes=None if undoes is None else canonical_uuid(undoes, "undoes"), seq=value.get("seq"),
        to=value.get("to"), **moved,
    )
