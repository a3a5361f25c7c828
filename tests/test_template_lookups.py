"""The theme's templates look things up in tables the renderer makes once per course (render.py),
where they used to filter whole lists for every row (issue 16: quadratic in a course's size), and
ask once per table for what every row shows alike (a column's label, a link), where they used to
ask on every row.

A site may override any template (theme.py), and one written against the old theme still works:
each test builds the same courses with the theme, and with the theme's templates rewritten back
to the general filter expressions as a site's own templates, and compares the trees byte for byte.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, TODAY, build, generated_site, tree
from coursesite.deliverables import Deadline
from coursesite.errors import Report
from coursesite.render import DeadlinesOfRows, assignments_by_id
from coursesite.schedule import assign_dates
from coursesite.site import load_course

# (the lookup the theme uses, the filter expression it gives the same as) in the theme's templates
LOOKUPS = [
    ('deadlines_of.due(row)', 'dated.deadlines | selectattr("row", "sameas", row)'),
    ('deadlines_of.released(row)', 'dated.deadlines | selectattr("release_row", "sameas", row)'),
    ('assignments_by_id.get(d.assignment_id)',
     '(assignments | selectattr("id", "equalto", d.assignment_id) | first)'),
]


# `{% set label_week = _("Week") %}`: a value asked once for a whole table
ASKED_ONCE = re.compile(r'\{% set (\w+) = ((?:_|link)\([^%]*\)) %\}')
# What each row asked for itself before, as it was written there, per template
ASKED_PER_ROW = {
    "schedule.html": {"label_week": "_('Week')", "label_date": "_('Date')", "label_topic": "_('Topic')",
                      "label_materials": "_('Materials')", "label_due": "_('Due')", "label_next": '_("Next")',
                      "reading_prefix": '_("Reading:")', "released_prefix": '_("Released:")',
                      "label_in_class": '_("in class")'},
    "partials/deliverables.html": {"label_deliverable": "_('Deliverable')", "label_released": "_('Released')",
                                   "label_due": "_('Due')", "label_submit": "_('Submit')",
                                   "label_points": "_('Points')", "label_weight": "_('Weight')",
                                   "label_sessions": "_('Sessions')", "label_past": '_("past")',
                                   "label_in_class": '_("in class")'},
    "partials/glance.html": {"schedule_link": "link(nav[1].path)", "due_word": '_("due")'},
}


def _general_templates(folder: Path) -> int:
    """The theme's templates with every lookup written back as its filter, and every value asked
    once asked again where it is shown; how many were rewritten."""
    rewritten = 0
    for source in (REPO / "templates").rglob("*.html"):
        text = source.read_text(encoding="utf-8")
        general = text
        for fast, slow in LOOKUPS:
            general = general.replace(fast, slow)
        before = ASKED_PER_ROW.get(source.relative_to(REPO / "templates").as_posix(), {})
        assert sorted(name for name, _ in ASKED_ONCE.findall(text)) == sorted(before), source
        for name, expression in before.items():
            assert f"{{{{ {name} }}}}" in general, name
            general = general.replace(f"{{{{ {name} }}}}", f"{{{{ {expression} }}}}")
        target = folder / source.relative_to(REPO / "templates")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(general, encoding="utf-8")
        rewritten += general != text
    return rewritten




@pytest.mark.parametrize("kind", ["reference", "generated"])
def test_lookups_give_the_pages_the_filters_gave(tmp_path: Path, kind: str) -> None:
    site = tmp_path / "site"
    if kind == "reference":
        shutil.copytree(REPO / "courses", site / "courses")
        shutil.copy(REPO / "site.yaml", site / "site.yaml")
    else:
        generated_site(site, 2, seed=7)
    assert build(site, tmp_path / "fast").code == 0
    assert _general_templates(site / "templates") == 4  # schedule, syllabus, the deliverables, at a glance
    assert build(site, tmp_path / "general").code == 0
    fast, general = tree(tmp_path / "fast"), tree(tmp_path / "general")
    assert fast.keys() == general.keys()
    assert [path for path in fast if fast[path] != general[path]] == []


def test_the_tables_hold_what_the_filters_select() -> None:
    for folder in sorted((REPO / "courses").iterdir()):
        course = load_course(folder, Report())
        assert course is not None
        dated = assign_dates(course.info, course.schedule)
        tables = DeadlinesOfRows(dated.deadlines)
        for row in dated.rows:
            assert tables.due(row) == [d for d in dated.deadlines if d.row is row]
            assert tables.released(row) == [d for d in dated.deadlines if d.release_row is row]
        by_id = assignments_by_id(course)
        for deadline in dated.deadlines:
            if deadline.assignment_id:
                first = next(a for a in course.schedule.assignments if a.id == deadline.assignment_id)
                assert by_id[deadline.assignment_id] is first


def test_a_row_without_deadlines_has_none() -> None:
    assert DeadlinesOfRows([Deadline("Essay", None, None)]).due(object()) == []  # type: ignore[arg-type]


def test_a_rows_name_is_made_once_and_follows_its_fields() -> None:
    """Row.name is kept on the row (the schedule asks for it in every column): it is what the row's
    fields make, and a row made from another with a new number gets its own."""
    import dataclasses

    from coursesite.default_names import SessionName

    folder = REPO / "courses" / "bu-cs111-sections"
    course = load_course(folder, Report())
    assert course is not None
    rows = [row for row in assign_dates(course.info, course.schedule).rows if row.session]
    for row in rows:
        assert row.name is row.name
        assert row.name == SessionName(label=row.session.label if row.session else None,
                                       topic=row.session.topic if row.session else None,
                                       has_meeting=row.meeting is not None,
                                       meeting=row.name.meeting, number=row.number, kind=row.kind)
    renumbered = dataclasses.replace(rows[0], number=99)
    assert renumbered.name.number == 99 and rows[0].name.number != 99


def test_a_course_file_is_found_as_the_file_system_says_each_time_it_is_asked(tmp_path: Path) -> None:
    """CourseFiles keeps what it found per name: the same answer as asking the file system."""
    from coursesite.render import CourseFiles

    folder = tmp_path / "course"
    shutil.copytree(REPO / "courses" / "columbia-deep-learning", folder)
    (folder / "slides").mkdir(exist_ok=True)
    (folder / "slides" / "here.pdf").write_bytes(b"%PDF")
    (tmp_path / "secret.txt").write_text("outside")
    (folder / "slides" / "link.txt").symlink_to(tmp_path / "secret.txt")
    course = load_course(folder, Report())
    assert course is not None
    files = CourseFiles(course)
    names = [name for _, _, name in course.file_references()] + [
        "slides/here.pdf", "slides/link.txt", "slides", "missing.pdf", "../secret.txt"]
    root = folder.resolve()
    for name in names + names:
        path = folder / name
        assert files.exists(name) == (path.is_file() and root in path.resolve().parents), name
    assert files.exists("slides/here.pdf") and not files.exists("slides/link.txt")


def test_a_course_is_asked_for_its_files_once_per_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its pages, its schedule.json and the list of files to copy share one CourseFiles: each file
    is looked up on disk once a build (a lookup resolves every folder on the way)."""
    import coursesite.render
    from coursesite.build import BuildOptions, build_site

    made: list[str] = []
    original = coursesite.render.CourseFiles.__init__

    def counted(self: coursesite.render.CourseFiles, course: object) -> None:
        made.append(course.slug)  # type: ignore[attr-defined]
        original(self, course)  # type: ignore[arg-type]

    monkeypatch.setattr(coursesite.render.CourseFiles, "__init__", counted)
    site = tmp_path / "site"
    shutil.copytree(REPO / "courses", site / "courses")
    build_site(BuildOptions(site, tmp_path / "out", today=TODAY, jobs=1, pdf=False))
    slugs = sorted(folder.name for folder in (REPO / "courses").iterdir())
    assert sorted(made) == slugs
