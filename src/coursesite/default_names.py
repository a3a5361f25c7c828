"""The names coursesite gives what an author left unnamed, in the course's language.

A session is called by its `label` or `topic`, else by its meeting and number ("Lecture 3"),
else by its meeting, else by its kind ("Exam"); a person without a `role` is an "Instructor".
The words an author wrote stay as written; the ones coursesite supplies (a meeting without a
`name` is a "Lecture", a session's kind) are put into the course's language when rendered
(translations.py), with its digits. The model keeps the English defaults, which anchors,
calendar UIDs and the matching of meetings and sessions go by in every language.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from coursesite.formatting import format_points
from coursesite.model import Meeting, Person
from coursesite.translations import _


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction only"
    return message


# The kinds' names, as the schedule tags a session that is not a lecture; msgids marked with
# N_ so that pybabel extracts them, translated when shown.
KIND_LABELS = {"lecture": N_("lecture"), "section": N_("section"), "lab": N_("lab"),
               "tutorial": N_("tutorial"), "notebook": N_("notebook"), "exam": N_("exam"),
               "review": N_("review"), "presentation": N_("presentation"), "holiday": N_("holiday"),
               "other": N_("other")}
# Kinds that are never a meeting of their own, so a session of one is not called by its meeting.
UNLIKE_A_MEETING = frozenset({"exam", "review", "presentation", "holiday"})
DEFAULT_MEETING = N_("Lecture")  # model.Meeting's default name
DEFAULT_ROLE = N_("Instructor")  # model.Person's


def kind_label(kind: str) -> str:
    """'exam', in the course's language ('examen')."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def meeting_name(meeting: Meeting) -> str:
    """The meeting's name as written, or coursesite's default in the course's language."""
    return meeting.name if is_named(meeting) else _(DEFAULT_MEETING)


def is_named(meeting: Meeting) -> bool:
    return "name" in meeting.model_fields_set


def person_role(person: Person) -> str:
    """The person's role as written, or coursesite's default in the course's language."""
    return person.role if "role" in person.model_fields_set else _(DEFAULT_ROLE)


class SessionName(BaseModel):
    """The facts that name a session: `meeting` is its meeting's name as written, None for the
    default (when `has_meeting`); `number` its number in a `numbered` meeting. The change log
    keeps these rather than the words, so that its cache reads right after a course switches
    language (change_text.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str | None = None
    topic: str | None = None
    has_meeting: bool = False
    meeting: str | None = None
    number: int | None = None
    kind: str = "lecture"

    def meeting_name(self) -> str | None:
        if not self.has_meeting:
            return None
        return self.meeting if self.meeting is not None else _(DEFAULT_MEETING)

    def heading(self) -> str | None:
        """The label written, or the meeting's name and number ("Lecture 3", "جلسه ۳")."""
        if self.label:
            return self.label
        name = self.meeting_name()
        if self.number is not None and name is not None:
            return f"{name} {format_points(self.number)}"
        return None

    def title(self) -> str:
        """The topic written, else the heading, the meeting's name or the kind ("Exam")."""
        if self.topic:
            return self.topic
        # An exam in a lecture's slot is not a lecture: its kind names it, not the meeting.
        found = self.heading() or (None if self.kind in UNLIKE_A_MEETING else self.meeting_name())
        if found:
            return found
        kind = kind_label(self.kind)
        return kind[:1].upper() + kind[1:]
