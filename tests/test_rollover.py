"""A course copied to next year: what moves with term.start, and what warns because it cannot."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import yaml

from conftest import build, parse, run_cli
from coursesite.errors import Report
from coursesite.model import Moment
from coursesite.scaffold import new_course
from coursesite.schedule import DatedSchedule, assign_dates
from coursesite.site import load_course

YEAR = dt.timedelta(days=364)  # 52 weeks: every weekday stays the same


def dated(folder: Path) -> tuple[DatedSchedule, set[str]]:
    course = load_course(folder, Report())
    assert course is not None
    return assign_dates(course.info, course.schedule), {s.topic or "" for s in course.schedule.sessions if s.date}


def test_moving_the_term_by_a_year_moves_sessions_and_placed_assignments(tmp_path: Path, monkeypatch) -> None:
    course = new_course(tmp_path, "dl", None, dt.date(2026, 8, 20))
    schedule = course / "schedule.yaml"
    schedule.write_text(schedule.read_text() + "  - {id: essay, title: Essay, due: 2026-10-29}\n")
    monkeypatch.chdir(tmp_path)
    assert run_cli("check", tmp_path, "--strict").code == 0  # this term: nothing to say
    old, pinned = dated(course)

    copy = tmp_path / "courses" / "dl-next"
    shutil.copytree(course, copy)
    term = yaml.safe_load((copy / "course.yaml").read_text())["term"]
    text = (copy / "course.yaml").read_text()
    for key in ("start", "end"):
        text = text.replace(f"  {key}: {term[key]}", f"  {key}: {term[key] + YEAR}", 1)
    (copy / "course.yaml").write_text(text)
    new, _ = dated(copy)

    new_by_index = {row.index: row for row in new.sessions}
    # Until the first date left behind (a holiday on Sep 22), the self-dated sessions move as they are.
    early = [row for row in old.sessions if row.date and row.date < dt.date(2026, 9, 22) and row.topic not in pinned]
    assert len(early) == 9
    assert [new_by_index[row.index].date for row in early] == [row.date + YEAR for row in early if row.date]

    warned = [line.split(": warning[outside-term]: ")[1] for line in run_cli("check", tmp_path).lines
              if line.startswith("courses/dl-next/") and "[outside-term]" in line]
    before = load_course(course, Report())
    assert before is not None
    left_behind = [f"holiday '{h.label}' is on {day}" for h in before.info.holidays for day in (h.date, h.end) if day]
    left_behind += [f"swap '{swap.label}' is on {swap.date}" for swap in before.info.swaps]
    left_behind += ["assignment 'essay' (due) is on 2026-10-29"]
    left_behind += [f"session '{s.topic}' on {s.date}" for s in before.schedule.sessions if s.date]
    assert len(left_behind) >= 8  # holidays, a range, a swap, an assignment, two pinned exams
    for what in left_behind:
        assert any(line.startswith(what) and "before the term starts" in line for line in warned), (what, warned)
    assert len(warned) == len(left_behind)

    # Moving what the warnings name (as a user would) leaves a course exactly a year later.
    new_start = term["start"] + YEAR
    for name in ("course.yaml", "schedule.yaml"):
        text = (copy / name).read_text()
        text = re.sub(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])", lambda m: str(
            dt.date.fromisoformat(m[1]) + YEAR if dt.date.fromisoformat(m[1]) < new_start else m[1]), text)
        (copy / name).write_text(text)
    assert [line for line in run_cli("check", tmp_path, "--strict").lines if "dl-next" in line] == []
    new, _ = dated(copy)
    new_by_index = {row.index: row for row in new.sessions}
    assert {row.index: new_by_index[row.index].date for row in old.sessions} == \
        {row.index: row.date + YEAR for row in old.sessions if row.date}
    placed = {d.title: d.due for d in old.deadlines if d.row is not None and d.due}
    assert len(placed) == 4  # Homework 1 and 2, the reading response and the project
    assert {d.title: d.due for d in new.deadlines if d.title in placed} == {
        title: Moment(due.day + YEAR, due.time) for title, due in placed.items() if due}

    assert build(tmp_path).code == 0
    page = parse(tmp_path / "build" / "dl-next" / "assignments.html")
    assert page.select_one("#assignment-hw1 time")["datetime"] == new_by_index[0].date.isoformat()
