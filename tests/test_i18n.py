"""Courses in the students' language (issue 17): the `language` setting, `lang`/`dir` on every
page, CLDR dates, times and numbers through Babel, and Solar Hijri dates, on built pages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from bs4 import NavigableString
from ical.calendar_stream import IcsCalendarStream

from conftest import MINIMAL_COURSE, REPO, TODAY, build, parse, run_cli, visible_text
from coursesite.formatting import format_date, format_points, format_time, formats_for
from coursesite.translations import catalog_path
from test_catalogs import catalog, committed_site, english_left, git, human_texts

SCHEDULE = """\
sessions:
  - date: 2026-09-08
    topic: Introduction
  - date: 2026-09-22
    topic: Backpropagation
    due: [{title: Homework 1, time: "23:59", points: 12.5}]
"""


def built(site, course: str, *, site_yaml: str | None = None):
    files = {"courses/dl/course.yaml": course, "courses/dl/schedule.yaml": SCHEDULE}
    if site_yaml is not None:
        files["site.yaml"] = site_yaml
    root = site(files)
    result = build(root)
    assert result.code == 0, result.err
    return root / "build"


def pages(out):
    return sorted(out.rglob("*.html"))


def test_every_page_carries_the_course_language_and_rtl_its_direction(site) -> None:
    out = built(site, MINIMAL_COURSE + "language: fa\n")
    course_pages = [p for p in pages(out) if "dl" in p.parts]
    assert course_pages
    for page in course_pages:
        html = parse(page).html
        assert (html["lang"], html.get("dir")) == ("fa", "rtl"), page
    catalog = parse(out / "index.html").html
    assert (catalog["lang"], catalog.get("dir")) == ("en", None)


def test_site_yaml_sets_the_default_language_and_a_course_its_own(site) -> None:
    out = built(site, MINIMAL_COURSE, site_yaml="language: de\n")
    assert {parse(p).html["lang"] for p in pages(out)} == {"de"}
    out = built(site, MINIMAL_COURSE + "language: fr-CA\n", site_yaml="language: de\n")
    assert parse(out / "dl" / "index.html").html["lang"] == "fr-CA"
    assert "dir" not in parse(out / "dl" / "index.html").html.attrs


def test_a_misspelt_language_is_an_error_with_a_did_you_mean(site) -> None:
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE + "language: en_US\n"})
    result = build(root)
    assert result.code == 1
    assert "course.yaml:" in result.err and "did you mean 'en-US'?" in result.err
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE + "language: klingon\n"})
    result = build(root)
    assert result.code == 1 and "not a language Babel knows" in result.err


def test_french_pages_show_cldr_dates_times_and_numbers(site) -> None:
    out = built(site, MINIMAL_COURSE + "language: fr\n")
    text = visible_text(parse(out / "dl" / "schedule.html"))
    assert "mar. 8 sept." in text
    assert "mar. 22 sept. 23 h 59" in text or "mar. 22 sept., 23 h 59" in text
    assert "Tue Sep 8" not in text and "11:59 pm" not in text


def test_english_formats_are_unchanged() -> None:
    with formats_for("en"):
        assert format_date(dt.date(2026, 9, 8)) == "Tue Sep 8"
        assert format_time(dt.time(23, 59)) == "11:59 pm"
        assert format_points(12.5) == "12.5"


@pytest.mark.parametrize(("language", "date", "time", "points"), [
    ("fr", "mar. 8 sept.", "23 h 59", "12,5"),
    ("de", "Di., 8. Sept.", "23:59", "12,5"),
    ("es", "mar, 8 sept", "23:59", "12,5"),
    ("fa", "سه‌شنبه ۸ سپتامبر", "۲۳:۵۹", "۱۲٫۵"),
])
def test_each_language_takes_cldr_formats(language, date, time, points) -> None:
    with formats_for(language):
        assert format_date(dt.date(2026, 9, 8)) == date
        assert format_time(dt.time(23, 59)) == time
        assert format_points(12.5) == points


def test_1_azar_1402_is_22_november_2023() -> None:
    with formats_for("fa", "persian"):
        assert format_date(dt.date(2023, 11, 22), year=True) == "چهارشنبه ۱ آذر ۱۴۰۲"
    with formats_for("en", "persian"):
        assert format_date(dt.date(2023, 11, 22), year=True) == "Wed 1 Azar 1402"
        assert format_date(dt.date(2024, 3, 20), year=True) == "Wed 1 Farvardin 1403"  # Nowruz
        assert format_date(dt.date(2024, 3, 19), year=True) == "Tue 29 Esfand 1402"


def test_the_sharif_proposal_is_due_1_azar_1402_shown_beside_the_gregorian_date(reference_build) -> None:
    page = parse(reference_build / "sharif-deep-learning" / "assignments.html")
    row = next(tr for tr in page.select("table.deliverables tbody tr") if "Proposal Submission" in tr.get_text())
    due = row.select_one("td[data-label=Due] time")
    assert due["datetime"] == "2023-11-22"
    assert due.get_text() == "1 Azar 1402 (Wed Nov 22, 2023)"


def test_a_persian_deadline_reads_in_persian_digits_with_the_gregorian_date(site) -> None:
    course = MINIMAL_COURSE + "language: fa\ncalendar: persian\n"
    root = site({"courses/dl/course.yaml": course, "courses/dl/schedule.yaml":
                 "assignments:\n  - {id: p, title: Proposal, due: 2023-11-22}\n"})
    result = build(root)
    assert result.code == 0, result.err
    cell = parse(root / "build" / "dl" / "assignments.html").select_one("td[data-label] time")
    assert cell.get_text() == "۱ آذر ۱۴۰۲ (چهارشنبه ۲۲ نوامبر ۲۰۲۳)"


def test_the_stylesheet_mirrors_with_logical_properties() -> None:
    css = (REPO / "static" / "style.css").read_text(encoding="utf-8")
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)|(?<![-\w])(?:left|right)\s*:|"
                          r"text-align:\s*(?:left|right)|float:\s*(?:left|right)", css)
    assert not physical


def test_latin_runs_are_isolated_on_right_to_left_pages(site) -> None:
    out = built(site, MINIMAL_COURSE + "language: fa\n")
    page = parse(out / "dl" / "index.html")
    assert page.select_one("h1 .code")["dir"] == "auto"
    assert page.select_one(".email a")["dir"] == "auto"
    english = built(site, MINIMAL_COURSE)
    assert "dir" not in parse(english / "dl" / "index.html").select_one("h1 .code").attrs


def test_week_labels_read_as_dates_in_the_course_language(site) -> None:
    out = built(site, MINIMAL_COURSE + "language: fr\n")
    weeks = [td.get_text() for td in parse(out / "dl" / "schedule.html").select("td.week")]
    assert weeks[0] == "1 · 8–10 sept."
    # The site's default language too, which is not known when a course is dated.
    out = built(site, MINIMAL_COURSE, site_yaml="language: fr\n")
    weeks = [td.get_text() for td in parse(out / "dl" / "schedule.html").select("td.week")]
    assert weeks[0] == "1 · 8–10 sept."


def test_shares_of_the_grade_use_the_languages_percent_sign() -> None:
    from coursesite.formatting import format_percent

    expected = {"en": "12.5%", "fr": "12,5\u00a0%", "fa": "۱۲٫۵٪"}
    for language, text in expected.items():
        with formats_for(language):
            assert format_percent(12.5) == text


def test_the_catalog_marks_a_course_in_another_language(reference_build) -> None:
    items = {li.a["href"].split("/")[0]: li for li in parse(reference_build / "index.html").select(".course-list > li")}
    assert (items["sharif-deep-learning-fa"]["lang"], items["sharif-deep-learning-fa"]["dir"]) == ("fa", "rtl")
    assert (items["princeton-dl-theory-fr"]["lang"], items["princeton-dl-theory-fr"]["dir"]) == ("fr", "ltr")
    assert "lang" not in items["princeton-dl-theory-2026"].attrs


PERSIAN_TERM = """\
code: DL 101
title: Deep Learning
term: {name: Autumn 1402, start: 2023-09-23, end: 2023-11-15, timezone: Asia/Tehran}
calendar: persian
meetings:
  - {name: Lecture, days: [Sat, Mon], start: "10:30", end: "12:00"}
