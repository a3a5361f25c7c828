"""`coursesite new`: a commented course that shows every feature, checks clean under --strict,
builds into pages that show those features, and never overwrites anything."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from conftest import build, parse, run_cli, visible_text
from coursesite.errors import Report
from coursesite.loading import load_yaml
from coursesite.model import CourseInfo, LinksFile, PageMeta, ReadingsFile, ScheduleFile
from coursesite.scaffold import new_course

FILES = ["course.yaml", "links.yaml", "notebooks/01-perceptron.ipynb", "pages/policies.md",
         "readings.yaml", "schedule.yaml", "solutions/hw1.md"]
MODELS: dict[str, type[BaseModel]] = {"course.yaml": CourseInfo, "schedule.yaml": ScheduleFile,
                                      "readings.yaml": ReadingsFile, "links.yaml": LinksFile}


@pytest.fixture
def new_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder where a new user ran `coursesite new ml-101` (the day fixed by SOURCE_DATE_EPOCH)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 8, 20, tzinfo=dt.UTC).timestamp())))
    result = run_cli("new", "ml-101", "--title", 'Machine Learning: "Foundations"')
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out.splitlines() == [
        "Created courses/ml-101/ with " + ", ".join(FILES) + ".",
        "The comments in each file explain its fields. To see the site while you edit it:",
        "  coursesite serve --open"]
    return tmp_path


def test_new_course_checks_clean_under_strict(new_site: Path) -> None:
    result = run_cli("check", new_site, "--strict")
    assert (result.code, result.err) == (0, "")
    assert result.out == "Checked 1 course: no errors, 0 warnings.\n"


@pytest.mark.parametrize("month", range(1, 13))
def test_the_example_term_checks_clean_whatever_the_day(tmp_path: Path, month: int) -> None:
    for day in (1, 15, 28):
        today = dt.date(2027, month, day)
        site = tmp_path / today.isoformat()
        new_course(site, "dl", None, today)
        result = run_cli("check", site, "--strict")
        assert (result.code, result.err) == (0, ""), today


def test_new_course_builds_pages_that_show_every_feature(new_site: Path) -> None:
    assert build(new_site).code == 0
    out = new_site / "build/ml-101"
    overview = parse(out / "index.html")
    assert overview.select_one("h1").get_text(" ", strip=True) == 'ML 101 Machine Learning: "Foundations" (Theory and practice)'
    assert [dt_.get_text(strip=True) for dt_ in overview.select("dl.facts dt")][:2] == ["Lecture", "Section"]
    assert "Ada Lovelace" in visible_text(overview)
    assert "Homework" in visible_text(overview.select_one("#grading").parent)
    nav = [a.get_text(strip=True) for a in overview.select("nav.course-nav a")]
    assert nav == ["Overview", "Schedule", "Readings", "Links", "Assignments", "Policies"]

    rows = parse(out / "schedule.html").select("table.schedule tbody tr")
    kinds = [next(c for c in row["class"] if c.startswith("kind-")) for row in rows]
    assert {"kind-lecture", "kind-notebook", "kind-section", "kind-lab", "kind-exam", "kind-review",
            "kind-presentation", "kind-holiday"} <= set(kinds)
    notebook = rows[kinds.index("kind-notebook")]
    assert "attached" in notebook["class"]
    assert notebook.select_one("a")["href"] == "files/notebooks/01-perceptron.ipynb"
    assert (out / "files/notebooks/01-perceptron.ipynb").is_file()
    final = rows[len(kinds) - 1 - kinds[::-1].index("kind-exam")]
    assert [t["datetime"] for t in final.select("time")] == ["2026-12-14", "2026-12-18"]
    holidays = [visible_text(row) for row in rows if "kind-holiday" in row["class"]]
    assert holidays == ["4 · Sep 24–25 Tue Sep 22 Holiday: no class", "7 · Oct 13–15 Fri Oct 16 Exam week",
                        "8 · no classes Mon Oct 19 – Fri Oct 23 Fall break"]
    assert "Learning representations by back-propagating errors" in visible_text(parse(out / "readings.html"))
    assert "PyTorch" in visible_text(parse(out / "links.html"))
    assert "three late days" in visible_text(parse(out / "policies.html"))
    assert (out / "calendar.ics").read_bytes().count(b"BEGIN:VEVENT") > 20


def test_new_refuses_an_existing_folder_and_writes_nothing(new_site: Path) -> None:
    course = new_site / "courses/ml-101"
    (course / "course.yaml").write_text("title: Mine\nterm: {name: Fall 2026}\n")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in course.rglob("*") if p.is_file()}
    result = run_cli("new", "ml-101")
    assert result.code == 2
    assert result.err == ("coursesite: error: courses/ml-101 already exists; choose another SLUG, or move "
                          "that folder away first (nothing was written)\n")
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in course.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in (new_site / "courses").iterdir()) == ["ml-101"]


@pytest.mark.parametrize("slug", ["ML 101", "_dl", "dl/../x", ".hidden", "Deep"])
def test_new_refuses_a_slug_that_cannot_be_a_url(tmp_path: Path, slug: str) -> None:
    result = run_cli("new", slug, tmp_path)
    assert result.code == 2
    assert result.err == (f"coursesite: error: '{slug}' cannot be a course folder name: use lower-case letters, "
                          "digits, '.', '-' or '_', starting with a letter or digit (it becomes the course's URL)\n")
    assert list(tmp_path.iterdir()) == []


def test_new_creates_the_site_folder_and_says_how_to_serve_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("new", "cs229", "my site")
    assert result.code == 0
    assert (tmp_path / "my site/courses/cs229/course.yaml").is_file()
    assert result.out.splitlines()[-1] == "  coursesite serve 'my site' --open"
    assert "Cs229" in (tmp_path / "my site/courses/cs229/course.yaml").read_text()


# ---- the scaffold shows every field of the model, each explained by a comment ---------------


def _models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _all_fields(model: type[BaseModel], found: set[tuple[str, str]]) -> set[tuple[str, str]]:
    for name, info in model.model_fields.items():
        if (model.__name__, name) not in found:
            found.add((model.__name__, name))
            for nested in _models(info.annotation):
                _all_fields(nested, found)
    return found


def _model_at(model: type[BaseModel], path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model that holds the value at `path`; None inside free-form data (`extra`)."""
    for part in path:
        if isinstance(part, str):
            models = _models(model.model_fields[part].annotation)
            if not models:
                return None
            (model,) = models
    return model


