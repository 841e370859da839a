"""What every scheduling command needs: the database, the settings and the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pendulum

    from recall.clock import Clock
    from recall.config import Settings
    from recall.db.engine import Engine


@dataclass
class Context:
    engine: Engine
    settings: Settings
    clock: Clock

    def now(self) -> pendulum.DateTime:
        return self.clock.now()

    def today(self) -> date:
        """The study day it is now, by the user's time zone and rollover hour."""
        from recall.clock import study_day

        return study_day(self.now(), self.settings.timezone, self.settings.rollover_hour)
