"""A corpus of bad inputs: each gives exit 1, its exact message at path:line:col, no traceback,
and leaves the previous build byte for byte as it was."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, build, run_cli, tree


@dataclass(frozen=True)
class Link:
    """A symbolic link to `target` instead of a file."""

    target: str


@dataclass(frozen=True)
class Sparse:
    """A file of `size` bytes that takes no room on disk (it is all zero bytes)."""

    size: int


class Fifo:
    """A named pipe: reading it would wait forever."""


class Folder:
    """A folder where a file is expected."""


Content = str | bytes | Link | Sparse | Fifo | Folder

C = "courses/dl/course.yaml"
S = "courses/dl/schedule.yaml"
R = "courses/dl/readings.yaml"
L = "courses/dl/links.yaml"
P = "courses/dl/pages/policies.md"

# (case id, files to write over the minimal course, expected diagnostic line)
CASES: list[tuple[str, dict[str, Content], str]] = [
    ("unknown-field-did-you-mean", {S: "sessions:\n  - topic: A\n  - tpoic: B\n"},
     f"{S}:3:5: error: unknown field 'tpoic' in sessions[1] (did you mean 'topic'?)"),
    ("unknown-top-level-field", {C: MINIMAL_COURSE + "titel: x\n"},
     f"{C}:18:1: error: unknown field 'titel' (did you mean 'title'?)"),
    ("unknown-field-no-hint", {S: "sessions:\n  - topic: A\n    zzz: 1\n"},
     f"{S}:3:5: error: unknown field 'zzz' in sessions[0]; expected one of: attach, date, due, end, "
     "id, instructor, kind, label, location, materials, meeting, notes, readings, released, time, topic, week"),
    ("missing-title", {C: "term: {name: Fall 2026}\n"},
     f"{C}:1:1: error: missing required field 'title'"),
    ("old-sections-spelling", {C: MINIMAL_COURSE + "sections:\n  - {title: Apply, body: Soon}\n"},
     f"{C}:19:3: error: sections: the overview's text blocks are now called 'about:' (meetings[].sections are "
     "a meeting's parallel sections); rename 'sections:' to 'about:'"),
    ("tab-indentation", {S: "sessions:\n\t- topic: A\n"},
     f"{S}:2:1: error: YAML syntax error: found character that cannot start any token "
     "(indent with spaces, not tabs)"),
    ("unclosed-quote", {S: 'sessions:\n  - topic: "Perceptrons\n  - topic: B\n'},
     f"{S}:4:1: error: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar)"),
    ("bad-indentation", {S: "sessions:\n  - topic: A\n   date: 2026-09-08\n"},
     f"{S}:3:4: error: YAML syntax error: did not find expected '-' indicator (while parsing a block collection); "
     "check the indentation: this line must line up with the other items of its list"),
    ("bad-indentation-of-a-key", {L: "groups:\n  - title: Software\n    items:\n    - title: PyTorch\n      url: https://pytorch.org\n     note: x\n"},
     f"{L}:6:6: error: YAML syntax error: did not find expected key (while parsing a block mapping); check the "
     "indentation: this line must line up with the other keys of its mapping"),
    ("colon-in-unquoted-value", {P: "---\ntitle: Policies: late work\n---\nBody\n"},
     f"{P}:2:16: error: YAML syntax error: mapping values are not allowed in this context; put a value that "
     "contains ': ' in quotes, such as title: \"Policies: late work\""),
    ("missing-colon", {S: "sessions:\n  - topic: Intro\n    materials:\n      - label: Slides\n        file slides/1.pdf\n"},
     f"{S}:5:9: error: YAML syntax error: could not find expected ':' (while scanning a simple key); each line "
     "of a mapping is 'key: value'; is a ':' missing?"),
    ("url-without-scheme", {R: "groups:\n  - title: Book\n    items:\n      - {title: DL book, url: www.deeplearningbook.org}\n"},
     f"{R}:4:31: error: groups[0].items[0].url: 'www.deeplearningbook.org' needs its scheme: write "
     "https://www.deeplearningbook.org"),
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
     "(not announcements, assignments, calendar, index, links, readings, schedule, search, syllabus, week; lower-case letters, "
     "digits and '-')"),
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
    # -- values the model refuses ----------------------------------------------------------
    ("timezone-is-a-folder", {C: MINIMAL_COURSE.replace("America/New_York", "America")},
     f"{C}:7:13: error: term.timezone: 'America' is not an IANA time zone such as America/New_York"),
    ("date-in-year-1", {S: "sessions:\n  - topic: A\n    date: 0001-01-01\n"},
     f"{S}:3:11: error: sessions[0].date: '0001-01-01' is not a plausible course date (years 1900 to 2199)"),
    ("date-in-year-9999", {C: MINIMAL_COURSE.replace("end: 2026-12-18", "end: 9999-12-31")},
     f"{C}:6:8: error: term.end: '9999-12-31' is not a plausible course date (years 1900 to 2199)"),
    ("assignment-due-in-year-9999", {S: "assignments:\n  - {id: hw1, title: HW, due: '9999-12-31 23:59'}\n"},
     f"{S}:2:31: error: assignments[0].due: '9999-12-31' is not a plausible course date (years 1900 to 2199)"),
    ("impossible-time-in-due", {S: "assignments:\n  - {id: hw1, title: HW, due: '2026-09-22 25:99'}\n"},
     f"{S}:2:31: error: assignments[0].due: '25:99' is not a time of day (hours 0-23, minutes 0-59)"),
    ("pasted-text-in-due", {S: "assignments:\n  - {id: hw1, title: HW, due: '" + "T" * 50_000 + "'}\n"},
     f"{S}:2:31: error: assignments[0].due: '{'T' * 57}...' is not a date; write it as YYYY-MM-DD, such as "
     "2026-09-08 (a weekday may stand before it: Tue 2026-09-08)"),
    ("pasted-text-as-a-number", {S: "sessions:\n  - topic: A\n    due: [{title: HW, points: " + "9x" * 5_000 + "}]\n"},
     f"{S}:3:31: error: sessions[0].due[0].points: expected a number, got '{'9x' * 28}9...'"),
    ("long-email", {C: MINIMAL_COURSE.replace("ada@example.edu", "a@" + "." * 20_000 + " x")},
     f"{C}:9:5: error: people[0]: 'a@{'.' * 55}...' is not an email address such as name@example.edu"),
    ("heading-with-many-spaces", {P: "Intro.\n\n# Policies" + " " * 20_000 + "x\n"},
     f"{P}:3:11: error: a run of 20,000 spaces; shorten it (such runs make the Markdown converter very slow)"),
    ("unclosed-brackets-in-page", {P: "---\ntitle: P\n---\nFine [link](https://example.org).\n\n" + "[" * 5_000 + "\n"},
     f"{P}:6:1: error: 5,000 '[' or '](' are never closed in this paragraph; close them, or write \\[ for a "
     "bracket (so many make the Markdown converter very slow)"),
    ("unclosed-link-targets", {P: "Intro.\n\n" + "[a](" * 2_000 + "\n"},
     f"{P}:3:1: error: 2,000 '[' or '](' are never closed in this paragraph; close them, or write \\[ for a "
     "bracket (so many make the Markdown converter very slow)"),
    ("unclosed-brackets-in-yaml", {S: "sessions:\n  - topic: A\n    notes: '" + "[" * 5_000 + "'\n"},
     f"{S}:3:12: error: sessions[0].notes: 5,000 '[' or '](' are never closed in this paragraph; close them, or "
     "write \\[ for a bracket (so many make the Markdown converter very slow)"),
    ("empty-file-reference", {S: "sessions:\n  - topic: A\n    materials: [{label: S, file: ''}]\n"},
     f"{S}:3:34: error: sessions[0].materials[0].file: must not be empty"),
    ("control-character-in-file", {S: 'sessions:\n  - topic: A\n    materials: [{label: S, file: "a\\0b.pdf"}]\n'},
     f"{S}:3:34: error: sessions[0].materials[0].file: 'a\\x00b.pdf' contains a control character; "
     "write a plain file path"),
    ("windows-drive-file", {S: "sessions:\n  - topic: A\n    materials: [{label: S, file: 'C:\\x.pdf'}]\n"},
     f"{S}:3:34: error: sessions[0].materials[0].file: 'C:\\x.pdf' must be a path relative to the course folder"),
    ("tab-inside-javascript-url", {L: 'groups:\n  - title: G\n    items: [{title: X, url: "java\\tscript:alert(1)"}]\n'},
     f"{L}:3:29: error: groups[0].items[0].url: 'javascript:' links are not allowed; use http, https, "
     "mailto or a relative path"),
    ("vbscript-url", {C: MINIMAL_COURSE + "url: ' VBScript:msgbox(1)'\n"},
     f"{C}:18:6: error: url: 'vbscript:' links are not allowed; use http, https, mailto or a relative path"),
    ("protocol-relative-url", {C: MINIMAL_COURSE + "url: //evil.example/x\n"},
     f"{C}:18:6: error: url: protocol-relative links ('//host') are not allowed; write https://"),
    ("backslash-url", {C: MINIMAL_COURSE + "url: '\\\\evil.example/x'\n"},
     f"{C}:18:6: error: url: protocol-relative links ('//host') are not allowed; write https://"),
    ("slash-backslash-url", {L: "groups:\n  - title: G\n    items: [{title: X, url: '/\\evil.example'}]\n"},
     f"{L}:3:29: error: groups[0].items[0].url: protocol-relative links ('//host') are not allowed; write https://"),
    ("backslash-tab-url", {L: 'groups:\n  - title: G\n    items: [{title: X, url: "/\\t\\\\evil.example"}]\n'},
     f"{L}:3:29: error: groups[0].items[0].url: protocol-relative links ('//host') are not allowed; write https://"),
    ("site-base-url-javascript", {"site.yaml": "base_url: 'javascript:alert(1)'\n"},
     "site.yaml:1:11: error: base_url: 'javascript:' links are not allowed; use http, https, mailto "
     "or a relative path"),
    # -- Markdown in YAML fields ---------------------------------------------------------------
    ("reference-style-javascript-link", {C: MINIMAL_COURSE + "description: |\n  See [the notes][n].\n\n  [n]: javascript:alert(1)\n"},
     f"{C}:18:14: error: description: link 'javascript:alert(1)' uses 'javascript:'; only http, https, "
     "mailto and relative links are allowed"),
    ("entity-encoded-javascript-link", {S: "sessions:\n  - topic: A\n    notes: '[x](javascript&#58;alert(1))'\n"},
     f"{S}:3:12: error: sessions[0].notes: link 'javascript:alert(1)' uses 'javascript:'; only http, "
     "https, mailto and relative links are allowed"),
    ("attribute-list-event-handler", {R: "groups:\n  - title: G\n    note: '[x](https://example.org){: onmouseover=alert(1) }'\n"},
     f"{R}:3:11: error: groups[0].note: event-handler attribute 'onmouseover' on <a> is not allowed: "
     "nothing in a course may run script in students' browsers"),
    ("attribute-list-style-in-yaml", {R: "groups:\n  - title: G\n    note: |\n      Your session ended.\n      {: style=\"position:fixed;inset:0;background:white\" }\n"},
     f"{R}:3:11: error: groups[0].note: 'style' on <p> is not allowed in YAML text (it could draw over the page); "
     "an attribute list ({: ...}) may set only class and id"),
    ("attribute-list-style-in-site-footer", {"site.yaml": "footer: 'Sign in [here](https://example.org){: style=\"position:fixed;inset:0\" }'\n"},
     "site.yaml:1:9: error: footer: 'style' on <a> is not allowed in YAML text (it could draw over the page); "
     "an attribute list ({: ...}) may set only class and id"),
    ("attribute-list-data-in-yaml", {S: "sessions:\n  - topic: A\n    notes: '[x](https://example.org){: data-x=1 }'\n"},
     f"{S}:3:12: error: sessions[0].notes: attribute 'data-x' on <a> is not allowed in YAML text; "
     "an attribute list ({: ...}) may set only class and id"),
    ("backslash-link-in-yaml", {S: "sessions:\n  - topic: A\n    notes: '[x](\\\\/evil.example/login)'\n"},
     f"{S}:3:12: error: sessions[0].notes: link '\\/evil.example/login' leads to another host without a scheme (a browser reads '\\' as '/'); write https://"),
    ("javascript-image-in-yaml", {C: MINIMAL_COURSE + "summary: '![x](javascript:alert(1))'\n"},
     f"{C}:18:10: error: summary: link 'javascript:alert(1)' uses 'javascript:'; only http, https, "
     "mailto and relative links are allowed"),
    ("site-footer-javascript-link", {"site.yaml": "footer: '[home](javascript:alert(1))'\n"},
     "site.yaml:1:9: error: footer: link 'javascript:alert(1)' uses 'javascript:'; only http, https, "
     "mailto and relative links are allowed"),
    ("link-outside-course-in-yaml", {C: MINIMAL_COURSE + "textbook: '[Notes](../other/notes.pdf)'\n"},
     f"{C}:18:11: error: link '../other/notes.pdf' points outside the course folder; copy the file in, "
     "or link it with its full https:// address"),
    # -- raw HTML in Markdown pages --------------------------------------------------------------
    ("page-script-element", {P: "---\ntitle: P\n---\nHello.\n\n<script>alert(1)</script>\n"},
     f"{P}:6:1: error: <script> is not allowed: nothing in a course may run script in students' browsers"),
    ("page-event-handler", {P: "---\ntitle: P\n---\nA picture:\n\n<img src=x.png onerror=alert(1)>\n"},
     f"{P}:6:16: error: event-handler attribute 'onerror' on <img> is not allowed: nothing in a course "
     "may run script in students' browsers"),
    ("page-event-handler-after-slash", {P: "<svg/onload=alert(1)>\n"},
     f"{P}:1:6: error: event-handler attribute 'onload' on <svg> is not allowed: nothing in a course "
     "may run script in students' browsers"),
    ("page-mixed-case-javascript", {P: '<a href="JaVaScRiPt:alert(1)">x</a>\n'},
     f"{P}:1:10: error: link 'JaVaScRiPt:alert(1)' uses 'javascript:'; only http, https, mailto and "
     "relative links are allowed"),
    ("page-javascript-with-tab-entity", {P: 'One\n\n<a href=" java&#x09;script:alert(1)">x</a>\n'},
     f"{P}:3:11: error: link 'java\\tscript:alert(1)' uses 'javascript:'; only http, https, mailto and "
     "relative links are allowed"),
    ("page-javascript-as-entities", {P: '<a href="&#106;avascript&colon;alert(1)">x</a>\n'},
     f"{P}:1:10: error: link 'javascript:alert(1)' uses 'javascript:'; only http, https, mailto and "
     "relative links are allowed"),
    ("page-svg-xlink-javascript", {P: '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>\n'},
     f"{P}:1:21: error: link 'javascript:alert(1)' uses 'javascript:'; only http, https, mailto and "
     "relative links are allowed"),
    ("page-select-image-handler", {P: "Pick:\n\n<select><img src=x onerror=alert(1)></select>\n"}, f"{P}:3:20: error: event-handler attribute 'onerror' on <img> is not allowed: nothing in a course may run script in students' browsers"),
    ("page-foreign-content-mutation", {P: '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">\n'}, f"{P}:1:43: error: event-handler attribute 'onerror' on <img> is not allowed: nothing in a course may run script in students' browsers"),
    ("page-select-details-toggle", {P: "<select><details open ontoggle=alert(1)></details></select>\n"}, f"{P}:1:23: error: event-handler attribute 'ontoggle' on <details> is not allowed: nothing in a course may run script in students' browsers"),
    ("page-select-javascript-link", {P: '<select><a href="javascript:alert(1)">x</a></select>\n'}, f"{P}:1:18: error: link 'javascript:alert(1)' uses 'javascript:'; only http, https, mailto and relative "
     "links are allowed"),
    ("page-backslash-link", {P: 'Log in:\n\n<a href="/\\evil.example/login">here</a>\n'}, f"{P}:3:10: error: link '/\\evil.example/login' leads to another host without a scheme (a browser reads '\\' as '/'); write https://"),
    ("page-encoded-backslash-link", {P: '<a href="&#92;&#92;evil.example/login">here</a>\n'}, f"{P}:1:10: error: link '\\\\evil.example/login' leads to another host without a scheme (a browser reads '\\' as '/'); write https://"),
    ("page-markdown-backslash-link", {P: "Log in [here](\\/evil.example/login).\n"}, f"{P}:1:15: error: link '\\/evil.example/login' leads to another host without a scheme (a browser reads '\\' as '/'); write https://"),
    ("page-iframe-srcdoc", {P: '<iframe srcdoc="<p>hi</p>"></iframe>\n'},
     f"{P}:1:9: error: attribute 'srcdoc' on <iframe> is not allowed; point the frame at a page with "
     'src="https://..."'),
    ("page-data-iframe", {P: '<iframe src="data:text/html,hi"></iframe>\n'},
     f"{P}:1:14: error: link 'data:text/html,hi' uses 'data:'; only http, https, mailto and relative "
     "links are allowed"),
    ("page-meta-refresh", {P: '<meta http-equiv="refresh" content="0;url=https://example.org">\n'},
     f"{P}:1:1: error: <meta> is not allowed in a page body"),
    ("page-object", {P: '<object data="movie.swf"></object>\n'},
     f"{P}:1:1: error: <object> is not allowed; embed a video with <iframe src=\"https://...\"> or <video>"),
    ("page-unclosed-attribute", {P: 'Intro.\n\n<div>\n<img src="x.png" alt="unclosed\n</div>\n'},
     f"{P}:5:1: error: the HTML does not end cleanly: an unclosed tag, attribute, comment, <textarea> or "
     "<style> would swallow the rest of the page; close it"),
    ("page-reference-link-javascript", {P: "See [r][y].\n\n[y]: <javascript:alert(3)>\n"},
     f"{P}:3:7: error: link 'javascript:alert(3)' uses 'javascript:'; only http, https, mailto and "
     "relative links are allowed"),
    ("page-link-to-missing-page", {P: "---\ntitle: P\n---\nSee the [project](projcet.md).\n",
                                   "courses/dl/pages/project.md": "# Project\n"},
     f"{P}:4:19: error: page 'projcet.md' is not in pages/ (did you mean 'project'?)"),
    ("page-link-outside-course", {P: "Our [shared notes](../../other/notes.pdf).\n"},
     f"{P}:1:20: error: link '../../other/notes.pdf' points outside the course folder; copy the file "
     "in, or link it with its full https:// address"),
    ("page-not-utf8", {P: b"---\ntitle: P\n---\nCaf\xe9\n"},
     f"{P}:4:4: error: file is not valid UTF-8 (byte 0xe9); save it with UTF-8 encoding"),
    ("page-front-matter-duplicate-key", {P: "---\ntitle: P\ntitle: Q\n---\nBody\n"},
     f"{P}:3:1: error: duplicate key 'title' (first defined at line 2)"),
    ("page-front-matter-tab", {P: "---\ntitle: P\n\torder: 2\n---\nBody\n"},
     f"{P}:3:1: error: YAML syntax error: found a tab character that violates indentation (indent "
     "with spaces, not tabs)"),
    # -- references ------------------------------------------------------------------------------
    ("unknown-instructor", {S: "sessions:\n  - topic: A\n    instructor: Ada Lovelase\n"},
     f"{S}:3:17: error: instructor 'Ada Lovelase' is not in the people of course.yaml (did you mean "
     "'Ada Lovelace'?)"),
    ("unknown-instructor-in-list", {S: "sessions:\n  - topic: A\n    instructor: [Ada Lovelace, Alan Turing]\n"},
     f"{S}:3:32: error: instructor 'Alan Turing' is not in the people of course.yaml"),
    # -- YAML the loader refuses -----------------------------------------------------------------
    ("merge-key", {S: "base: &b {kind: lab}\nsessions:\n  - <<: *b\n    topic: A\n"},
     f"{S}:3:5: error: YAML merge keys ('<<') are not supported; write the fields out"),
    ("two-documents", {S: "sessions: []\n---\nsessions: []\n"},
     f"{S}:2:1: error: YAML syntax error: expected a single document in the stream, but found another document"),
    ("python-object-apply-tag", {C: MINIMAL_COURSE + "extra: !!python/object/apply:os.system ['touch pwned']\n"},
     f"{C}:18:8: error: YAML tag '!!python/object/apply:os.system' is not allowed; write a plain value"),
    ("mapping-as-key", {S: "sessions:\n  - ? {a: 1}\n    : x\n"},
     f"{S}:2:7: error: a mapping key must be a plain name"),
    ("crlf-line-numbers", {S: "sessions:\r\n  - topic: A\r\n    date: 2026-02-30\r\n"},
     f"{S}:3:11: error: sessions[0].date: '2026-02-30' is not a real date (day is out of range for month)"),
    ("bom-positions", {S: "\ufeffsessions:\n  - tpoic: A\n"},
     f"{S}:2:5: error: unknown field 'tpoic' in sessions[0] (did you mean 'topic'?)"),
    # -- files that are not what they seem -------------------------------------------------------
    ("huge-yaml-file", {S: Sparse(20_000_000)},
     f"{S}:1:1: error: file is 20,000,000 bytes; course files must be under 2,000,000 bytes"),
    ("huge-page", {P: Sparse(20_000_000)},
     f"{P}:1:1: error: file is 20,000,000 bytes; Markdown pages must be under 250,000 bytes; split it into "
     "several pages"),
    ("long-page", {P: Sparse(250_001)},
     f"{P}:1:1: error: file is 250,001 bytes; Markdown pages must be under 250,000 bytes; split it into "
     "several pages"),
    ("yaml-file-is-a-pipe", {S: Fifo()},
     f"{S}:1:1: error: is not a regular file; course files are plain text files"),
    ("yaml-symlink-loop", {S: Link("schedule.yaml")},
     f"{S}:1:1: error: is a symbolic link loop; replace the link with the file itself"),
    ("yaml-symlink-outside", {S: Link("/etc/passwd")},
     f"{S}:1:1: error: is a symbolic link to /etc/passwd, outside the course folder; copy the file in instead"),
    ("page-symlink-outside", {P: Link("/etc/passwd")},
     f"{P}:1:1: error: is a symbolic link to /etc/passwd, outside the course folder; copy the file in instead"),
    ("pages-folder-symlink-outside", {"courses/dl/pages": Link("/etc")},
     "courses/dl/pages:1:1: error: is a symbolic link to /etc, outside the course folder; copy the file in instead"),
    ("course-folder-symlink-loop", {"courses/loop": Link("loop")},
     "courses/loop:1:1: error: course folder is a symbolic link; move the course into courses/"),
    ("material-symlink-outside", {S: "sessions:\n  - topic: A\n    materials: [{label: S, file: slides/a.pdf}]\n",
                                  "courses/dl/slides/a.pdf": Link("/etc/passwd")},
     f"{S}:3:34: error: 'slides/a.pdf' is a symbolic link to /etc/passwd, outside the course folder; "
     "copy the file in instead"),
    ("material-symlink-loop", {S: "sessions:\n  - topic: A\n    materials: [{label: S, file: slides/a.pdf}]\n",
                               "courses/dl/slides/a.pdf": Link("a.pdf")},
     f"{S}:3:34: error: 'slides/a.pdf' is a symbolic link loop; replace the link with the file itself"),
    ("page-links-symlink-outside", {P: "The [rules](../rules.pdf).\n", "courses/dl/rules.pdf": Link("/etc/passwd")},
     f"{P}:1:13: error: link '../rules.pdf' is a symbolic link to /etc/passwd, outside the course folder; "
     "copy the file in instead"),
    ("static-symlink-outside", {"static/leak.txt": Link("/etc/passwd")},
     "static/leak.txt:1:1: error: is a symbolic link to /etc/passwd, outside the site folder; copy the file in instead"),
    ("site-yaml-symlink-outside", {"site.yaml": Link("/etc/passwd")},
     "site.yaml:1:1: error: is a symbolic link to /etc/passwd, outside the site folder; copy the file in instead"),
    ("backslash-in-course-folder", {"courses/a\\b/course.yaml": MINIMAL_COURSE},
     "courses/a\\b:1:1: error: course folder name 'a\\b' must be lower-case letters, digits, '.', '-' or '_' "
     "(it becomes the course's URL)"),
    ("page-name-with-dots", {"courses/dl/pages/..hidden.md": "# x\n"},
     "courses/dl/pages/..hidden.md:1:1: error: page file name '..hidden.md' cannot be used; rename it "
     "(not announcements, assignments, calendar, index, links, readings, schedule, search, syllabus, week; lower-case letters, "
     "digits and '-')"),

    # -- numbers: finite, and of a size a course can have (issue 13, section 4) ------------------
    ("count-of-400-digits", {C: MINIMAL_COURSE + "grading:\n  components:\n    - {name: HW, points: 5, count: " + "9" * 400 + "}\n"},
     f"{C}:20:36: error: grading.components[0].count: '{'9' * 57}...' is not a number a course can use; "
     "write one between -1,000,000 and 1,000,000"),
    ("points-inf", {S: "sessions:\n  - topic: A\n    due: [{title: HW, points: inf}]\n"},
     f"{S}:3:31: error: sessions[0].due[0].points: 'inf' is not a number a course can use; write one between "
     "-1,000,000 and 1,000,000"),
    ("points-1e999", {C: MINIMAL_COURSE + "grading:\n  components:\n    - {name: HW, points: 1e999}\n"},
     f"{C}:20:26: error: grading.components[0].points: '1e999' is not a number a course can use; write one "
     "between -1,000,000 and 1,000,000"),
    ("points-dot-inf", {S: "assignments:\n  - {id: hw1, title: HW, points: .inf}\n"},
     f"{S}:2:34: error: assignments[0].points: expected a number, got '.inf'"),
    ("weight-nan", {C: MINIMAL_COURSE + "grading:\n  components:\n    - {name: HW, weight: NaN}\n"},
     f"{C}:20:26: error: grading.components[0].weight: 'NaN' is not a number a course can use; write one "
     "between -1,000,000 and 1,000,000"),
    ("drop-lowest-huge", {C: MINIMAL_COURSE + "grading:\n  components:\n    - {name: HW, count: 2, drop_lowest: 1e7}\n"},
     f"{C}:20:41: error: grading.components[0].drop_lowest: '1e7' is not a number a course can use; write "
     "one between -1,000,000 and 1,000,000"),
    ("scale-min-huge", {C: MINIMAL_COURSE + "grading:\n  scale:\n    - {letter: A, min: 1e300}\n"},
     f"{C}:20:24: error: grading.scale[0].min: '1e300' is not a number a course can use; write one between "
     "-1,000,000 and 1,000,000"),
    ("scale-min-negative", {C: MINIMAL_COURSE + "grading:\n  scale:\n    - {letter: A, min: -3}\n"},
     f"{C}:20:24: error: grading.scale[0].min: input should be greater than or equal to 0, got -3"),
    ("page-order-huge", {P: "---\ntitle: P\norder: -" + "9" * 30 + "\n---\nBody\n"},
     f"{P}:3:8: error: order: '-{'9' * 30}' is not a number a course can use; write one between "
     "-1,000,000 and 1,000,000"),
    # -- nesting the converter cannot follow ------------------------------------------------------
    ("page-nested-list-markers", {P: "Intro.\n\n" + "- " * 500 + "x\n"},
     f"{P}:3:1: error: this line is nested 500 levels deep (lists, quotes, definitions or indentation); "
     "the most is 32"),
    ("yaml-nested-list-markers", {S: "sessions:\n  - topic: A\n    notes: '" + "- " * 500 + "x'\n"},
     f"{S}:3:12: error: sessions[0].notes: this line is nested 500 levels deep (lists, quotes, definitions "
     "or indentation); the most is 32"),
    ("page-nested-quotes", {P: "Intro.\n\n" + ">" * 500 + " x\n"},
     f"{P}:3:1: error: this line is nested 500 levels deep (lists, quotes, definitions or indentation); "
     "the most is 32"),
    ("page-nested-by-indentation", {P: "Intro.\n\n" + "".join("   " * i + "1. x\n\n" for i in range(50))},
     f"{P}:89:1: error: this line is nested 33 levels deep (lists, quotes, definitions or indentation); "
     "the most is 32"),
    ("page-nested-emphasis", {P: "Intro.\n\n" + "*a " * 1_000 + "x" + " a*" * 1_000 + "\n"},
     f"{P}:3:1: error: too deeply nested to convert (lists, quotes, emphasis or links inside one another); "
     "nest less"),
    ("yaml-nested-emphasis", {C: MINIMAL_COURSE + "description: '" + "**" * 1_000 + "x" + "**" * 1_000 + "'\n"},
     f"{C}:18:14: error: description: too deeply nested to convert (lists, quotes, emphasis or links inside "
     "one another); nest less"),
    ("page-nested-brackets", {P: "Intro.\n\n" + "[a " * 1_200 + "x" + "](b)" * 1_200 + "\n"},
     f"{P}:3:1: error: '[' nested 1,200 deep in this paragraph; write \\[ for a bracket (so many make the "
     "Markdown converter very slow)"),
    # -- what makes the converter slow, kept small: each bound is met just past its limit --------
    ("page-unclosed-divs", {P: "Intro.\n\n" + "<div>\n\n" * 101},
     f"{P}:203:1: error: more than 100 HTML elements are open at once here (<div> among them); close them, "
     "such as <div>...</div> (so many make the Markdown converter very slow)"),
    ("page-unclosed-bold", {P: "<b>x\n\n" * 101},
     f"{P}:201:1: error: more than 100 HTML elements are open at once here (<b> among them); close them, "
     "such as <b>...</b> (so many make the Markdown converter very slow)"),
    ("page-many-abbreviations", {P: "HTML.\n\n" + "".join(f"*[A{i}]: x\n" for i in range(101))},
     f"{P}:103:1: error: more than 100 abbreviation definitions ('*[...]:'); the most is 100: split the page "
     "(so many make the Markdown converter very slow)"),
    ("page-many-footnote-marks", {P: "[^1]: x\n\n" + "[^1] " * 501},
     f"{P}:3:2496: error: more than 500 footnote marks ('[^'); the most is 500: split the page (so many "
     "make the Markdown converter very slow)"),
    ("page-many-headings", {P: "# x\n\n" * 1_001},
     f"{P}:2001:1: error: more than 1,000 headings; split the page (so many make the Markdown converter "
     "very slow)"),
    ("page-many-code-fences", {P: "```\nx\n```\n\n" * 501},
     f"{P}:1:1: error: 501 fenced code blocks; the most is 500: split the page (so many make the Markdown "
     "converter very slow)"),
    ("page-many-definitions", {P: "Term\n\n" + ": b\n\n" * 2_001},
     f"{P}:4003:1: error: more than 2,000 definitions (': ' lines); the most is 2,000: split the page (so many "
     "make the Markdown converter very slow)"),
    ("page-long-block", {P: "Intro.\n\n" + "* * *\n" * 3_000},
     f"{P}:3:1: error: this block is too long (1,494 lines or more without a blank line); put blank lines "
     "between its parts, or split the page (so many make the Markdown converter very slow)"),
    ("page-unclosed-fence-hides-nothing", {P: "Intro.\n\n```\n" + "* * *\n" * 3_000},
     f"{P}:3:1: error: this block is too long (1,494 lines or more without a blank line); put blank lines "
     "between its parts, or split the page (so many make the Markdown converter very slow)"),
    ("page-many-angle-brackets", {P: "Intro.\n\n" + "<a " * 708 + "\n"},
     f"{P}:3:1: error: 708 '<' in this paragraph; write fewer, or split the paragraph with blank lines (so "
     "many make the Markdown converter very slow)"),
    ("page-many-stars", {P: "Intro.\n\n" + "*a" * 10_001 + "\n"},
     f"{P}:3:1: error: 10,001 '*' or '_' in this paragraph; write fewer, or split the paragraph with blank "
     "lines (so many make the Markdown converter very slow)"),
    ("page-many-backticks", {P: "Intro.\n\n" + "`` ` " * 334 + "\n"},
     f"{P}:3:1: error: 1,002 '`' in this paragraph; write fewer, or split the paragraph with blank lines (so "
     "many make the Markdown converter very slow)"),
    ("page-many-table-cells", {P: "|a|b|\n|-|-|\n" + "|x|y|\n\n|a|b|\n|-|-|\n" * 1_111},
     f"{P}:4445:3: error: more than 10,000 table cells ('|'); the most is 10,000: split the page (so many make "
     "the Markdown converter very slow)"),
    ("page-many-ampersands", {P: "Intro.\n\n" + "&amp; " * 20_001},
     f"{P}:3:120001: error: more than 20,000 '&'; the most is 20,000: split the page (so many make the "
     "Markdown converter very slow)"),
    # -- course folders that must not vanish or collide ----------------------------------------------
    ("slug-with-trailing-newline", {"courses/ab\n/course.yaml": MINIMAL_COURSE},
     "courses/ab\\n:1:1: error: course folder name 'ab\\n' must be lower-case letters, digits, '.', '-' or '_' "
     "(it becomes the course's URL)"),
    ("slug-with-escape-sequence", {"courses/ab\x1b[2J/course.yaml": MINIMAL_COURSE},
     "courses/ab\\x1b[2J:1:1: error: course folder name 'ab\\x1b[2J' must be lower-case letters, digits, '.', "
     "'-' or '_' (it becomes the course's URL)"),
    ("course-folder-named-index-html", {"courses/index.html/course.yaml": MINIMAL_COURSE},
     # the site's own files refuse it before it is read (test_announcements.py); other site names: test_offerings.py
     "courses/index.html:1:1: error: a course folder cannot be named 'index.html': the site writes its own index.html there; "
     "rename the folder (not feed.xml, index.html, static)"),
    ("course-folder-named-static", {"courses/static/course.yaml": MINIMAL_COURSE},
     # the site's own files refuse it before it is read (test_announcements.py); other site names: test_offerings.py
     "courses/static:1:1: error: a course folder cannot be named 'static': the site writes its own static there; "
     "rename the folder (not feed.xml, index.html, static)"),
    ("course-yaml-is-a-folder", {"courses/ml/course.yaml": Folder()},
     "courses/ml/course.yaml:1:1: error: is not a regular file; course files are plain text files"),
    ("course-yml", {"courses/ml/course.yml": MINIMAL_COURSE},
     "courses/ml/course.yml:1:1: error: rename course.yml to course.yaml"),
    ("schedule-yml", {"courses/dl/schedule.yml": "sessions: []\n"},
     "courses/dl/schedule.yml:1:1: error: rename schedule.yml to schedule.yaml (files named .yml are not read)"),
    ("page-with-upper-case-extension", {"courses/dl/pages/Policies.MD": "# Policies\n"},
     "courses/dl/pages/Policies.MD:1:1: error: rename 'Policies.MD' to end in '.md' (only .md files are pages)"),
    ("page-in-a-subfolder", {"courses/dl/pages/week1/notes.md": "# Notes\n"},
     "courses/dl/pages/week1:1:1: error: pages in a folder inside pages/ are not read; move them up into pages/ "
     "(the folder 'week1' may keep images and other files)"),
    ("pages-is-a-file", {"courses/dl/pages": "# Policies\n"},
     "courses/dl/pages:1:1: error: pages must be a folder of Markdown (.md) files"),
]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal course and its build, made once: each case starts from a copy."""
    root = tmp_path_factory.mktemp("built") / "site"
    (root / "courses" / "dl").mkdir(parents=True)
    (root / "courses" / "dl" / "course.yaml").write_text(MINIMAL_COURSE)
    first = build(root, root / "build")
    assert first.code == 0, first.err
    return root


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_reported_and_leaves_the_build_alone(built_site, tmp_path, files, expected,
                                                          monkeypatch) -> None:
    root = tmp_path / "site"
    shutil.copytree(built_site, root)
    monkeypatch.chdir(root)
    before = tree(root / "build")

    write_input(root, files)
    result = build(root, root / "build")

    assert result.code == 1
    assert "Traceback" not in result.err
    assert expected in result.lines
    assert result.lines[-1].endswith("must be fixed; nothing was written.")
    assert tree(root / "build") == before
    written = {name.split("/")[0] for name in files}
    assert sorted(p.name for p in root.iterdir()) == sorted({"build", "courses"} | written)


