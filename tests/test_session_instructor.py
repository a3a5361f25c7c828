"""A session may name who leads it; the name must be one of the course's people."""

from __future__ import annotations

from conftest import MINIMAL_COURSE, build, parse, run_cli

COURSE = MINIMAL_COURSE.replace("meetings:", "  - {name: Alan Turing, role: Teaching Assistant}\nmeetings:")
SCHEDULE = """\
sessions:
  - topic: Perceptrons
    instructor: Ada Lovelace
  - topic: Review
    instructor: [alan  turing, Ada Lovelace]
  - topic: Backpropagation
"""


def test_the_schedule_shows_who_leads_each_session(site) -> None:
    root = site({"courses/dl/course.yaml": COURSE, "courses/dl/schedule.yaml": SCHEDULE})
    result = build(root)
    assert result.code == 0, result.err

    rows = parse(root / "build/dl/schedule.html").select("table.schedule tbody tr")
    shown = [(r.select_one("th.topic").contents[0].strip(), r.select_one(".instructor")) for r in rows]
    assert [(topic, who.get_text() if who else None) for topic, who in shown] == [
        ("Perceptrons", "with Ada Lovelace"), ("Review", "with alan  turing and Ada Lovelace"), ("Backpropagation", None)]
    feed = (root / "build/dl/calendar.ics").read_text()
    assert "DESCRIPTION:DL 101 Deep Learning (Fall 2026)\\nAda Lovelace" in feed


def test_every_unknown_name_is_reported(site, monkeypatch) -> None:
    root = site({"courses/dl/course.yaml": COURSE,
                 "courses/dl/schedule.yaml": "sessions:\n  - topic: A\n    instructor: [Grace Hopper, Alan Turnig]\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", root)
    assert result.code == 1
    assert result.lines[:2] == [
        "courses/dl/schedule.yaml:3:18: error: instructor 'Grace Hopper' is not in the people of course.yaml",
        "courses/dl/schedule.yaml:3:32: error: instructor 'Alan Turnig' is not in the people of course.yaml "
        "(did you mean 'Alan Turing'?)"]
