"""Assignments placed by sessions, stated times only, the assignments page, readings and links."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from ical.calendar_stream import IcsCalendarStream

from conftest import MINIMAL_COURSE, build, parse, run_cli, visible_text

NY = ZoneInfo("America/New_York")
# Tue/Thu lectures 10:00-11:15 from Tue 2026-09-08: sessions fall on Sep 8, 10, 15, 17, 22.
SCHEDULE = """\
sessions:
  - topic: Perceptrons
    id: perceptrons
    released: [hw1, hw2]
  - topic: Gradient descent
  - topic: Backpropagation
    due: [hw1, {title: Reading response, points: 2}]
  - topic: Regularisation
    due: [quiz]
  - topic: Convolutions
    due: [hw2]
assignments:
  - {id: hw1, title: Homework 1, points: 10, submit: Gradescope}
  - {id: hw2, title: Homework 2, time: "17:00", submit: "https://example.edu/submit"}
  - {id: quiz, title: Quiz, time: "10:30"}
  - {id: essay, title: Essay, due: 2026-10-01}
"""


def course_site(site, schedule: str = SCHEDULE, course: str = MINIMAL_COURSE, **files: str) -> Path:
    root = site({"courses/dl/course.yaml": course, "courses/dl/schedule.yaml": schedule,
                 **{f"courses/dl/{name}": text for name, text in files.items()}})
    result = build(root)
    assert result.code == 0, result.err
    return root / "build" / "dl"


def deliverable_rows(out: Path, page: str = "assignments.html") -> dict[str, dict[str, str]]:
    table = parse(out / page).select_one("table.deliverables")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    rows = {}
    for tr in table.select("tbody tr"):
        cells = [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        rows[cells[0].removesuffix(" past")] = dict(zip(headers, cells, strict=True))
    return rows


def test_sessions_release_and_collect_assignments_by_id(site) -> None:
    out = course_site(site)
    rows = deliverable_rows(out)
    assert rows["Homework 1"]["Released"] == "Tue Sep 8"  # the releasing session's day
    assert rows["Homework 1"]["Due"] == "Tue Sep 15"  # a date only: no time anywhere, none shown
    assert rows["Homework 2"]["Due"] == "Tue Sep 22, 5:00 pm"  # the assignment's time
    assert rows["Reading response"]["Due"] == "Tue Sep 15"  # an item object still works
    soup = parse(out / "assignments.html")
    due = soup.select_one("#assignment-hw1 time")
    assert due is not None
    times = [t["datetime"] for t in soup.select("#assignment-hw1 time")]
    assert times == ["2026-09-08", "2026-09-15"]


def test_course_due_time_fills_date_only_deadlines(site) -> None:
    out = course_site(site, course=MINIMAL_COURSE + 'due_time: "23:59"\n')
    rows = deliverable_rows(out)
    assert rows["Homework 1"]["Due"] == "Tue Sep 15, 11:59 pm"
    assert rows["Homework 2"]["Due"] == "Tue Sep 22, 5:00 pm"  # its own time wins
    assert rows["Essay"]["Due"] == "Thu Oct 1, 11:59 pm"


def test_in_class_only_inside_a_meeting_or_when_stated(site) -> None:
    schedule = SCHEDULE + "  - {id: talk, title: Talk, in_class: true}\n"
    schedule = schedule.replace("    due: [hw2]\n", "    due: [hw2, talk]\n")
    rows = deliverable_rows(course_site(site, schedule))
    assert rows["Quiz"]["Due"] == "Thu Sep 17, 10:30 am (in class)"  # 10:30 is inside 10:00-11:15
    assert "(in class)" not in rows["Homework 2"]["Due"]  # 5:00 pm is not
    assert "(in class)" not in rows["Homework 1"]["Due"]  # no time at all
    assert rows["Talk"]["Due"] == "Tue Sep 22, 10:00 am (in class)"  # said so: the session's time


def test_submit_is_shown_with_the_deadline(site) -> None:
    out = course_site(site)
    rows = deliverable_rows(out)
    assert rows["Homework 1"]["Submit"] == "Gradescope"
    link = parse(out / "assignments.html").select_one("#assignment-hw2 a[href='https://example.edu/submit']")
    assert link is not None


def test_assignments_page_sorted_linked_and_past_marked(site) -> None:
    out = course_site(site)
    soup = parse(out / "assignments.html")
    titles = [tr.th.get_text(" ", strip=True).removesuffix(" past") for tr in soup.select("table.deliverables tbody tr")]
    assert titles == ["Homework 1", "Reading response", "Quiz", "Homework 2", "Essay"]  # by due date
    assert [tr.get("class") for tr in soup.select("table.deliverables tbody tr")] == [["is-past"]] * 5
    hw1 = soup.select_one("#assignment-hw1")
    hrefs = [a["href"] for a in hw1.select("td a")]
    assert hrefs == ["schedule.html#session-perceptrons", "schedule.html#session-lecture-backpropagation"]
    assert "Released in Perceptrons" in hw1.get_text(" ", strip=True)
    nav = [a.get_text() for a in soup.select("nav.course-nav a")]
    assert nav == ["Overview", "Schedule", "Assignments"]
    schedule = parse(out / "schedule.html")
    released = schedule.select_one("#session-perceptrons td.due").get_text(" ", strip=True)
    assert released == "Released: Homework 1 Released: Homework 2"


def test_a_course_without_assignments_has_no_assignments_page(site) -> None:
    out = course_site(site, "sessions:\n  - topic: A\n")
    assert not (out / "assignments.html").exists()
    assert "Assignments" not in [a.get_text() for a in parse(out / "index.html").select("nav.course-nav a")]


def test_deadline_events_are_dated_or_timed_as_written(site) -> None:
    out = course_site(site)
    data = (out / "calendar.ics").read_bytes()
    events = {str(e["summary"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    homework = events["Due: Homework 1"]
    assert (homework.decoded("dtstart"), homework.decoded("dtend")) == (dt.date(2026, 9, 15), dt.date(2026, 9, 16))
    timed = events["Due: Homework 2"]
    assert timed.decoded("dtstart") == dt.datetime(2026, 9, 22, 17, 0, tzinfo=NY)
    assert "dtend" not in timed
    assert "Submit: https://example.edu/submit" in str(timed["description"])
    strict = {e.summary: e for e in IcsCalendarStream.calendar_from_ics(data.decode()).events}
    assert strict["Due: Homework 1"].dtstart == dt.date(2026, 9, 15)
    assert strict["Due: Quiz"].dtstart == dt.datetime(2026, 9, 17, 10, 30, tzinfo=NY)


def test_a_pinned_date_that_disagrees_with_its_session_warns_naming_both_lines(site, monkeypatch) -> None:
    schedule = SCHEDULE.replace("{id: hw1, title: Homework 1,", "{id: hw1, title: Homework 1, due: 2026-09-24,")
    root = site({"courses/dl/schedule.yaml": schedule})
    monkeypatch.chdir(root)
    result = run_cli("check", root)
    assert [line for line in result.lines if "date-disagreement" in line] == [
        "courses/dl/schedule.yaml:13:39: warning[date-disagreement]: assignment 'hw1' says due 2026-09-24, "
        "but session 'Backpropagation' (line 6) collects it on 2026-09-15; delete the assignment's own date "
        "to let the session place it, or move one of the two, or add date-disagreement to strict_allows in site.yaml"]


def test_an_unknown_assignment_id_is_an_error_at_its_place(site, monkeypatch) -> None:
    root = site({"courses/dl/schedule.yaml": "sessions:\n  - topic: A\n    released: [hw9]\n    due: [hw8]\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", root)
    assert result.code == 1
    assert result.lines[:2] == [
        "courses/dl/schedule.yaml:3:16: error: assignment 'hw9' is not in the assignments list",
        "courses/dl/schedule.yaml:4:11: error: assignment 'hw8' is not in the assignments list"]


READINGS = """\
groups:
  - title: Books
    items:
      - {id: bailey, title: Java Structures, url: "https://example.edu/bailey"}
      - {id: shaffer, title: Data Structures and Algorithm Analysis}
