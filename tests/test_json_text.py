"""schedule.json and index.json are written by json_text.py rather than json.dumps with an indent
(issue 16): the same text, for every course's data and for any JSON-like data."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO
from coursesite.errors import Report
from coursesite.json_text import dumps_sorted
from coursesite.render import CourseFiles
from coursesite.schedule import assign_dates
from coursesite.schedule_json import schedule_json
from coursesite.site import load_course


def _standard(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1)


def test_every_reference_schedule_is_what_json_dumps_writes(monkeypatch) -> None:
    import coursesite.schedule_json

    seen: list[Any] = []
    monkeypatch.setattr(coursesite.schedule_json, "dumps_sorted", lambda data: seen.append(data) or dumps_sorted(data))
    for folder in sorted((REPO / "courses").iterdir()):
        course = load_course(folder, Report())
        assert course is not None
        written = schedule_json(course, assign_dates(course.info, course.schedule), CourseFiles(course).exists)
        assert written == (_standard(seen[-1]) + "\n").encode(), folder.name
    assert len(seen) == len(list((REPO / "courses").iterdir()))


JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=5), children, max_size=4)
    | st.dictionaries(st.integers() | st.booleans() | st.none(), children, max_size=3),
    max_leaves=25)


@given(JSON_LIKE)
def test_any_json_like_data_is_written_as_json_dumps_writes_it(data: Any) -> None:
    # keys json.dumps cannot sort (None beside an int) are a TypeError in both
    assert _outcome(dumps_sorted, data) == _outcome(_standard, data)


def _outcome(write: Any, data: Any) -> str:
    try:
        return str(write(data))
    except TypeError:
        return "TypeError"


def test_odd_values_are_left_to_json_dumps() -> None:
    for data in [{"a": math.nan}, [math.inf], {1: "x", "2": "y"}, {"a": {True: 1}}, "é\u2028\"\\", {"": []},
                 {"x": {}}, {"a": object()}, (1, [2, (3,)]), -0.0, 10**30]:
        assert _outcome(dumps_sorted, data) == _outcome(_standard, data), data


def test_the_written_schedule_reads_back(tmp_path: Path) -> None:
    data = {"b": [1, 2.5, None, True, "ü"], "a": {"c": []}}
    assert json.loads(dumps_sorted(data)) == data