"""
PERSIAN_SCHEDULE = """\
sessions:
  - {topic: Introduction}
  - {topic: Review, date: 2023-11-22, time: "10:00-11:00"}
assignments:
  - {id: p, title: Proposal, released: "2023-11-25", due: "2023-11-22 23:59"}
"""


def test_check_names_dates_of_a_persian_calendar_course_in_both_calendars(site) -> None:
    root = site({"courses/dl/course.yaml": PERSIAN_TERM, "courses/dl/schedule.yaml": PERSIAN_SCHEDULE})
    err = run_cli("check", root).err
    assert "session 'Review' on 2023-11-22 (1 Azar 1402) is after the term ends (2023-11-15 (24 Aban 1402))" in err
    assert "'Proposal' is due (2023-11-22 23:59 (1 Azar 1402)) before it is released (2023-11-25 (4 Azar 1402))" in err
    assert ("assignment 'p' (released) is on 2023-11-25 (4 Azar 1402), after the term ends "
            "(2023-09-23 (1 Mehr 1402) to 2023-11-15 (24 Aban 1402))") in err
    # In the Gregorian calendar, as YAML writes them.
    (root / "courses/dl/course.yaml").write_text(PERSIAN_TERM.replace("calendar: persian\n", ""))
    err = run_cli("check", root).err
    assert "session 'Review' on 2023-11-22 is after the term ends (2023-11-15)" in err
    assert "Azar" not in err


# ---- coursesite's own names for what the author left unnamed: a meeting, a session, a role ---

UNNAMED_COURSE = """\
code: ML 201
title: Machine Learning
term: {name: Fall 2026, start: 2026-09-08, end: 2026-12-18, timezone: Europe/Paris}
people:
  - {name: Ada Lovelace}
