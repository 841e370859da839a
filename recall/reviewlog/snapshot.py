"""A highlight's state as the review log records it around an event: pure, no I/O, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from recall.reviewlog.jsonvalues import boolean, day_text, iso_day, kind_of, optional_day, positive, whole

MIN_EASINESS_HUNDREDTHS: Final = 130
START_EASINESS_HUNDREDTHS: Final = 250


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A highlight's state around one event: SM-2 numbers (``easiness`` in hundredths, ``interval``
    in days), ``due`` and ``skipped_until`` as study days (None: new / not skipped), the marks, and
    while FSRS schedules a reviewed highlight its memory state (v2): ``stability`` (days),
    ``difficulty`` (1-10) and the study day of its last review, ``reviewed`` (all three or none).
    The SM-2 numbers are always SM-2's own, whichever scheduler set ``due``.
    ``Snapshot()`` is a highlight nothing has happened to."""

    repetitions: int = 0
    easiness: int = START_EASINESS_HUNDREDTHS
    interval: int = 0
    due: date | None = None
    skipped_until: date | None = None
    discarded: bool = False
    favorite: bool = False
    stability: float | None = None
    difficulty: float | None = None
    reviewed: date | None = None

    def __post_init__(self) -> None:
        memory = (self.stability, self.difficulty, self.reviewed)
        if any(value is None for value in memory) and any(value is not None for value in memory):
            raise ValueError("an FSRS memory state needs stability, difficulty and the last review's day, or none")
        if self.stability is not None and not positive(self.stability):
            raise ValueError(f"stability must be a positive number of days, got {self.stability!r}")
        if self.difficulty is not None and not (positive(self.difficulty) and 1 <= self.difficulty <= 10):
            raise ValueError(f"difficulty must be a number from 1 to 10, got {self.difficulty!r}")

    @property
    def has_memory(self) -> bool:
        """Whether the state holds an FSRS memory state (v2)."""
        return self.stability is not None

    def to_json(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "reps": self.repetitions, "ef": self.easiness, "ivl": self.interval,
            "due": day_text(self.due), "skip": day_text(self.skipped_until),
            "discarded": self.discarded, "favorite": self.favorite,
        }
        if self.has_memory:
            fields.update(stab=self.stability, diff=self.difficulty, last=day_text(self.reviewed))
        return fields

    @classmethod
    def from_json(cls, value: object, name: str) -> Snapshot:
        """The snapshot in ``value`` (a JSON object); ``ValueError`` naming the field ``name`` otherwise."""
        if not isinstance(value, dict):
            raise ValueError(f"{name} must be an object, got {kind_of(value)}")
        fields = {"reps", "ef", "ivl", "due", "skip", "discarded", "favorite"}
        if missing := sorted(fields - value.keys()):
            raise ValueError(f"{name} lacks {', '.join(missing)}")
        snapshot = cls(
            repetitions=whole(value["reps"], f"{name}.reps", 0),
            easiness=whole(value["ef"], f"{name}.ef", MIN_EASINESS_HUNDREDTHS),
            interval=whole(value["ivl"], f"{name}.ivl", 0),
            due=optional_day(value["due"], f"{name}.due"),
            skipped_until=optional_day(value["skip"], f"{name}.skip"),
            discarded=boolean(value["discarded"], f"{name}.discarded"),
            favorite=boolean(value["favorite"], f"{name}.favorite"),
            **_memory(value, name),
        )
        if snapshot.repetitions > 0 and snapshot.interval < 1:
            raise ValueError(f"{name} has {snapshot.repetitions} repetitions and an interval below 1 day")
        return snapshot


def _memory(value: dict[str, Any], name: str) -> dict[str, Any]:
    """The FSRS memory fields of a snapshot's JSON (v2: ``stab``, ``diff``, ``last``), all or none."""
    given = [field for field in ("stab", "diff", "last") if field in value]
    if not given:
        return {}
    if len(given) < 3:
        raise ValueError(f"{name} has {', '.join(given)} but an FSRS memory state needs stab, diff and last")
    for field in ("stab", "diff"):
        if not positive(value[field]):
            raise ValueError(f"{name}.{field} must be a positive number, got {value[field]!r}")
    return {"stability": float(value["stab"]), "difficulty": float(value["diff"]),
            "reviewed": iso_day(value["last"], f"{name}.last")}
