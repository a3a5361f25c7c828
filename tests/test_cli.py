"""The command line: help, version, exit codes, the summary line, base URL."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import MINIMAL_COURSE, REPO, build, parse, run_cli


def test_version_and_help_work_everywhere() -> None:
    from coursesite import __version__

    assert run_cli("--version").out.strip() == f"coursesite {__version__}"
    for command in ([], ["build"], ["check"]):
        result = run_cli(*command, "--help")
        assert result.code == 0
        assert "usage: coursesite" in result.out


def test_bad_usage_exits_2(tmp_path) -> None:
    assert run_cli().code == 2
    assert run_cli("build", "--no-such-flag").code == 2
    assert run_cli("build", "--today", "someday").code == 2
    missing = run_cli("build", tmp_path / "nowhere")
    assert missing.code == 2
    assert missing.err.strip() == f"coursesite: error: site folder '{tmp_path / 'nowhere'}' does not exist"


def test_a_folder_without_courses_is_bad_input(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", tmp_path)
    assert result.code == 1
    assert result.lines[0].startswith(".:1:1: error: no 'courses' folder in ")


def test_build_prints_one_summary_line_and_check_writes_nothing(site, monkeypatch) -> None:
    root = site()
    monkeypatch.chdir(root)
    checked = run_cli("check", root)
    assert (checked.code, checked.out.strip(), checked.err) == (0, "Checked 1 course: no errors, 0 warnings.", "")
    assert sorted(p.name for p in root.iterdir()) == ["courses"]
    built = build(root)
    assert built.code == 0
    assert re.fullmatch(r"Built 1 course, 5 pages in \d+\.\d\d s into build/\. Open file://\S+/build/index\.html\n",
                        built.out)


def test_python_dash_m_and_the_console_script_run_the_same_program(site) -> None:
    root = site()
    module = subprocess.run([sys.executable, "-m", "coursesite", "check", str(root)],
                            capture_output=True, text=True, check=False)
    assert (module.returncode, module.stdout.strip()) == (0, "Checked 1 course: no errors, 0 warnings.")


def test_base_url_makes_feed_and_canonical_links_absolute_and_page_links_stay_relative(site) -> None:
    root = site({"courses/dl/schedule.yaml": "sessions:\n  - topic: Perceptrons\n"})
    assert build(root, None, "--base-url", "https://user.github.io/repo/").code == 0
    soup = parse(root / "build/dl/schedule.html")
    assert soup.select_one("link[rel=canonical]")["href"] == "https://user.github.io/repo/dl/schedule.html"
    hrefs = [a["href"] for a in soup.select("a[href]")]
    assert "index.html" in hrefs and "../index.html" in hrefs
    assert not [h for h in hrefs if h.startswith("/")]
    feed = (root / "build/dl/calendar.ics").read_text()
    assert "URL:https://user.github.io/repo/dl/schedule.html#session-lecture-perceptrons" in feed.replace("\n ", "")


def test_the_example_site_builds_from_its_own_folder(tmp_path) -> None:
    result = run_cli("build", REPO, "--out", tmp_path / "out", "--strict", "--today", "2026-10-14")
    assert result.code == 0, result.err
    assert result.out.startswith("Built 10 courses, 54 pages in ")


def test_minimal_course_title_appears_in_catalog_and_overview(site) -> None:
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE.replace("Deep Learning", "Learning <Deeply>")})
    assert build(root).code == 0
    assert parse(root / "build/index.html").select_one(".course-list a").get_text(" ", strip=True) == \
        "DL 101 Learning <Deeply>"
    assert parse(root / "build/dl/index.html").select_one("h1").get_text(" ", strip=True) == "DL 101 Learning <Deeply>"


def test_a_successful_build_lists_ten_warnings_and_counts_the_rest(site, monkeypatch) -> None:
    materials = "".join(f"  - {{topic: S{i}, materials: [{{label: Slides, file: s{i}.pdf}}]}}\n" for i in range(12))
    root = site({"courses/dl/schedule.yaml": "sessions:\n" + materials})
    monkeypatch.chdir(root)
    built = build(root)
    assert built.code == 0
    assert len(built.lines) == 11
    assert built.lines[-1] == "... and 2 more warnings; 'coursesite check' lists them all."
    assert len(run_cli("check", root).lines) == 12


def test_a_failed_build_lists_every_error_but_ten_warnings(site, monkeypatch) -> None:
    """The error a late-night typo made stays on the screen, not scrolled away by warnings."""
    materials = "".join(f"  - {{topic: S{i}, materials: [{{label: Slides, file: s{i}.pdf}}]}}\n" for i in range(12))
    root = site({"courses/dl/schedule.yaml": "sessions:\n" + materials, "courses/ml/course.yaml": MINIMAL_COURSE,
                 "courses/ml/schedule.yaml": "sessions:\n  - {tpoic: Typo}\n"})
    monkeypatch.chdir(root)
    failed = build(root)
    assert failed.code == 1
    assert [line for line in failed.lines if ": error: " in line] == [
        "courses/ml/schedule.yaml:2:6: error: unknown field 'tpoic' in sessions[0] (did you mean 'topic'?)"]
    assert sum(": warning[" in line for line in failed.lines) == 10
    assert failed.lines[-2:] == ["... and 2 more warnings; 'coursesite check' lists them all.",
                                 "1 problem must be fixed; nothing was written."]
    (root / "courses/ml/schedule.yaml").write_text("sessions:\n  - {topic: Fixed}\n")
    strict = build(root, None, "--strict")  # the warnings are what fails it: every one is listed
    assert strict.code == 1 and sum(": warning[" in line for line in strict.lines) == 12