def write_input(root: Path, files: dict[str, Content]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.is_file():
            path.unlink()
        if isinstance(content, Link):
            path.symlink_to(content.target)
        elif isinstance(content, Sparse):
            with path.open("wb") as file:
                file.truncate(content.size)
        elif isinstance(content, Fifo):
            os.mkfifo(path)
        elif isinstance(content, Folder):
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode())


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


def test_a_skipped_folder_is_noted_by_check_and_fails_nothing(site, monkeypatch) -> None:
    root = site({"courses/.draft/course.yaml": MINIMAL_COURSE, "courses/_old/course.yaml": MINIMAL_COURSE})
    monkeypatch.chdir(root)
    result = run_cli("check", root, "--strict")
    assert result.code == 0
    assert result.lines == [
        "courses/.draft:1:1: note: skipped folder '.draft': a name starting with '.' keeps a folder out of the site",
        "courses/_old:1:1: note: skipped folder '_old': a name starting with '_' keeps a folder out of the site"]
    assert "Checked 1 course" in result.out


# (flag or environment, expected line): each is a usage error, exit 2, said on one line.
BAD_FLAGS: list[tuple[list[str], dict[str, str], str]] = [
    (["--base-url", "https://x.org/\nX-Injected: 1"], {},
     "coursesite build: error: argument --base-url: 'https://x.org/\\nX-Injected: 1' is not an http:// or "
     "https:// address such as https://user.github.io/repo/ (without spaces or control characters)"),
    (["--base-url", "https://x.org/\x1b[2J"], {},
     "coursesite build: error: argument --base-url: 'https://x.org/\\x1b[2J' is not an http:// or https:// "
     "address such as https://user.github.io/repo/ (without spaces or control characters)"),
    (["--today", "9999-12-31"], {},
     "coursesite build: error: argument --today: '9999-12-31' is not a plausible date (years 1900 to 2199)"),
    (["--jobs", "\u00b2"], {},
     "coursesite build: error: argument --jobs: '\u00b2' is not a number of processes (1 or more)"),
    ([], {"SOURCE_DATE_EPOCH": "253402300800"},
     "coursesite: error: SOURCE_DATE_EPOCH='253402300800' is not a time in seconds since 1970 (such as "
     "1790000000) before the year 2200; fix or unset it"),
    ([], {"SOURCE_DATE_EPOCH": "yesterday"},
     "coursesite: error: SOURCE_DATE_EPOCH='yesterday' is not a time in seconds since 1970 (such as "
     "1790000000) before the year 2200; fix or unset it"),
]


