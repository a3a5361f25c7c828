"""A corpus of bad inputs: each gives exit 1, its exact message at path:line:col, no traceback,
and leaves the previous build byte for byte as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, build, run_cli

C = "courses/dl/course.yaml"
S = "courses/dl/schedule.yaml"
R = "courses/dl/readings.yaml"
L = "courses/dl/links.yaml"
P = "courses/dl/pages/policies.md"

# (case id, files to write over the minimal course, expected diagnostic line)
CASES: list[tuple[str, dict[str, str | bytes], str]] = [
    ("unknown-field-did-you-mean", {S: "sessions:\n  - topic: A\n  - tpoic: B\n"},
     f"{S}:3:5: error: unknown field 'tpoic' in sessions[1] (did you mean 'topic'?)"),
    ("unknown-top-level-field", {C: MINIMAL_COURSE + "titel: x\n"},
     f"{C}:18:1: error: unknown field 'titel' (did you mean 'title'?)"),
    ("unknown-field-no-hint", {S: "sessions:\n  - topic: A\n    zzz: 1\n"},
     f"{S}:3:5: error: unknown field 'zzz' in sessions[0]; expected one of: attach, date, due, end, "
     "instructor, kind, label, location, materials, meeting, notes, readings, topic, week"),
    ("missing-title", {C: "term: {name: Fall 2026}\n"},
     f"{C}:1:1: error: missing required field 'title'"),
    ("missing-topic", {S: "sessions:\n  - date: 2026-09-08\n"},
     f"{S}:2:5: error: missing required field 'sessions[0].topic'"),
    ("tab-indentation", {S: "sessions:\n\t- topic: A\n"},
     f"{S}:2:1: error: YAML syntax error: found character that cannot start any token "
     "(indent with spaces, not tabs)"),
    ("unclosed-quote", {S: 'sessions:\n  - topic: "Perceptrons\n  - topic: B\n'},
     f"{S}:4:1: error: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar)"),
    ("bad-indentation", {S: "sessions:\n  - topic: A\n   date: 2026-09-08\n"},
     f"{S}:3:4: error: YAML syntax error: did not find expected '-' indicator (while parsing a block collection)"),
    ("duplicate-key", {S: "sessions:\n  - topic: A\n    topic: B\n"},
     f"{S}:3:5: error: duplicate key 'topic' (first defined at line 2)"),
    ("list-instead-of-mapping", {S: "- topic: A\n"},
     f"{S}:1:1: error: schedule.yaml must be a mapping of 'key: value' lines, not a list"),
    ("scalar-instead-of-mapping", {L: "just words\n"},
     f"{L}:1:1: error: links.yaml must be a mapping of 'key: value' lines, not a single value"),
    ("empty-file", {S: ""},
     f"{S}:1:1: error: schedule.yaml is empty; write 'sessions:' with a list of sessions, or delete the file"),
    ("comment-only-file", {R: "# nothing yet\n"},
     f"{R}:1:1: error: readings.yaml is empty; write 'groups:' with a list of reading groups, or delete the file"),
    ("wrong-type-list", {S: "sessions:\n  topic: A\n"},
     f"{S}:2:3: error: sessions: expected a list (lines starting with '- '), got a mapping"),
    ("wrong-type-number", {S: "sessions:\n  - topic: A\n    due: [{title: HW, points: lots}]\n"},
     f"{S}:3:31: error: sessions[0].due[0].points: expected a number, got 'lots'"),
    ("negative-points", {S: "sessions:\n  - topic: A\n    due: [{title: HW, points: -5}]\n"},
     f"{S}:3:31: error: sessions[0].due[0].points: input should be greater than or equal to 0, got -5"),
    ("wrong-type-bool", {S: "sessions:\n  - topic: A\n    attach: maybe\n"},
     f"{S}:3:13: error: sessions[0].attach: expected true or false, got 'maybe'"),
    ("mapping-instead-of-text", {S: "sessions:\n  - topic: {a: 1}\n"},
     f"{S}:2:12: error: sessions[0].topic: expected text, got a mapping"),
    ("impossible-date", {S: "sessions:\n  - topic: A\n    date: 2026-02-30\n"},
     f"{S}:3:11: error: sessions[0].date: '2026-02-30' is not a real date (day is out of range for month)"),
    ("not-a-date", {S: "sessions:\n  - topic: A\n    date: next tuesday\n"},
     f"{S}:3:11: error: sessions[0].date: 'next tuesday' is not a date; write it as YYYY-MM-DD, such as "
     "2026-09-08 (a weekday may stand before it: Tue 2026-09-08)"),
    ("bad-weekday-word", {S: "sessions:\n  - topic: A\n    date: Tus 2026-09-08\n"},
     f"{S}:3:11: error: sessions[0].date: 'Tus' is not a day of the week; use Mon, Tue, Wed, Thu, Fri, Sat or Sun"),
    ("impossible-time", {C: MINIMAL_COURSE.replace('"10:00"', '"25:99"')},
     f"{C}:15:12: error: meetings[0].start: '25:99' is not a time of day (hours 0-23, minutes 0-59)"),
    ("end-before-start-time", {C: MINIMAL_COURSE.replace('"11:15"', '"09:00"')},
     f"{C}:13:5: error: meetings[0]: end 09:00 is not after start 10:00"),
    ("end-before-start-date", {S: "sessions:\n  - topic: Exam\n    date: 2026-12-17\n    end: 2026-12-10\n"},
     f"{S}:2:5: error: sessions[0]: end 2026-12-10 is before date 2026-12-17"),
    ("term-end-before-start", {C: MINIMAL_COURSE.replace("end: 2026-12-18", "end: 2026-01-18")},
     f"{C}:4:3: error: term: term end 2026-01-18 is before its start 2026-09-08"),
    ("unknown-weekday", {C: MINIMAL_COURSE.replace("[Tue, Thu]", "[Tue, Fry]")},
     f"{C}:14:17: error: meetings[0].days[1]: 'Fry' is not a day of the week; use Mon, Tue, Wed, Thu, Fri, Sat or Sun"),
    ("unknown-timezone", {C: MINIMAL_COURSE.replace("America/New_York", "Mars/Olympus")},
     f"{C}:7:13: error: term.timezone: 'Mars/Olympus' is not an IANA time zone such as America/New_York"),
    ("unknown-kind", {S: "sessions:\n  - topic: A\n    kind: lectur\n"},
     f"{S}:3:11: error: sessions[0].kind: 'lectur' is not allowed; expected one of 'lecture', 'section', 'lab', "
     "'tutorial', 'notebook', 'exam', 'review', 'presentation', 'holiday' or 'other'"),
    ("bad-email", {C: MINIMAL_COURSE.replace("ada@example.edu", "ada AT example.edu")},
     f"{C}:9:5: error: people[0]: 'ada AT example.edu' is not an email address such as name@example.edu"),
    ("javascript-url-in-yaml", {L: "groups:\n  - title: G\n    items:\n      - {title: X, url: 'javascript:alert(1)'}\n"},
     f"{L}:4:25: error: groups[0].items[0].url: 'javascript:' links are not allowed; use http, https, "
     "mailto or a relative path"),
    ("data-url-in-yaml", {S: "sessions:\n  - topic: A\n    materials: [{label: S, url: 'data:text/html,x'}]\n"},
     f"{S}:3:33: error: sessions[0].materials[0].url: 'data:' links are not allowed; use http, https, "
     "mailto or a relative path"),
    ("javascript-url-in-markdown-field", {C: MINIMAL_COURSE + "description: '[click](javascript:alert(1))'\n"},
     f"{C}:18:14: error: description: link 'javascript:alert(1)' uses 'javascript:'; only http, https, mailto and "
     "relative links are allowed"),
    ("javascript-url-in-page", {P: "---\ntitle: Policies\n---\n\nSee [this](javascript:alert(1)).\n"},
     f"{P}:5:12: error: link 'javascript:alert(1)' uses 'javascript:'; only http, https, mailto and "
     "relative links are allowed"),
    ("python-object-tag", {S: "sessions: !!python/object:os.system {}\n"},
     f"{S}:1:11: error: YAML tag '!!python/object:os.system' is not allowed; write a plain value"),
    ("custom-tag", {S: "sessions:\n  - topic: !secret A\n"},
     f"{S}:2:12: error: YAML tag '!secret' is not allowed; write a plain value"),
    ("not-utf8", {S: b"sessions:\n  - topic: caf\xe9\n"},
     f"{S}:2:15: error: file is not valid UTF-8 (byte 0xe9); save it with UTF-8 encoding"),
    ("file-outside-course", {S: "sessions:\n  - topic: A\n    materials: [{label: S, file: ../../secret.txt}]\n"},
     f"{S}:3:34: error: sessions[0].materials[0].file: '../../secret.txt' points outside the course "
     "folder ('..' is not allowed)"),
    ("absolute-file", {S: "sessions:\n  - topic: A\n    materials: [{label: S, file: /etc/passwd}]\n"},
     f"{S}:3:34: error: sessions[0].materials[0].file: '/etc/passwd' must be a path relative to the course folder"),
    ("url-and-file", {S: "sessions:\n  - topic: A\n    materials: [{label: S, url: 'https://x.org', file: a.pdf}]\n"},
     f"{S}:3:17: error: sessions[0].materials[0]: give either url or file, not both"),
    ("unknown-reading", {R: "groups:\n  - title: G\n    items: [{id: ch4, title: Chapter 4}]\n",
                         S: "sessions:\n  - topic: A\n    readings: [ch5]\n"},
     f"{S}:3:16: error: reading 'ch5' is not in readings.yaml (did you mean 'ch4'?)"),
    ("duplicate-reading-id", {R: "groups:\n  - title: G\n    items:\n      - {id: a, title: X}\n      - {id: a, title: Y}\n"},
     f"{R}:5:14: error: reading id 'a' is used twice (first at line 4)"),
    ("unknown-assignment", {S: "sessions:\n  - topic: A\n    due: [{title: HW, assignment: hw9}]\n"
                               "assignments:\n  - {id: hw1, title: HW 1}\n"},
     f"{S}:3:35: error: assignment 'hw9' is not in the assignments list (did you mean 'hw1'?)"),
    ("unknown-meeting", {S: "sessions:\n  - topic: A\n    meeting: Lab\n"},
     f"{S}:3:14: error: meeting 'Lab' is not a meeting pattern in course.yaml (patterns: Lecture)"),
    ("front-matter-not-closed", {P: "---\ntitle: Policies\n\nNo closing line.\n"},
     f"{P}:1:1: error: front matter starts with '---' but is not closed by a second '---' line"),
    ("front-matter-bad-yaml", {P: "---\ntitle: [Policies\n---\nBody\n"},
     f"{P}:3:1: error: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)"),
    ("front-matter-unknown-key", {P: "---\ntitle: Policies\nordre: 2\n---\nBody\n"},
     f"{P}:3:1: error: unknown field 'ordre' (did you mean 'order'?)"),
    ("front-matter-list", {P: "---\n- a\n---\nBody\n"},
     f"{P}:2:1: error: front matter must be 'key: value' lines"),
    ("reserved-page-name", {"courses/dl/pages/schedule.md": "# Schedule\n"},
     "courses/dl/pages/schedule.md:1:1: error: page file name 'schedule.md' cannot be used; rename it "
     "(not calendar, index, links, readings, schedule, search; lower-case letters, digits and '-')"),
    ("bad-course-folder-name", {"courses/My Course/course.yaml": MINIMAL_COURSE},
     "courses/My Course:1:1: error: course folder name 'My Course' must be lower-case letters, digits, "
     "'.', '-' or '_' (it becomes the course's URL)"),
    ("alias-bomb", {S: "a: &a ['x','x','x','x','x','x','x','x','x','x']\n"
                       "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                       "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                       "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"},
     f"{S}:1:1: error: YAML document has more than 200,000 values (an alias bomb?); course files are far smaller"),
    ("deep-nesting", {S: "sessions: " + "[" * 200 + "]" * 200 + "\n"},
     f"{S}:1:1: error: YAML document is nested more than 60 levels deep"),
    ("drop-more-than-count", {C: MINIMAL_COURSE + "grading:\n  components:\n    - {name: HW, points: 5, count: 2, drop_lowest: 2}\n"},
     f"{C}:20:7: error: grading.components[0]: drop_lowest (2) must be less than count (2)"),
]


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_reported_and_leaves_the_build_alone(site, files, expected, monkeypatch) -> None:
    root = site()
    monkeypatch.chdir(root)
    first = build(root, root / "build")
    assert first.code == 0, first.err
    before = _snapshot(root / "build")

    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    result = build(root, root / "build")

    assert result.code == 1
    assert "Traceback" not in result.err
    assert expected in result.lines
    assert result.lines[-1].endswith("must be fixed; nothing was written.")
    assert _snapshot(root / "build") == before
    assert sorted(p.name for p in root.iterdir()) == sorted(["build", "courses"])


def test_every_problem_of_a_run_is_reported_together(site, monkeypatch) -> None:
    root = site({S: "sessions:\n  - tpoic: A\n  - topic: B\n    date: 2026-02-30\n",
                 L: "groups:\n  - title: G\n    items: [{title: X, url: 'javascript:x'}]\n",
                 R: "- not a mapping\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", root)
    assert result.code == 1
    assert [line.split(": error: ")[0] for line in result.lines[:-1]] == [
        f"{L}:3:29", f"{R}:1:1", f"{S}:2:5", f"{S}:4:11"]
    assert result.lines[-1] == "4 problems must be fixed; nothing was written."


def test_values_yaml_would_retype_stay_as_written(site) -> None:
    from bs4 import BeautifulSoup

    root = site({C: MINIMAL_COURSE.replace("location: Room 101", "location: 0123")
                 .replace("code: DL 101", "code: 3.10"),
                 S: "sessions:\n  - topic: NO\n    label: 1e3\n"})
    assert build(root).code == 0
    overview = BeautifulSoup((root / "build/dl/index.html").read_text(), "html.parser")
    assert "0123" in overview.select_one("dl.facts dd").get_text()
    assert overview.select_one("h1 .code").get_text() == "3.10"
    schedule = BeautifulSoup((root / "build/dl/schedule.html").read_text(), "html.parser")
    assert schedule.select_one("th.topic").get_text(" ", strip=True).startswith("1e3 NO")
