"""Which scheduler the collection uses, and how: one value, kept in the review log.

The scheduler is the collection's, not a device's: every device replays one log, so a
switch is an event of the log (``scheduler``, ``recall.reviewlog.events``) and applies to
every grade ordered after it, on every device alike (``recall.reviewlog.replay``). A log
with no such event is scheduled by exact SM-2 (``SM2``). Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

MIN_RETENTION: Final = 0.70
MAX_RETENTION: Final = 0.97
DEFAULT_RETENTION: Final = 0.9
WEIGHT_COUNT: Final = 21  # FSRS-6


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class SchedulerName(StrEnum):
    """The schedulers recall offers; the value is what the log and the CLI spell."""

    SM2 = "sm2"
    FSRS = "fsrs"


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    """The collection's scheduler: ``name``; for FSRS the ``retention`` it schedules for (the
    probability of recall, 0.70-0.97, at which a highlight falls due), its model ``weights``
    (None: FSRS-6's defaults; otherwise the 21 fitted by ``recall optimize``) and ``fuzz`` (spread
    intervals a little, deterministically per highlight and review). SM-2 ignores these three;
    they are kept so that switching back to FSRS keeps them. ``balance`` (both schedulers) puts a
    new due day on the lightest day of a small range around it: FSRS's fuzz range, or ±5 % of
    SM-2's interval (SM-2's own interval stays exact). ``ValueError`` for values out of range."""

    name: SchedulerName = SchedulerName.SM2
    retention: float = DEFAULT_RETENTION
    weights: tuple[float, ...] | None = None
    fuzz: bool = False
    balance: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.name, SchedulerName):
            raise ValueError(f"scheduler must be one of {', '.join(SchedulerName)}, got {self.name!r}")
        if not _number(self.retention) or not MIN_RETENTION <= self.retention <= MAX_RETENTION:
            raise ValueError(
                f"desired retention must be a number from {MIN_RETENTION:.2f} to {MAX_RETENTION:.2f}, got {self.retention!r}"
            )
        if self.weights is not None:
            weights = tuple(self.weights)
            if len(weights) != WEIGHT_COUNT or not all(_number(w) for w in weights):
                raise ValueError(f"FSRS weights must be {WEIGHT_COUNT} finite numbers, got {self.weights!r}")
            object.__setattr__(self, "weights", tuple(float(w) for w in weights))
        for name in ("fuzz", "balance"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false, got {getattr(self, name)!r}")
        object.__setattr__(self, "retention", float(self.retention))

    @property
    def fsrs(self) -> bool:
        """Whether FSRS schedules."""
        return self.name is SchedulerName.FSRS

    def to_json(self) -> dict[str, Any]:
        """The settings as a scheduler event writes them."""
        weights = None if self.weights is None else list(self.weights)
        return {"scheduler": self.name.value, "retention": self.retention, "weights": weights, "fuzz": self.fuzz,
                "balance": self.balance}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> SchedulerSettings:
        """The settings in a scheduler event's fields (``balance`` may be left out: false);
        ``ValueError`` saying what is wrong."""
        missing = [name for name in ("scheduler", "retention", "weights", "fuzz") if name not in value]
        if missing:
            raise ValueError(f"a scheduler event lacks {', '.join(missing)}")
        try:
            name = SchedulerName(value["scheduler"])
        except ValueError:
            raise ValueError(f"scheduler must be one of {', '.join(SchedulerName)}, got {value['scheduler']!r}") from None
        weights = value["weights"]
        if weights is not None and not isinstance(weights, list):
            raise ValueError(f"weights must be a list of numbers or null, got {weights!r}")
        return cls(name, value["retention"], None if weights is None else tuple(weights), value["fuzz"],
                   value.get("balance", False))

    def describe(self) -> str:
        """One line for people: "SM-2" (with what it keeps for FSRS when not the defaults: "SM-2
        (kept for FSRS: 80% retention, fitted weights)"), or "FSRS at 90% retention, fitted weights,
        fuzz"."""
        balanced = ["load balanced"] if self.balance else []
        if not self.fsrs:
            kept = [f"{self.retention:.0%} retention"] if self.retention != DEFAULT_RETENTION else []
            kept += (["fitted weights"] if self.weights is not None else []) + (["fuzz"] if self.fuzz else [])
            return ", ".join(["SM-2", *balanced]) + (f" (kept for FSRS: {', '.join(kept)})" if kept else "")
        parts = [f"FSRS at {self.retention:.0%} retention", "default weights" if self.weights is None else "fitted weights"]
        return ", ".join(parts + (["fuzz"] if self.fuzz else []) + balanced)


SM2: Final = SchedulerSettings()
