"""Warnings beyond the schema, each at its file, line and column; --strict makes them fail."""

from __future__ import annotations

import pytest

from conftest import MINIMAL_COURSE, build, parse, run_cli

C = "courses/dl/course.yaml"
S = "courses/dl/schedule.yaml"
P = "courses/dl/pages/policies.md"
ACTIVE = (": published, it would run on the site's origin like one of its pages; remove the script, or "
          "publish a PDF or an image instead, or link the file from another host, or add active-content to "
          "strict_allows in site.yaml")
REMOVE = ("remove it, or keep to what the README's Safety section lists, or add removed-html to strict_allows "
          "in site.yaml")

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
    # -- what the sanitizer removes from a page's raw HTML --------------------------------------
    ("removed-element", {P: "# Policies\n\nSee below.\n\n<form>Send</form>\n"},
     f"{P}:5:1: warning[removed-html]: <form> is not allowed in a page: the sanitizer removes it; " + REMOVE),
    ("removed-attribute", {P: 'Intro.\n\n<p data-track="1">x</p>\n'},
     f"{P}:3:4: warning[removed-html]: attribute 'data-track' on <p> is not allowed in a page: the sanitizer "
     "removes it; " + REMOVE),
    ("removed-style-property", {P: '<div style="color: red; position: fixed; inset: 0">Log in again</div>\n'},
     f"{P}:1:6: warning[removed-html]: CSS 'position', 'inset' in a style attribute on <div> is removed; keep "
     "to colours, fonts, text alignment, widths, heights, padding and borders, or add removed-html to "
     "strict_allows in site.yaml"),
    ("removed-style-element", {P: "Intro.\n\n<style>body { display: none }</style>\n"},
     f"{P}:3:1: warning[removed-html]: <style> is removed: a page may not restyle the whole site; use a style "
     "attribute (colours, sizes, borders) or the theme's classes, or add removed-html to strict_allows in site.yaml"),
    ("plain-http-iframe", {P: '<iframe src="http://example.org/v" title="V"></iframe>\n'},
     f"{P}:1:9: warning[removed-html]: <iframe> shows only https:// pages: the sanitizer removes "
     "src='http://example.org/v'; write src=\"https://...\", or add removed-html to strict_allows in site.yaml"),
    # -- linked files that would run script on the site's origin -------------------------------
    ("active-content-svg-file", {S: "sessions:\n  - topic: A\n    materials: [{label: Fig, file: figs/a.svg}]\n",
                                 "courses/dl/figs/a.svg": '<svg xmlns="http://www.w3.org/2000/svg">\n<rect/>\n'
                                                          '<script>alert(1)</script></svg>\n'},
     f"{S}:3:36: warning[active-content]: 'figs/a.svg' contains script (a <script> element at line 3)" + ACTIVE),
    ("active-content-html-link", {P: "Try [the demo](../demo/index.html).\n",
                                  "courses/dl/demo/index.html": '<!doctype html>\n<button onclick="go()">Go</button>\n'},
     f"{P}:1:16: warning[active-content]: 'demo/index.html' contains script (an event handler (onclick=) at "
     "line 2)" + ACTIVE),
    ("active-content-javascript-link", {P: "See [the export](../export.htm).\n",
                                        "courses/dl/export.htm": '<a href="JavaScript:go()">go</a>\n'},
     f"{P}:1:18: warning[active-content]: 'export.htm' contains script (a javascript: link at line 1)" + ACTIVE),
    ("active-content-svg-handler-in-yaml-text", {S: "sessions:\n  - topic: A\n    notes: '![fig](figs/b.svg)'\n",
                                                 "courses/dl/figs/b.svg": '<svg onload="x()"></svg>'},
     f"{S}:3:12: warning[active-content]: 'figs/b.svg' contains script (an event handler (onload=) at line 1)"
     + ACTIVE),
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


def test_build_reports_what_the_sanitizer_removes_and_publishes_the_rest(site, monkeypatch) -> None:
    root = site({P: "---\ntitle: Policies\n---\nSee the form.\n\n<form action=\"https://example.org/\">"
                    "<input name=\"q\"><b>Ask</b></form>\n\n<div style=\"position: fixed; color: red\">Hi</div>\n"})
    monkeypatch.chdir(root)
    result = build(root)
    assert result.code == 0
    assert [line.split(": warning[")[0] for line in result.lines] == [f"{P}:6:1", f"{P}:6:37", f"{P}:8:6"]
    assert build(root, None, "--strict").code == 1
    body = parse(root / "build" / "dl" / "policies.html").select_one("main")
    assert body.find(["form", "input"]) is None and body.find("b").get_text() == "Ask"
    assert body.find("div", string="Hi")["style"] == "color:red"