"""


def test_readings_show_their_title_linked_with_where_to_read(site) -> None:
    schedule = 'sessions:\n  - topic: A\n    readings: [{id: bailey, where: "ch. 5-6"}, shaffer]\n'
    out = course_site(site, schedule, **{"readings.yaml": READINGS})
    cell = parse(out / "schedule.html").select_one("td.materials")
    assert cell.get_text(" ", strip=True) == "Reading: Java Structures (ch. 5-6) Reading: Data Structures and Algorithm Analysis"
    assert [a["href"] for a in cell.select("a")] == ["https://example.edu/bailey", "readings.html#reading-shaffer"]


def test_a_reading_id_with_a_space_is_an_error_at_its_place(site, monkeypatch) -> None:
    root = site({"courses/dl/readings.yaml": "groups:\n  - title: B\n    items:\n      - {id: my book, title: T}\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", root)
    assert result.lines[0] == (
        "courses/dl/readings.yaml:4:14: error: groups[0].items[0].id: 'my book' is not an id: use letters, "
        "digits, '-', '_' or '.', starting with a letter or digit, and no spaces (such as bailey-2020)")


def test_authors_split_at_their_commas_warn(site, monkeypatch) -> None:
    readings = "groups:\n  - title: B\n    items:\n      - {title: D2L, authors: [Zhang, A., Lipton, Z. C.]}\n"
    root = site({"courses/dl/readings.yaml": readings})
    monkeypatch.chdir(root)
    assert run_cli("check", root).lines == [
        "courses/dl/readings.yaml:4:31: warning[split-names]: authors of 'D2L' look like names split at "
        "their commas ('A.' alone); quote each name, as in [\"Zhang, A.\", \"Lipton, Z. C.\"], or add "
        "split-names to strict_allows in site.yaml"]
    quoted = readings.replace("[Zhang, A., Lipton, Z. C.]", '["Zhang, A.", "Lipton, Z. C."]')
    root = site({"courses/dl/readings.yaml": quoted})
    assert run_cli("check", root).lines == []


def test_a_link_without_an_address_is_not_yet_posted(site, monkeypatch) -> None:
    links = "groups:\n  - title: Tools\n    items:\n      - {title: Forum}\n"
    out = course_site(site, "sessions:\n  - topic: A\n", **{"links.yaml": links})
    item = parse(out / "links.html").select_one("main li")
    assert visible_text(item) == "Forum not yet posted"
    assert item.select_one(".not-posted") is not None and item.select_one("a") is None
    monkeypatch.chdir(out.parents[1])
    assert run_cli("check", out.parents[1]).lines == [
        "courses/dl/links.yaml:4:17: warning[not-yet-posted]: link 'Forum' has no url yet; the site shows it "
        "as not yet posted; add its url when it is ready, or add not-yet-posted to strict_allows in site.yaml"]


def test_the_assignments_page_marks_past_deliverables_for_the_readers_day(reference_build: Path, browser) -> None:
    page = browser.new_page()
    url = (reference_build / "columbia-deep-learning" / "assignments.html").as_uri()
    for day in ("2026-09-01", "2026-10-14", "2027-01-01"):
        page.goto(f"{url}?today={day}")
        rows = page.locator("table.deliverables tbody tr[data-date]")
        dates = rows.evaluate_all("rows => rows.map(r => r.dataset.date)")
        past = page.locator("table.deliverables tr.is-past").evaluate_all("rows => rows.map(r => r.dataset.date)")
        assert past == [d for d in dates if d < day]
        assert page.locator(".past-badge:visible").count() == len(past)
    assert 0 < len(dates) == len(past)  # by 2027 every one is past
    page.close()