meetings:
  - {days: [Tue, Thu], start: "10:00", end: "11:15", location: Room 101, numbered: true}
"""
# The third session has no topic ("Lecture 3"); in a course without meetings, an exam has none
# either ("Exam"). The second commit moves both, so that the change log names them too.
UNNAMED_SESSIONS = """\
sessions:
  - {topic: Introduction}
  - {topic: Regression}
  - {date: 2026-09-15}
  - {topic: Kernels}
"""
EXAMS = "sessions:\n  - {topic: Welcome, date: 2026-09-08}\n  - {kind: exam, date: 2026-10-20}\n" \
        "  - {kind: holiday, date: 2026-11-11}\n"
UNNAMED_EDITS = {"courses/ml/schedule.yaml": ("{date: 2026-09-15}", "{date: 2026-10-15}"),
                 "courses/ml-exams/schedule.yaml": ("2026-10-20", "2026-10-22")}


@pytest.fixture(scope="module")
def unnamed_builds(tmp_path_factory) -> dict[str, Path]:
    """One site in git, built in English, French and Persian with one cache: a course whose
    meeting has no name, with a session without a topic; one with the same meeting and no
    sessions yet (its calendar holds the meeting's occurrences); one without meetings whose exam
    has no topic."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root = tmp_path_factory.mktemp("unnamed")
    files = {"courses/ml/course.yaml": UNNAMED_COURSE, "courses/ml/schedule.yaml": UNNAMED_SESSIONS,
             "courses/ml-plan/course.yaml": UNNAMED_COURSE.replace("ML 201", "ML 202"),
             "courses/ml-exams/course.yaml": UNNAMED_COURSE.split("meetings:")[0].replace("ML 201", "ML 203"),
             "courses/ml-exams/schedule.yaml": EXAMS}
    committed_site(root, files)
    for name, (old, new) in UNNAMED_EDITS.items():
        (root / name).write_text((root / name).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Move things", date="2026-10-02T14:30:00+00:00")
    outs = {}
    for language in ("en", "fr", "fa"):
        (root / "site.yaml").write_text(f"title: Courses\nlanguage: {language}\n", encoding="utf-8")
        out = root.parent / f"{root.name}-{language}"
        result = run_cli("build", root, "--out", out, "--today", TODAY.isoformat())
        assert result.code == 0, result.err
        outs[language] = out
    return outs


def calendar_texts(out: Path) -> set[tuple[str, str]]:
    """The pages' and Atom feeds' texts, and each calendar event's summary and description as
    an independent parser (ical) reads them."""
    found = human_texts(out)
    for path in sorted(out.rglob("*.ics")):
        calendar = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
        found |= {(path.relative_to(out).as_posix(), text.strip()) for event in calendar.events
                  for text in (event.summary or "", *(event.description or "").splitlines()) if text.strip()}
    return found


def topic(out: Path, course: str, key: str) -> str:
    """The schedule's name for a session: the text of its topic cell, not its tags."""
    cell = parse(out / course / "schedule.html").select_one(f"#session-{key} .topic")
    return " ".join("".join(t for t in cell.children if isinstance(t, NavigableString)).split())


@pytest.mark.parametrize("language", ["fr", "fa"])
def test_an_unnamed_meeting_and_a_topicless_exam_keep_no_english_word(unnamed_builds, language) -> None:
    out, english = unnamed_builds[language], unnamed_builds["en"]
    written = UNNAMED_COURSE + UNNAMED_SESSIONS + EXAMS + "title: Courses"
    assert sorted(english_left(out, english, language, written, calendar_texts)) == []
    # "Lecture" is a French word too ("reading"), so the names are looked at one by one.
    messages = catalog(catalog_path(language))
    with formats_for(language):
        lecture_3 = f"{messages['Lecture']} {format_points(3)}"
    assert lecture_3.endswith("۳" if language == "fa" else " 3")  # the language's own digits
    exam = messages["exam"][:1].upper() + messages["exam"][1:]
    assert [topic(english, "ml", "lecture"), topic(english, "ml-exams", "exam")] == ["Lecture 3", "Exam"]
    assert [topic(out, "ml", "lecture"), topic(out, "ml-exams", "exam")] == [lecture_3, exam]
    overview = parse(out / "ml" / "index.html")
    assert [dt.get_text() for dt in overview.select("dl.meetings dt")] == [messages["Lecture"]]
    assert overview.select_one(".person .role").get_text() == messages["Instructor"]  # no role written
    # The week page and the syllabus name them the same way.
    week = parse(out / "ml" / "week.html")
    assert messages["Lecture"] in {event.select_one(".what").get_text(strip=True) for event in week.select(".week-event")}
    syllabus = parse(out / "ml" / "syllabus.html").get_text(" ")
    assert f", {messages['Instructor']}" in syllabus and ", Instructor" not in syllabus
    texts = {text for _, text in calendar_texts(out)}
    assert {lecture_3, exam, messages["Lecture"]} <= texts  # the sessions' and the occurrences' events
    changes = {text for name, text in calendar_texts(out) if name.endswith("feed.xml")}  # the change log's
    assert any(text.startswith(lecture_3) for text in changes) and any(text.startswith(exam) for text in changes)


def test_unnamed_sessions_keep_their_anchors_and_calendar_uids_in_every_language(unnamed_builds) -> None:
    def uids(out: Path) -> list[str]:
        return sorted(event.uid for path in sorted(out.rglob("*.ics"))
                      for event in IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8")).events)

    assert uids(unnamed_builds["en"]) == uids(unnamed_builds["fr"]) == uids(unnamed_builds["fa"])
    assert any(uid.startswith("lecture-2026-09-08") for uid in uids(unnamed_builds["fa"]))


def test_a_meeting_named_by_its_author_keeps_its_name(site) -> None:
    out = built(site, MINIMAL_COURSE + "language: fr\n")  # its meeting is named Lecture
    assert [dt.get_text() for dt in parse(out / "dl" / "index.html").select("dl.meetings dt")] == ["Lecture"]


@pytest.mark.parametrize(("language", "word", "meeting"), [("en", "Exam", "Lecture"), ("fr", "Examen", "Cours")])
def test_an_exam_without_a_topic_in_a_lectures_slot_is_called_an_exam(site, language, word, meeting) -> None:
    # An in-class exam takes the lecture's day, time and room; it is still not a lecture.
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE + f"language: {language}\n",
                 "courses/dl/schedule.yaml": "sessions:\n  - topic: Perceptrons\n  - kind: exam\n"})
    assert build(root).code == 0
    row = parse(root / "build/dl/schedule.html").select_one("tr.kind-exam")
    assert row is not None
    assert word in row.get_text() and meeting not in row.get_text().replace(word, "")
    summaries = [event.summary for event in
                 IcsCalendarStream.calendar_from_ics((root / "build/dl/calendar.ics").read_text()).events]
    assert any(word in summary for summary in summaries)
    assert not any(summary.endswith(f": {meeting}") or summary == meeting for summary in summaries)
