"""The deliverables table is rendered once per course and shown on the schedule, the assignments
page and the syllabus (shared_parts.py): the same pages as when each page included it, and a
site's own table or target link that shows its page is still rendered for each page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jinja2 import meta

from conftest import REPO, build, generated_site, parse, tree
from coursesite.render import make_environment
from coursesite.shared_parts import DELIVERABLES, DELIVERABLES_PARTS

SHOWN_ON = ("schedule.html", "assignments.html", "syllabus.html")
CALL = "{{ deliverables_table() -}}\n"
INCLUDE = '{% include "partials/deliverables.html" %}\n'


def _included_per_page(site: Path) -> None:
    """The theme's pages as a site's own, including the table as they did before it was shared."""
    for name in SHOWN_ON:
        text = (REPO / "templates" / name).read_text(encoding="utf-8")
        assert text.count(CALL) == 1, name
        target = site / "templates" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace(CALL, INCLUDE), encoding="utf-8")




@pytest.mark.parametrize(("kind", "today"), [("reference", "2026-02-15"), ("reference", "2026-10-14"),
                                             ("generated", "2026-10-14")])
def test_the_shared_table_gives_the_pages_each_page_gave(tmp_path: Path, kind: str, today: str) -> None:
    site = tmp_path / "site"
    if kind == "reference":
        shutil.copytree(REPO / "courses", site / "courses")
        shutil.copy(REPO / "site.yaml", site / "site.yaml")
    else:
        generated_site(site, 2, seed=11)
    assert build(site, tmp_path / "shared", "--today", today).code == 0
    _included_per_page(site)
    assert build(site, tmp_path / "included", "--today", today).code == 0
    shared, included = tree(tmp_path / "shared"), tree(tmp_path / "included")
    assert shared.keys() == included.keys()
    assert [path for path in shared if shared[path] != included[path]] == []
    tables = [parse(tmp_path / "shared" / path).select("table.deliverables")
              for path in shared if path.rsplit("/", 1)[-1] in SHOWN_ON]
    assert sum(len(found) for found in tables) >= 6  # the comparison did compare tables


ASSIGNMENT = """\
sessions:
  - date: 2026-09-10
    topic: Intro
assignments:
  - id: hw1
    title: Homework 1
    url: https://example.edu/hw1
    due: 2026-09-20
"""


@pytest.mark.parametrize("override", [DELIVERABLES, "partials/target.html"])
def test_a_site_table_that_shows_its_page_is_rendered_for_each_page(site, override: str) -> None:
    theme = (REPO / "templates" / override).read_text(encoding="utf-8")
    own = theme.replace("{% macro target(files, item, label) -%}", "{% macro target(files, item, label) -%}[{{ page_path }}]")
    if override == DELIVERABLES:
        own = theme.replace('<table class="deliverables">', '<table class="deliverables" data-page="{{ page_path }}">')
    assert own != theme
    root = site({"courses/dl/schedule.yaml": ASSIGNMENT, f"templates/{override}": own})
    assert build(root).code == 0
    for name in SHOWN_ON:
        table = parse(root / "build/dl" / name).select_one("table.deliverables")
        assert table is not None
        shown = table["data-page"] if override == DELIVERABLES else table.select_one("tbody th").get_text()
        assert f"dl/{name}" in shown, name


def test_the_table_is_made_of_the_parts_listed_and_of_nothing_a_page_has_alone() -> None:
    """What DELIVERABLES_PARTS lists is what the theme's table includes or imports, and those read
    only what every page of a course has alike (the folder-dependent `link` aside)."""
    env = make_environment(REPO)
    assert env.loader is not None
    seen: list[str] = []
    queue = [DELIVERABLES]
    variables: set[str] = set()
    while queue:
        name = queue.pop()
        seen.append(name)
        ast = env.parse(env.loader.get_source(env, name)[0])
        variables |= meta.find_undeclared_variables(ast)
        queue.extend(ref for ref in meta.find_referenced_templates(ast) if ref not in seen)
    assert sorted(seen) == sorted(DELIVERABLES_PARTS)
    course_wide = {"_", "link", "isolate", "today", "course", "dated", "files", "pending", "assignments_by_id",
                   "schedule_path", "row_name"}
    set_in_a_loop = {"solutions"}  # meta.find_undeclared_variables counts it
    assert variables <= course_wide | set_in_a_loop


def test_the_table_is_rendered_once_per_folder_of_pages(tmp_path: Path) -> None:
    """Pages of one folder share the table; a page of another folder gets its own (its links
    are relative to it)."""
    from jinja2 import Environment, FileSystemLoader

    from coursesite import urls
    from coursesite.shared_parts import SharedParts

    theme = tmp_path / "theme"
    (theme / "partials").mkdir(parents=True)
    (theme / DELIVERABLES).write_text("{{ count() }}:{{ link('a/x.pdf') }}")
    (theme / "partials/target.html").write_text("")
    env = Environment(loader=FileSystemLoader(str(theme)), autoescape=True)
    renders: list[str] = []
    parts = SharedParts(str(theme))
    page = env.from_string("{{ deliverables_table() }}")

    def shown(path: str) -> str:
        return page.render(deliverables_table=parts.deliverables, page_path=path,
                           count=lambda: renders.append(path) or len(renders),
                           link=lambda target: urls.relative(path, target))

    assert [shown(path) for path in ("a/schedule.html", "a/syllabus.html", "b/index.html", "a/x.html")] == [
        "1:x.pdf", "1:x.pdf", "2:../a/x.pdf", "1:x.pdf"]
    assert renders == ["a/schedule.html", "b/index.html"]
