"""The README's tour of the format is a course that builds and checks clean."""

from __future__ import annotations

import re

from conftest import REPO, build, parse, run_cli


def readme_files() -> dict[str, str]:
    """Each code block of the tour, under the file name written on the line before it."""
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"^`([\w/]+\.(?:yaml|md))`:\n\n```\w*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    return {f"courses/dl/{name}": body for name, body in blocks}


def test_the_readme_tour_builds_a_complete_course(site, monkeypatch) -> None:
    files = readme_files()
    assert sorted(files) == ["courses/dl/announcements.yaml", "courses/dl/course.yaml", "courses/dl/links.yaml",
                             "courses/dl/pages/policies.md", "courses/dl/readings.yaml", "courses/dl/schedule.yaml"]
    root = site(files)
    monkeypatch.chdir(root)
    checked = run_cli("check", root)
    assert checked.lines == [
        "courses/dl/links.yaml:5:17: warning[not-yet-posted]: link 'Discussion forum' has no url yet; the site shows "
        "it as not yet posted; add its url when it is ready, or add not-yet-posted to strict_allows in site.yaml",
        "courses/dl/pages/policies.md:6:54: warning[not-yet-posted]: file 'handouts/syllabus.pdf' does not exist yet; the site shows "
        "it as not yet posted; add the file when it is ready, or add not-yet-posted to strict_allows in site.yaml",
        "courses/dl/schedule.yaml:5:31: warning[not-yet-posted]: file 'slides/perceptrons.pdf' does not exist yet; the site shows it "
        "as not yet posted; add the file when it is ready, or add not-yet-posted to strict_allows in site.yaml"]
    assert build(root).code == 0
    nav = [a.get_text() for a in parse(root / "build/dl/index.html").select("nav.course-nav a")]
    assert nav == ["Overview", "Schedule", "Announcements", "Readings", "Links", "Assignments", "Course policies"]
    schedule = parse(root / "build/dl/schedule.html")
    dates = [t["datetime"] for t in schedule.select("table.schedule td.date > time")]
    assert dates == ["2026-09-08", "2026-09-10", "2026-09-11", "2026-10-16", "2026-10-22", "2026-10-27",
                     "2026-10-29", "2026-11-26", "2026-12-17", "2026-12-23"]