@pytest.mark.parametrize(("flags", "environment", "expected"), BAD_FLAGS,
                         ids=["newline-in-base-url", "escape-in-base-url", "today-in-year-9999",
                              "superscript-jobs", "epoch-in-year-10000", "epoch-not-a-number"])
def test_bad_flags_are_usage_errors(site, tmp_path, monkeypatch, flags, environment, expected) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    root = site()
    result = run_cli("build", root, "--out", tmp_path / "out", "--no-cache", *flags)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.lines[-1] == expected
    assert not (tmp_path / "out").exists()


def test_terminal_output_shows_control_characters_as_escapes(tmp_path) -> None:
    import io

    from coursesite.build import BuildResult
    from coursesite.errors import Diagnostic
    from coursesite.serve import Outcome, Reporter

    stream = io.StringIO()
    reporter = Reporter(stream)
    reporter.rebuilt(Outcome(BuildResult(tmp_path, 1, 1, 0.1)), [tmp_path / "a\x1b]0;owned\x07\u202e.md"])
    printed = stream.getvalue()
    assert "a\\x1b]0;owned\\x07\\u202e.md changed" in printed
    assert not any(char in printed for char in "\x1b\x07\u202e\x9b")
    line = Diagnostic("x\x9b2J\u2028.md", 1, 1, "error", "bad \x1b[31m").format()
    assert line == "x\\x9b2J\\u2028.md:1:1: error: bad \\x1b[31m"