def _scaffold(tmp_path: Path) -> Path:
    return new_course(tmp_path, "ml-101", None, dt.date(2026, 8, 20))


def test_the_scaffold_shows_every_field_of_the_model(tmp_path: Path) -> None:
    course = _scaffold(tmp_path)
    wanted: set[tuple[str, str]] = set()
    shown: set[tuple[str, str]] = set()
    for name, model in [*MODELS.items(), ("pages/policies.md", PageMeta)]:
        wanted |= _all_fields(model, set())
        text = (course / name).read_text()
        if name.endswith(".md"):
            shown |= {("PageMeta", key) for key in yaml.safe_load(text.split("---\n")[1])}
            continue
        document = load_yaml(course / name, Report())
        assert document is not None
        for path in document.source.keys:
            holder = _model_at(model, path[:-1])
            if holder is not None:
                shown.add((holder.__name__, str(path[-1])))
        # Alternatives shown commented out (`# photo: people/ada.jpg`) count for every model with that field.
        for key in re.findall(r"^\s*# ?([a-z_]+): \S", text, re.MULTILINE):
            shown |= {field for field in wanted if field[1] == key}
    retired = {("CourseInfo", "sections")}  # the old name of `about`: an error that says so
    assert sorted(wanted - shown - retired) == []


def test_every_field_of_the_scaffold_is_explained_where_it_first_appears(tmp_path: Path) -> None:
    course = _scaffold(tmp_path)
    unexplained = []
    for name in MODELS:
        lines = (course / name).read_text().splitlines()
        document = load_yaml(course / name, Report())
        assert document is not None
        first: dict[tuple[str | int, ...], int] = {}
        for path, (line, _) in sorted(document.source.keys.items(), key=lambda item: item[1]):
            first.setdefault(tuple("[]" if isinstance(p, int) else p for p in path), line)
        for path, line in first.items():
            if path[0] == "extra" and len(path) > 1:
                continue
            here, above = lines[line - 1], lines[line - 2] if line > 1 else ""
            if " #" not in here and not above.lstrip().startswith("#") and " #" not in above:
                unexplained.append(f"{name}:{line}: {'.'.join(map(str, path))}")
    assert "\n".join(unexplained) == ""
