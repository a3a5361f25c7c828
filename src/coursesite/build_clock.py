"""The moment a build is for, which announcements and release dates are compared with.

Apart from the model so that a build taken whole from the cache need not load it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def build_moment(now: dt.datetime | None, today: dt.date, timezone: str) -> dt.datetime:
    """The moment a build is for, in a course's zone `timezone`.

    `now` is an aware moment (SOURCE_DATE_EPOCH's, or the real time), a naive wall-clock time
    (`--now`, read in each course's zone), or None (`--today`: the start of that day there).
    """
    zone = ZoneInfo(timezone)
    if now is None:
        return dt.datetime.combine(today, dt.time(), tzinfo=zone)
    return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)
