"""The moment a build is for, which release dates are compared with (releases.py).

Apart from releases.py so that a build taken whole from the cache need not load the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class BuildClock:
    """`--now` (or `--today` at 0:00) read in each course's time zone, else the real time."""

    fixed: dt.datetime | None = None  # naive: a wall-clock time, in each course's zone

    def now(self, timezone: str) -> dt.datetime:
        zone = ZoneInfo(timezone)
        return self.fixed.replace(tzinfo=zone) if self.fixed else dt.datetime.now(zone)
