"""A week's label is made once per week and language (weeks.py): every day of it gets the label
made for that day alone, in every language, and days counted in later make new labels."""

from __future__ import annotations

import copy
import datetime as dt

from conftest import REPO
from coursesite.errors import Report
from coursesite.formatting import formats_for
from coursesite.schedule import assign_dates
from coursesite.site import load_course
from coursesite.weeks import Weeks


def _alone(weeks: Weeks, day: dt.date) -> str | None:
    fresh = copy.copy(weeks)
    fresh._labels = {}
    return fresh.label(day)


def test_every_day_gets_the_label_made_for_it_alone() -> None:
    compared = 0
    for folder in sorted((REPO / "courses").iterdir()):
        course = load_course(folder, Report())
        assert course is not None
        weeks = assign_dates(course.info, course.schedule).weeks
        assert weeks is not None
        if weeks.first_monday is None:  # a term without a start date: no labels
            continue
        for language in ("en", "fr", "fa", "de"):
            with formats_for(language):
                for offset in range(-10, 140):
                    day = weeks.first_monday + dt.timedelta(days=offset)
                    assert weeks.label(day) == _alone(weeks, day), (folder.name, language, day)
                    compared += 1
    assert compared > 3000


def test_days_counted_in_later_change_the_labels_made_before() -> None:
    course = load_course(REPO / "courses" / "columbia-deep-learning", Report())
    assert course is not None
    info = course.info.model_copy(update={"meetings": []})
    weeks = Weeks(info)
    assert weeks.first_monday is not None
    day = weeks.first_monday + dt.timedelta(days=15)
    before = weeks.label(day)
    weeks.include([day])
    assert weeks.label(day) == _alone(weeks, day) != before
