"""Grading that adds up (points, weights, both), letter scales, and the overview's exam table."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, build, parse, run_cli
from coursesite.scaffold import new_course


def grading_table(out: Path) -> list[list[str]]:
    table = parse(out / "index.html").select_one("table.grading")
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.select("tr")]


def built(site, grading: str, schedule: str = "sessions:\n  - topic: A\n") -> Path:
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE + grading, "courses/dl/schedule.yaml": schedule})
    result = build(root)
    assert result.code == 0, result.err
    return root / "build" / "dl"


def test_the_scaffold_shows_no_concatenated_numbers(tmp_path: Path) -> None:
    new_course(tmp_path, "ml-101", None, dt.date(2026, 8, 20))
    assert build(tmp_path).code == 0
    rows = grading_table(tmp_path / "build" / "ml-101")
    assert rows[0] == ["Component", "Weight", "Points", "Notes"]
    for row in rows[1:]:
        assert re.fullmatch(r"\d+%", row[1]), row  # a weight alone: never "3040%" or "5020%"
        assert re.fullmatch(r"(\d+ points( each)?)?", row[2]), row
    assert rows[-1][:2] == ["Total", "100%"]  # the weights, not "180 points"
    assert rows[1][:3] == ["Homework", "40%", "10 points each"]


@pytest.mark.parametrize(("grading", "expected", "total"), [
    ("- {name: Homework, points: 15, count: 5, drop_lowest: 1}\n    - {name: Midterm, points: 20}\n"
     "    - {name: Final, points: 20}\n",
     [["Homework", "4 × 15 = 60"], ["Midterm", "20"], ["Final", "20"]], "100 points"),
    ("- {name: Homework, weight: 50}\n    - {name: Exams, weight: 50}\n",
     [["Homework", "50%"], ["Exams", "50%"]], "100%"),
    ("- {name: Homework, weight: 40, points: 10, count: 4}\n    - {name: Project, weight: 60}\n",
     [["Homework", "40%", "10 points each"], ["Project", "60%", ""]], "100%"),
])
def test_totals_for_points_only_weights_only_and_a_mix(site, grading, expected, total) -> None:
    rows = grading_table(built(site, "grading:\n  components:\n    " + grading))
    assert [row[:len(expected[0])] for row in rows[1:-1]] == expected
    assert rows[-1][:2] == ["Total", total]


def test_a_component_without_a_share_says_not_stated_and_is_not_added(site) -> None:
    rows = grading_table(built(site, "grading:\n  components:\n    - {name: Homework, weight: 80}\n"
                                     "    - {name: Quizzes, count: 3}\n"))
    assert rows[2][:3] == ["Quizzes", "not stated", "3 quizzes."]
    assert re.search(r"(?<![\d.])0%", " ".join(" ".join(row) for row in rows)) is None
    assert rows[-1][:2] == ["Total", "80% + Quizzes: not stated"]


def test_a_stated_total_when_not_every_component_is_listed(site, monkeypatch) -> None:
    out = built(site, "grading:\n  total: 100\n  components:\n    - {name: Homework, weight: 40}\n")
    assert grading_table(out)[-1][:2] == ["Total", "100% (40% listed so far)"]
    monkeypatch.chdir(out.parents[1])
    assert run_cli("check", out.parents[1]).lines == []  # no "weights add up to 40%"


SCALE = """\
grading:
  scale:
    - {letter: A, min: 93}
    - {letter: A-, min: 90, max: 92}
    - {letter: B, min: 80, max: 89}
    - {letter: F, max: 80}
"""


def test_open_ended_bands_read_as_words_and_whole_number_bands_leave_no_gap(site, monkeypatch) -> None:
    out = built(site, SCALE)
    table = parse(out / "index.html").select_one("table.grade-scale")
    ranges = [tr.td.get_text(strip=True) for tr in table.select("tbody tr")]
    assert ranges == ["93 and above", "90–92", "80–89", "below 80"]
    monkeypatch.chdir(out.parents[1])
    assert run_cli("check", out.parents[1]).lines == []


def test_overlapping_or_gapped_bands_warn(site, monkeypatch) -> None:
    scale = SCALE.replace("{letter: A-, min: 90, max: 92}", "{letter: A-, min: 88, max: 92}") \
        .replace("{letter: F, max: 80}", "{letter: F, max: 70}")
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE + scale})
    monkeypatch.chdir(root)
    assert run_cli("check", root).lines == [
        "courses/dl/course.yaml:21:7: warning[grade-scale]: grade bands A- (88–92) and B (80–89) overlap; "
        "make each band's min follow the max of the band below it, or add grade-scale to strict_allows in site.yaml",
        "courses/dl/course.yaml:22:7: warning[grade-scale]: grade bands B (80–89) and F (below 70) leave 9 points "
        "uncovered; make each band's min follow the max of the band below it, or add grade-scale to strict_allows "
        "in site.yaml"]


EXAMS = """\
sessions:
  - topic: Lecture
  - {topic: First exam, id: exam1, kind: exam, date: 2026-10-01, time: "18:00-20:00", location: Hall A,
     notes: Closed book.}
  - {topic: Second exam, id: exam2, kind: exam, date: 2026-11-06}
  - {topic: Final exam, id: final, kind: exam, date: 2026-12-16, location: Gym}
"""


def test_exam_sessions_named_by_components_make_the_exam_table(site) -> None:
    out = built(site, "grading:\n  components:\n    - {name: Homework, weight: 40}\n"
                      "    - {name: Exams, weight: 60, session: [exam1, exam2, final], drop_lowest: 1, "
                      "note: One may be missed.}\n", EXAMS)
    soup = parse(out / "index.html")
    table = soup.select_one("#exams").find_next("table")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == [
        "Exam", "Share of grade", "Date", "Time", "Place", "Notes"]
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]
    best = "The best 2 of 3 exams count. One may be missed."
    assert rows == [["First exam", "60% together", "Thu Oct 1", "6:00 pm–8:00 pm", "Hall A", best],
                    ["Second exam", "60% together", "Fri Nov 6", "", "", best],
                    ["Final exam", "60% together", "Wed Dec 16", "", "Gym", best]]
    assert [t["datetime"] for t in table.select("time")] == ["2026-10-01", "2026-11-06", "2026-12-16"]
    assert table.select_one("a")["href"] == "schedule.html#session-exam1"
    assert "Best 2 of 3 exams count (lowest 1 dropped)." in grading_table(out)[2][2]


def test_a_component_naming_a_missing_session_is_an_error_at_its_place(site, monkeypatch) -> None:
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE + "grading:\n  components:\n"
                 "    - {name: Midterm, weight: 100, session: midterm}\n",
                 "courses/dl/schedule.yaml": "sessions:\n  - {topic: Mid, id: mid, kind: exam}\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", root)
    assert result.code == 1
    assert result.lines[0] == (
        "courses/dl/course.yaml:20:45: error: grading component 'Midterm' names session 'midterm', but no "
        "session in schedule.yaml has that id; give the exam session 'id: midterm'")


def test_columbias_midterm_and_final_are_in_its_exam_table(reference_build: Path) -> None:
    table = parse(reference_build / "columbia-deep-learning" / "index.html").select_one("table.exams")
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]
    assert [row[:3] for row in rows] == [["Midterm", "20 points", "Thu Oct 22"],
                                         ["Final exam", "20 points", "Thu Dec 17 – Wed Dec 23"]]
    deliverables = parse(reference_build / "columbia-deep-learning" / "assignments.html").get_text()
    assert "Midterm" not in deliverables and "Final exam" not in deliverables  # not "due 11:59 pm" items
