"""Offerings of one course (offering_of) and `coursesite rollover`, on built pages and files."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

from conftest import REPO, build, parse, run_cli
from coursesite.scaffold import new_course

OLD, NEW, STABLE = "princeton-dl-theory", "princeton-dl-theory-2026", "princeton-dl-theory-current"


def test_an_archived_offering_says_so_and_lists_the_current_one(reference_build: Path) -> None:
    page = parse(reference_build / OLD / "index.html")
    banner = page.select_one(".archived-banner")
    assert banner is not None and "This is the Fall 2025 offering; the current one is" in banner.get_text()
    assert banner.a["href"] == f"../{NEW}/index.html"
    assert page.select_one(".glance") is None  # replaced by the banner
    assert parse(reference_build / OLD / "schedule.html").select_one(".archived-banner") is not None
    assert (reference_build / OLD / "calendar.ics").is_file()  # its feeds are kept
    current = parse(reference_build / NEW / "index.html")
    assert current.select_one(".archived-banner") is None and current.select_one(".glance") is not None
    assert [a.get_text() for a in current.select(".offerings a")] == ["Fall 2025"]


def test_the_catalog_shows_a_course_once_with_its_past_offerings(reference_build: Path) -> None:
    catalog = parse(reference_build / "index.html")
    links = [a["href"] for a in catalog.select(".course-list > li > a")]
    assert f"{NEW}/index.html" in links and f"{OLD}/index.html" not in links
    past = catalog.select_one(".past-offerings")
    assert past is not None and [a["href"] for a in past.select("a")] == [f"{OLD}/index.html"]


def test_the_stable_address_is_a_real_page_of_the_current_offering(reference_build: Path) -> None:
    page = parse(reference_build / STABLE / "index.html")
    assert page.select_one("meta[http-equiv]") is None  # not a redirect
    nav = [a["href"] for a in page.select(".course-nav a")]
    assert nav[:2] == [f"../{NEW}/index.html", f"../{NEW}/schedule.html"]
    for link in page.select("a[href], link[href], script[src]"):
        target = link.get("href") or link.get("src")
        if "://" not in target and not target.startswith(("#", "mailto:")):
            assert (reference_build / STABLE / target.split("#")[0]).exists(), target
    assert not (reference_build / STABLE / "pagefind").exists()  # searched through the offering's index


def test_the_current_offering_follows_the_build_day(site, tmp_path: Path) -> None:
    root = _two_offerings(site)
    build(root, tmp_path / "out", "--today", "2026-03-01")  # before the new one starts
    page = parse(tmp_path / "out" / "dl" / "index.html")
    assert "Fall 2025" in page.select_one(".lede").get_text()
    assert parse(tmp_path / "out" / "dl-2026" / "index.html").select_one(".archived-banner") is not None
    assert run_cli("build", root, "--out", tmp_path / "later", "--today", "2026-10-01").code == 0
    assert "Fall 2026" in parse(tmp_path / "later" / "dl" / "index.html").select_one(".lede").get_text()
    # With the build cache, the next day's build takes the other offering as current too.
    assert run_cli("build", root, "--out", tmp_path / "out", "--today", "2026-10-01").code == 0
    assert "Fall 2026" in parse(tmp_path / "out" / "dl" / "index.html").select_one(".lede").get_text()


def test_the_build_cache_renders_an_offering_again_when_a_sibling_changes(site, tmp_path: Path) -> None:
    root = _two_offerings(site)
    out = tmp_path / "out"
    assert run_cli("build", root, "--out", out, "--today", "2026-10-01").code == 0
    course = root / "courses" / "dl-2025" / "course.yaml"
    course.write_text(course.read_text().replace("Fall 2025", "Autumn 2025"))
    assert run_cli("build", root, "--out", out, "--today", "2026-10-01").code == 0
    assert [a.get_text() for a in parse(out / "dl-2026" / "index.html").select(".offerings a")] == ["Autumn 2025"]
    assert [a.get_text() for a in parse(out / "dl" / "index.html").select(".offerings a")] == ["Autumn 2025"]


def test_a_stable_address_that_is_a_course_folder_is_an_error(site) -> None:
    root = _two_offerings(site, stable="dl-2025")
    run = run_cli("check", root)
    assert run.code == 1 and re.search(r"courses/dl-2025/course.yaml:\d+:\d+: error: offering_of 'dl-2025'", run.err)
    schema = site({"courses/schema/course.yaml": "title: T\nterm: {name: Fall 2026}\n"})
    assert "course folder name 'schema' is a name the site itself uses" in run_cli("check", schema).err


def _two_offerings(site, stable: str = "dl"):  # type: ignore[no-untyped-def]
    course = "title: Deep Learning\noffering_of: {stable}\nterm: {{name: {name}, start: {start}, end: {end}}}\n"
    return site({"courses/dl-2025/course.yaml": course.format(stable=stable, name="Fall 2025", start="2025-09-02",
                                                               end="2025-12-15"),
                 "courses/dl-2026/course.yaml": course.format(stable=stable, name="Fall 2026", start="2026-09-01",
                                                               end="2026-12-15")}, minimal=False)


def test_rollover_of_the_commented_scaffold(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    old = new_course(tmp_path, "ml-2026", "Machine Learning", dt.date(2026, 8, 20))
    schedule = old / "schedule.yaml"
    schedule.write_text(schedule.read_text() + "  - {id: essay, title: Essay, due: 2026-10-29}   # kept comment\n")
    before = {name: (old / name).read_text() for name in ("course.yaml", "schedule.yaml")}
    run = run_cli("rollover", "ml-2026", "ml-2027", tmp_path, "--term", "Fall 2027", "--start", "2027-09-07")
    assert run.code == 0, run.err
    new = tmp_path / "courses" / "ml-2027"
    printed = run.out.splitlines()
    changed = {tuple(line.split(":")[:2]) for line in printed if ":" in line}
    for name in ("course.yaml", "schedule.yaml"):
        # Only printed lines changed: every other line, comments and quotes included, is as it was,
        # in the same order (the holidays and swaps left out are the only lines removed).
        after = (new / name).read_text().splitlines()
        matcher = difflib.SequenceMatcher(a=before[name].splitlines(), b=after, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op in ("replace", "insert"):
                for line in range(b1 + 1, b2 + 1):
                    assert (f"courses/ml-2027/{name}", str(line)) in changed, (name, after[line - 1])
            if op == "delete":
                assert re.search(r"holidays|swaps|date: ", "\n".join(before[name].splitlines()[a1:a2]))
    assert "# kept comment" in (new / "schedule.yaml").read_text()
    assert any(re.search(r": \w+ 2026 -> Fall 2027$", line) for line in printed)
    assert any("holidays:" in line and "left out" in line for line in printed)
    assert "offering_of: ml" in (old / "course.yaml").read_text()
    # The pinned midterm (the first dated session) lands on a lecture day (Tue/Thu) of the new term.
    moved = [m for line in printed if (m := re.search(r"schedule.yaml:\d+: [\d-]+ -> ([\d-]+)$", line))]
    assert dt.date.fromisoformat(moved[0][1]).weekday() in (1, 3)
    check = run_cli("check", tmp_path)
    assert check.code == 0, check.err
    for warning in [line for line in check.err.splitlines() if "ml-2027" in line]:
        assert tuple(warning.split(":")[:2]) in changed, warning
    built = tmp_path / "out"
    assert run_cli("build", tmp_path, "--out", built, "--today", "2027-09-20").code == 0
    assert parse(built / "ml-2026" / "index.html").select_one(".archived-banner") is not None
    assert [a.get_text() for a in parse(built / "ml-2027" / "index.html").select(".offerings a")][0] == "Fall 2026"


def test_rollover_usage_errors(tmp_path: Path) -> None:
    new_course(tmp_path, "ml", None, dt.date(2026, 8, 20))
    assert run_cli("rollover", "nope", "x", tmp_path, "--term", "T", "--start", "2027-01-01").code == 2
    assert run_cli("rollover", "ml", "ml", tmp_path, "--term", "T", "--start", "2027-01-01").code == 2
    assert run_cli("rollover", "ml", "x", tmp_path, "--term", "T", "--start", "tomorrow").code == 2
    assert (REPO / "courses" / NEW).is_dir()


def test_offering_of_is_found_wherever_the_key_is_written(site, tmp_path: Path) -> None:
    # Files that mention offering_of only in comments are not loaded before the build (speed):
    # the key itself, after such comments, in a flow mapping or indented, is still read.
    flow = ("# offering_of: not-this   # a comment\n  # offering_of: nor-this\n"
            "{title: \"C# Deep Learning\", offering_of: dl, term: {name: Fall 2025, start: 2025-09-02, "
            "end: 2025-12-15}}\n")
    indented = "title: Deep Learning\n# offering_of: x\nterm: {name: Fall 2026, start: 2026-09-01, end: 2026-12-15}\n" \
               "  \n\"offering_of\"   : dl\n"
    root = site({"courses/dl-2025/course.yaml": flow, "courses/dl-2026/course.yaml": indented}, minimal=False)
    assert run_cli("build", root, "--out", tmp_path / "out", "--today", "2026-10-01").code == 0
    assert "Fall 2026" in parse(tmp_path / "out" / "dl" / "index.html").select_one(".lede").get_text()
    assert [a.get_text() for a in parse(tmp_path / "out" / "dl-2026" / "index.html").select(".offerings a")] \
        == ["Fall 2025"]
