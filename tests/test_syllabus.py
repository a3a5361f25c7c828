"""The syllabus (issue 14, part 4): the whole course on one print-ready page, and syllabus.pdf made
from it by WeasyPrint, read back with pypdf."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from conftest import REPO, TODAY, build, parse, run_cli, visible_text

COURSE = """\
code: CS 400
title: Printable Things
term: {name: Fall 2026, start: 2026-09-07, end: 2026-12-11, timezone: America/New_York}
description: Everything about printing.
prerequisites: "CS 100, or see [the policies](pages/policies.md)."
meetings:
  - {name: Lecture, days: [Tue, Thu], start: "14:00", end: "15:15", location: Hall B}
people:
  - name: Grace Hopper
    email: grace@example.org
    office_hours:
      - {day: Wed, start: "13:00", end: "14:00", location: Room 9}
grading:
  components:
    - {name: Homework, weight: 60}
    - {name: Final exam, weight: 40, session: final}
"""
SCHEDULE = """\
sessions:
  - {topic: Paper sizes, readings: []}
  - {topic: Margins and gutters}
  - {id: final, topic: Final exam, kind: exam, date: 2026-12-10}
assignments:
  - {id: hw1, title: Homework 1, due: 2026-09-24}
"""
POLICY = """\
---
title: Policies
---
Late work loses 10% a day. See the [handbook](https://example.org/handbook).
"""


@pytest.fixture
def out(site) -> Path:  # type: ignore[no-untyped-def]
    root = site({"courses/dl/course.yaml": COURSE, "courses/dl/schedule.yaml": SCHEDULE,
                 "courses/dl/pages/policies.md": POLICY})
    result = build(root)
    assert result.code == 0, result.err
    return root / "build" / "dl"


def test_the_syllabus_holds_the_whole_course(out: Path) -> None:
    soup = parse(out / "syllabus.html")
    text = visible_text(soup.main)
    headings = [h.get_text(" ", strip=True) for h in soup.main.select("h2")]
    assert headings == ["Meetings", "Staff and office hours", "Description", "Prerequisites", "Grading",
                        "Exams", "Policies", "Schedule", "Assignments"]
    for fact in ("CS 400", "Printable Things", "Fall 2026", "Tue, Thu, 2:00 pm–3:15 pm, Hall B",
                 "Grace Hopper", "Wed, 1:00 pm–2:00 pm, Room 9", "Everything about printing.",
                 "Late work loses 10% a day.", "Paper sizes", "Final exam", "Homework 1"):
        assert fact in text, fact
    schedule = [visible_text(tr) for tr in soup.select("table.syllabus-schedule tbody tr")]
    assert schedule[0].startswith("Tue Sep 8") and "Paper sizes" in schedule[0]
    assert "Homework 1" in visible_text(soup.select_one("table.deliverables"))
    # The policy page's link to itself leads to its page; the overview links the syllabus.
    assert soup.select_one(".prose a[href='policies.html']")
    assert parse(out / "index.html").select_one(".course-documents a[href='syllabus.html']")


def test_paper_gets_every_address_and_no_row_split_across_pages() -> None:
    css = (REPO / "static" / "syllabus.css").read_text()
    print_rules = css[css.index("@media print"):]
    assert 'a[href^="http"]' in print_rules and "attr(href)" in print_rules
    assert re.search(r"\.syllabus tr[^{]*\{[^}]*break-inside: avoid", print_rules)
    assert "size: auto" in print_rules  # the printer's paper: A4 or Letter


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.mark.pdf
def test_the_pdf_has_the_title_every_topic_and_printed_addresses(out: Path) -> None:
    text = pdf_text(out / "syllabus.pdf")
    for words in ("Printable Things", "Paper sizes", "Margins and gutters", "Final exam", "Late work loses"):
        assert words in text, words
    assert "https://example.org/handbook" in text.replace(" ", "")
    assert parse(out / "index.html").select_one(".course-documents a[href='syllabus.pdf']")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_page_prints_on_either_paper(out: Path, paper: str) -> None:
    """WeasyPrint, told the paper, lays the same page out on it: every topic is still there."""
    import weasyprint  # type: ignore[import-untyped]

    html = (out / "syllabus.html").read_text().replace("</head>", f"<style>@page {{ size: {paper}; }}</style></head>")
    pdf = weasyprint.HTML(string=html, base_url=str(out / "syllabus.html")).write_pdf()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    width = float(reader.pages[0].mediabox.width)
    assert round(width) == {"A4": 595, "Letter": 612}[paper]
    assert "Paper sizes" in " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.pdf
def test_the_pdf_is_the_same_bytes_on_every_build(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = site({"courses/dl/course.yaml": COURSE, "courses/dl/schedule.yaml": SCHEDULE,
                 "courses/dl/pages/policies.md": POLICY})
    first, second = tmp_path / "one", tmp_path / "two"
    assert build(root, first).code == 0
    assert run_cli("build", root, "--out", second, "--today", "2026-10-01").code == 0
    assert (first / "dl" / "syllabus.pdf").read_bytes() == (second / "dl" / "syllabus.pdf").read_bytes()


@pytest.mark.pdf
def test_every_reference_course_has_a_syllabus_and_its_pdf(tmp_path: Path) -> None:
    """The examples with their PDFs (the one build of them that makes PDFs): Persian and French too."""
    reference = tmp_path / "build"
    result = run_cli("build", REPO, "--out", reference, "--today", TODAY.isoformat(), "--no-cache")
    assert result.code == 0, result.err
    overviews = sorted(reference / path.name / "index.html" for path in (REPO / "courses").iterdir())
    assert len(overviews) == 10
    for overview in overviews:
        folder = overview.parent
        assert parse(overview).select_one(".course-documents a[href='syllabus.pdf']"), folder.name
        title = parse(folder / "syllabus.html").h1.get_text(" ", strip=True)
        text = pdf_text(folder / "syllabus.pdf")
        assert re.sub(r"\s+", "", title) in text.replace(" ", ""), folder.name


@pytest.mark.pdf
def test_no_pdf_leaves_it_out_and_the_cache_knows(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = site({"courses/dl/course.yaml": COURSE, "courses/dl/schedule.yaml": SCHEDULE,
                 "courses/dl/pages/policies.md": POLICY})
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert run_cli("build", root, "--out", out, "--cache-dir", cache, "--no-pdf").code == 0
    assert not (out / "dl" / "syllabus.pdf").exists()
    assert not parse(out / "dl" / "index.html").select_one("a[href='syllabus.pdf']")
    assert run_cli("build", root, "--out", out, "--cache-dir", cache).code == 0
    assert (out / "dl" / "syllabus.pdf").exists()


@pytest.mark.pdf
def test_feeds_written_after_a_pdf_in_the_same_process_keep_their_namespace(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """WeasyPrint takes ElementTree's default prefix when imported: the next course's Atom feed,
    written in the same process, must still be <feed xmlns=...>, byte for byte as without PDFs."""
    root = site({"courses/a/course.yaml": COURSE, "courses/b/course.yaml": COURSE,
                 "courses/a/schedule.yaml": SCHEDULE, "courses/b/schedule.yaml": SCHEDULE,
                 "courses/a/pages/policies.md": POLICY, "courses/b/pages/policies.md": POLICY})
    assert run_cli("build", root, "--out", tmp_path / "pdf", "--jobs", "1", "--no-cache").code == 0
    assert (tmp_path / "pdf" / "a" / "syllabus.pdf").is_file()
    assert run_cli("build", root, "--out", tmp_path / "no", "--jobs", "1", "--no-cache", "--no-pdf").code == 0
    for feed in ("a/feed.xml", "b/feed.xml", "feed.xml"):
        assert (tmp_path / "pdf" / feed).read_bytes() == (tmp_path / "no" / feed).read_bytes(), feed
        assert b"<feed xmlns=" in (tmp_path / "pdf" / feed).read_bytes()


@pytest.mark.pdf
def test_a_process_loads_fonts_once_and_its_pdfs_are_those_made_alone(site, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint keeps the fonts each FontConfiguration loads: one for every PDF grew a worker of a
    1,000-course build by 250 MB. The shared one must not change a byte of the next course's PDF."""
    from weasyprint.text import fonts  # type: ignore[import-untyped]

    from coursesite import syllabus

    made: list[object] = []
    real = fonts.FontConfiguration
    monkeypatch.setattr(fonts, "FontConfiguration", lambda: made.append(real()) or made[-1])
    syllabus._fonts.cache_clear()
    other = COURSE.replace("Printable Things", "Typesetting").replace("Grace Hopper", "Donald Knuth")
    both = site({"courses/a/course.yaml": other, "courses/b/course.yaml": COURSE,
                 "courses/a/schedule.yaml": SCHEDULE, "courses/b/schedule.yaml": SCHEDULE,
                 "courses/a/pages/policies.md": POLICY, "courses/b/pages/policies.md": POLICY})
    result = run_cli("build", both, "--out", tmp_path / "both", "--jobs", "1", "--no-cache")
    syllabus._fonts.cache_clear()
    assert result.code == 0, result.err
    assert len(made) == 1  # for a's PDF and b's
    shutil.rmtree(both / "courses" / "a")
    fresh = subprocess.run([sys.executable, "-m", "coursesite", "build", str(both), "--out", str(tmp_path / "b"),
                            "--today", TODAY.isoformat(), "--no-cache"], capture_output=True, text=True, check=False)
    assert fresh.returncode == 0, fresh.stderr
    assert (tmp_path / "both/b/syllabus.pdf").read_bytes() == (tmp_path / "b/b/syllabus.pdf").read_bytes()
