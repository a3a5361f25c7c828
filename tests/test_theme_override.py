"""A site folder's templates/ and static/ override the default theme file by file."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import REPO, build, parse


def test_a_site_template_replaces_only_that_template(site) -> None:
    root = site({"templates/links.html": "unused", "templates/readings.html": "unused",
                 "templates/page.html": "unused",
                 "templates/overview.html": '{% extends "course_base.html" %}{% block main %}'
                                            '<h1 class="custom">{{ info.title }} (our theme)</h1>{% endblock %}'})
    assert build(root).code == 0
    overview = parse(root / "build/dl/index.html")
    assert overview.select_one("h1.custom").get_text() == "Deep Learning (our theme)"
    assert [a.get_text() for a in overview.select("nav.course-nav a")] == ["Overview", "Schedule"]
    schedule = parse(root / "build/dl/schedule.html")
    assert schedule.select_one("h1").get_text() == "Schedule"  # still the default theme's


def test_a_base_template_written_for_per_course_search_still_builds(site) -> None:
    """0.1's base.html asked for each course's own index script; the index is one per site now."""
    base = (REPO / "templates/base.html").read_text()
    old_style = base.replace("search_script()", "search_script(search_course)")
    assert old_style != base
    root = site({"templates/base.html": old_style})
    assert build(root).code == 0
    form = parse(root / "build/dl/index.html").select_one("form.search")
    assert form["data-pagefind"].endswith("/parts.json") and form["data-course"] == "dl"


def test_a_site_static_file_replaces_the_default_and_others_remain(site) -> None:
    root = site({"static/style.css": "body { color: rebeccapurple; }\n", "static/logo.svg": "<svg/>"})
    assert build(root).code == 0
    assert (root / "build/static/style.css").read_text() == "body { color: rebeccapurple; }\n"
    assert (root / "build/static/logo.svg").exists()
    assert (root / "build/static/site.js").read_bytes() == (REPO / "static/site.js").read_bytes()


def test_an_undefined_template_variable_fails_the_build_and_keeps_the_old_site(site, monkeypatch) -> None:
    root = site()
    assert build(root).code == 0
    before = (root / "build/dl/index.html").read_bytes()
    (root / "templates").mkdir()
    (root / "templates/overview.html").write_text("{{ info.no_such_field }}")
    monkeypatch.chdir(root)
    result = build(root)
    assert result.code == 1
    assert result.lines[0] == ("templates/overview.html:1:1: error: template error: 'coursesite.model.CourseInfo "
                               "object' has no attribute 'no_such_field'")
    assert (root / "build/dl/index.html").read_bytes() == before


def test_the_wheel_ships_the_default_theme(tmp_path: Path) -> None:
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(REPO)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("coursesite-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = {f"coursesite/theme/{p.relative_to(REPO).as_posix()}"
             for folder in ("templates", "static") for p in (REPO / folder).rglob("*") if p.is_file()}
    assert theme <= names
    assert "coursesite/cli.py" in names
