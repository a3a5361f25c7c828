"""Warnings beyond the schema, each at its file, line and column; --strict makes them fail."""

from __future__ import annotations

import pytest

from conftest import MINIMAL_COURSE, run_cli

C = "courses/dl/course.yaml"
S = "courses/dl/schedule.yaml"

CASES = [
    ("weekday-mismatch", {S: "sessions:\n  - topic: A\n    date: Tue 2026-10-15\n"},
     f"{S}:3:11: warning[weekday-mismatch]: 2026-10-15 is a Thursday, not a Tuesday; fix the date or the weekday, or add weekday-mismatch to strict_allows in site.yaml"),
    ("weekday-after-date", {S: "sessions:\n  - topic: A\n    date: 2026-10-15 (Wed)\n"},
     f"{S}:3:11: warning[weekday-mismatch]: 2026-10-15 is a Thursday, not a Wednesday; fix the date or the weekday, or add weekday-mismatch to strict_allows in site.yaml"),
    ("not-a-meeting-day", {S: "sessions:\n  - topic: A\n    date: 2026-10-31\n"},
     f"{S}:3:11: warning[not-a-meeting-day]: session 'A' on 2026-10-31 is a Saturday, not a Lecture day (Tue/Thu); write \"time:\" for a one-off session, or add not-a-meeting-day to strict_allows in site.yaml"),
    ("on-holiday", {C: MINIMAL_COURSE + "holidays:\n  - {date: 2026-11-26, label: Thanksgiving}\n",
                    S: "sessions:\n  - topic: A\n    date: 2026-11-26\n"},
     f"{S}:3:11: warning[on-holiday]: session 'A' on 2026-11-26 falls on the holiday 'Thanksgiving'; move the session to another day, or correct the holiday, or add on-holiday to strict_allows in site.yaml"),
    ("out-of-order", {S: "sessions:\n  - {topic: A, date: 2026-10-15}\n  - {topic: B, date: 2026-10-13}\n"},
     f"{S}:3:22: warning[out-of-order]: session 'B' on 2026-10-13 comes after a session on 2026-10-15; put the sessions in date order, or add out-of-order to strict_allows in site.yaml"),
    ("before-term", {S: "sessions:\n  - {topic: A, date: 2026-09-01}\n"},
     f"{S}:2:22: warning[outside-term]: session 'A' on 2026-09-01 is before the term starts (2026-09-08); correct the date, or term.start and term.end in course.yaml, or add outside-term to strict_allows in site.yaml"),
    ("after-term", {S: "sessions:\n  - {topic: A, date: 2026-12-22}\n"},
     f"{S}:2:22: warning[outside-term]: session 'A' on 2026-12-22 is after the term ends (2026-12-18); correct the date, or term.start and term.end in course.yaml, or add outside-term to strict_allows in site.yaml"),
    ("more-sessions-than-meetings", {S: "sessions:\n" + "".join(f"  - topic: S{i}\n" for i in range(31))},
     f"{S}:32:5: warning[outside-term]: session 'S30' runs past the term's end (2026-12-18); there are more sessions than meetings; remove sessions, or end the term later, or add outside-term to strict_allows in site.yaml"),
    ("due-before-release", {S: "assignments:\n  - {id: hw1, title: HW 1, released: 2026-09-10, due: 2026-09-09}\n"},
     f"{S}:2:55: warning[due-before-release]: 'HW 1' is due (2026-09-09) before it is released (2026-09-10); correct 'due' or 'released', or add due-before-release to strict_allows in site.yaml"),
    ("grading-total", {C: MINIMAL_COURSE + "grading:\n  components:\n    - {name: A, weight: 40}\n    - {name: B, weight: 30}\n"},
     f"{C}:20:5: warning[grading-total]: grading weights add up to 70%, not 100%; correct the weights so that they add up to 100, or add grading-total to strict_allows in site.yaml"),
    ("not-yet-posted", {S: "sessions:\n  - topic: A\n    materials: [{label: Slides, file: slides/a.pdf}]\n"},
     f"{S}:3:39: warning[not-yet-posted]: file 'slides/a.pdf' does not exist yet; the site shows it as not yet posted; add the file when it is ready, or add not-yet-posted to strict_allows in site.yaml"),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_warning_is_reported_and_fails_only_under_strict(site, monkeypatch, files, expected) -> None:
    root = site(files)
    monkeypatch.chdir(root)
    relaxed = run_cli("check", root)
    assert relaxed.code == 0
    assert relaxed.lines == [expected]
    assert relaxed.out.strip() == "Checked 1 course: no errors, 1 warning."
    strict = run_cli("check", root, "--strict")
    assert strict.code == 1
    assert strict.lines == [expected, "1 problem must be fixed (a warning, which --strict counts); nothing was written."]


def test_a_site_may_accept_a_kind_of_warning_under_strict(site, monkeypatch) -> None:
    root = site({S: "sessions:\n  - topic: A\n    materials: [{label: Slides, file: slides/a.pdf}]\n",
                 "site.yaml": "strict_allows: [not-yet-posted]\n"})
    monkeypatch.chdir(root)
    assert run_cli("check", root, "--strict").code == 0
    (root / "site.yaml").write_text("strict_allows: [not-yet-postd]\n")
    result = run_cli("check", root)
    assert result.code == 1
    assert [line for line in result.lines if ": error: " in line][0].startswith(
        "site.yaml:1:17: error: strict_allows[0]: 'not-yet-postd' is not allowed; expected one of 'weekday-mismatch'")


def test_a_pinned_exam_range_may_fall_outside_meeting_days_and_the_term(site, monkeypatch) -> None:
    root = site({S: "sessions:\n  - {topic: Final, kind: exam, date: 2026-12-17, end: 2026-12-23}\n"})
    monkeypatch.chdir(root)
    assert run_cli("check", root, "--strict").code == 0
