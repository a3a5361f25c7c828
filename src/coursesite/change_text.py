"""A schedule change as facts (what moved, from where and when to where and when), and its words.

change_log.py finds the changes and keeps them, as these facts, in the build cache; they are put
into words when a course is rendered, in the course's language and calendar (formatting.py), so
a cached change reads right after the course switches language.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

from coursesite.default_names import SessionName
from coursesite.formatting import format_date, format_datetime, format_list, format_moment, format_time
from coursesite.model import Moment
from coursesite.translations import _


class Place(BaseModel):
    """When and where a session (or a section) met: only what is stated, or what changed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    day: dt.date | None = None
    time: dt.time | None = None
    room: str | None = None


class SectionMove(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    section: str
    was: Place
    now: Place


class Change(BaseModel):
    """One change a student must know of. `session` names a session ('Lecture 12',
    'Transformers'); a deadline is named by its title in `topic`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    kind: Literal["moved", "sections", "cancelled", "added", "due"]
    session: SessionName | None = None
    topic: str = ""
    was: Place = Place()
    now: Place = Place()
    on: dt.date | None = None  # the day of a session whose time or room moved, not its day
    sections: tuple[SectionMove, ...] = ()


CHANGES = TypeAdapter(list[Change])


def describe(change: Change) -> str:
    """'Lecture 12, Transformers: moved from Tue Oct 13 to Thu Oct 15', in the course's language."""
    name = _name(change.session) if change.session else change.topic
    values = {"name": name, "was": _parts(change.was), "now": _parts(change.now), "day": format_date(change.on)}
    if change.kind == "moved":
        if change.on is not None:
            return _("%(name)s: moved from %(was)s to %(now)s on %(day)s") % values
        return _("%(name)s: moved from %(was)s to %(now)s") % values
    if change.kind == "sections":
        moves = _("; ").join(_("section %(section)s moved from %(was)s to %(now)s")
                             % {"section": move.section, "was": _parts(move.was), "now": _parts(move.now)}
                             for move in change.sections)
        values["moves"] = moves
        if change.on is not None:
            return _("%(name)s: %(moves)s on %(day)s") % values
        return _("%(name)s: %(moves)s") % values
    if change.kind == "cancelled":
        return _("%(name)s: cancelled (was %(when)s)") % {"name": name, "when": _when(change.was)}
    if change.kind == "added":
        return _("%(name)s: added on %(when)s") % {"name": name, "when": _when(change.now)}
    return _("%(title)s: due date moved from %(was)s to %(now)s") % {
        "title": change.topic, "was": _moment(change.was), "now": _moment(change.now)}


def _name(session: SessionName) -> str:
    """'Lecture 12, Transformers'; the topic alone when it is the label itself."""
    label, topic = session.heading(), session.title()
    return _("%(label)s, %(topic)s") % {"label": label, "topic": topic} if label and label != topic else topic


def _parts(place: Place) -> str:
    """What changed of a place, in order: its day, its time, its room."""
    return format_list([format_date(place.day) if place.day else "", format_time(place.time), place.room or ""])


def _when(place: Place) -> str:
    """A session's day, and its time when it has one: 'Tue Sep 15, 10:00 am'."""
    if place.day is None:
        return ""
    return format_datetime(dt.datetime.combine(place.day, place.time)) if place.time else format_date(place.day)


def _moment(place: Place) -> str:
    """A deadline, as deadlines read everywhere (with the Gregorian date in the Persian calendar)."""
    return format_moment(Moment(place.day, place.time)) if place.day else ""
