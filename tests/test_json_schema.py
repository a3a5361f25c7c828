"""The course files' JSON Schemas, schedule.json, index.json and the overviews' JSON-LD, read by real parsers."""

from __future__ import annotations

import json
from pathlib import Path

import extruct
import jsonschema
import pytest
import yaml

from conftest import REPO, build, run_cli
from coursesite.json_schema import dumps, schemas

VALIDATOR = jsonschema.Draft202012Validator


class EditorLoader(yaml.SafeLoader):
    """YAML as yaml-language-server reads it (YAML 1.2): dates stay strings."""


EditorLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
PARTS = ("course", "schedule", "readings", "links")


def test_the_committed_schemas_are_the_generated_ones() -> None:
    committed = {p.name: p.read_text() for p in (REPO / "schema").glob("*.json")}
    assert committed == {name: dumps(schema) for name, schema in schemas().items()}, \
        "the model changed: run 'coursesite schema schema' and commit schema/"


def test_every_field_has_a_description_and_weekdays_are_an_enum() -> None:
    for name, schema in schemas().items():
        if name == "schedule-json.schema.json":  # the output format's schema, not a course file's
            continue
        for holder in [schema, *schema.get("$defs", {}).values()]:
            for field, prop in holder.get("properties", {}).items():
                assert prop.get("description"), (name, field)
    office_hour = schemas()["course.schema.json"]["$defs"]["OfficeHour"]["properties"]
    assert office_hour["day"]["anyOf"][0]["enum"][:7] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    kinds = schemas()["schedule.schema.json"]["$defs"]["Session"]["properties"]["kind"]["enum"]
    assert {"lecture", "exam", "lab"} <= set(kinds)
    assert schemas()["course.schema.json"]["$defs"]["Term"]["properties"]["start"]["anyOf"][0]["format"] == "date"


@pytest.mark.parametrize("path", sorted(p for part in PARTS for p in (REPO / "courses").glob(f"*/{part}.yaml")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_file_validates(path: Path) -> None:
    schema = schemas()[f"{path.stem}.schema.json"]
    VALIDATOR(schema, format_checker=VALIDATOR.FORMAT_CHECKER).validate(yaml.load(path.read_text(), Loader=EditorLoader))


INVALID = [  # (file, text): rejected by the schema and by check
    ("course", "title: T\nterm: {name: Fall 2026}\ntilte: typo\n"),
    ("course", "title: T\nterm: {name: Fall 2026, start: 2026-13-45}\n"),
    ("course", "title: T\nterm: {name: Fall 2026}\nmeetings: [{days: [Thrusday]}]\n"),
    ("schedule", "sessions: [{topic: A, kind: lectrue}]\n"),
    ("schedule", "sessions: [{tpoic: A}]\n"),
    ("readings", "groups: [{items: [{title: A}]}]\n"),
    ("schedule", "assignments: [{id: hw1, title: HW, solutions: {file: s.pdf, release: after-dew}}]\n"),
]


@pytest.mark.parametrize("release", ["after-due", "2026-10-01", "2026-10-01 09:00"])
def test_solutions_release_takes_after_due_or_a_moment(release: str) -> None:
    data = yaml.load(f"assignments: [{{id: hw1, title: HW, solutions: {{file: s.pdf, release: '{release}'}}}}]\n",
                     Loader=EditorLoader)
    schema = schemas()["schedule.schema.json"]
    VALIDATOR(schema, format_checker=VALIDATOR.FORMAT_CHECKER).validate(data)


@pytest.mark.parametrize(("part", "text"), INVALID)
def test_invalid_inputs_are_rejected_by_the_schema_and_by_check(site, part: str, text: str) -> None:
    schema = schemas()[f"{part}.schema.json"]
    data = yaml.load(text, Loader=EditorLoader)
    assert list(VALIDATOR(schema, format_checker=VALIDATOR.FORMAT_CHECKER).iter_errors(data))
    files = {f"courses/dl/{part}.yaml": text} if part != "course" else {"courses/dl/course.yaml": text}
    assert run_cli("check", site(files)).code == 1


def test_new_courses_point_editors_at_the_schemas(tmp_path: Path) -> None:
    assert run_cli("new", "ml", tmp_path).code == 0
    for part in PARTS:
        path = tmp_path / "courses" / "ml" / f"{part}.yaml"
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), first
        schema_file = (path.parent / first.split("$schema=")[1]).resolve()
        schema = json.loads(schema_file.read_text())
        VALIDATOR(schema, format_checker=VALIDATOR.FORMAT_CHECKER).validate(yaml.load(path.read_text(), Loader=EditorLoader))


def test_schema_command_and_published_copies(tmp_path: Path, reference_build: Path) -> None:
    assert run_cli("schema", tmp_path / "s").code == 0
    names = {p.name for p in (tmp_path / "s").glob("*.json")}
    assert {"course.schema.json", "schedule.schema.json", "readings.schema.json", "links.schema.json",
            "page.schema.json"} <= names
    assert {p.name for p in (reference_build / "schema").glob("*.json")} == names


def test_schedule_json_and_index_json(reference_build: Path) -> None:
    schema = schemas()["schedule-json.schema.json"]
    index = json.loads((reference_build / "index.json").read_text())
    assert index["version"] == 1
    for course in index["courses"]:
        data = json.loads((reference_build / course["schedule"]).read_text())
        VALIDATOR(schema, format_checker=VALIDATOR.FORMAT_CHECKER).validate(data)
    current = {c["slug"]: c["current"] for c in index["courses"]}
    assert current["princeton-dl-theory"] is False and current["princeton-dl-theory-2026"] is True
    bu = json.loads((reference_build / "bu-cs111-sections/schedule.json").read_text())
    assert bu["exams"] and any(s.get("sections") for s in bu["sessions"]) and bu["meetings"]


def test_json_ld_course_with_instance_and_exams(reference_build: Path) -> None:
    for overview in sorted(reference_build.glob("*/index.html")):
        data = extruct.extract(overview.read_text(), syntaxes=["json-ld"])["json-ld"]
        course = next(item for item in data if item["@type"] == "Course")
        assert course["name"] and course["description"], overview  # Google's required properties
        folder = REPO / "courses" / overview.parent.name
        institution = yaml.safe_load((folder / "course.yaml").read_text()).get("institution") \
            if folder.is_dir() else "Princeton University"  # the stable page shows Princeton's offering
        # provider, Google's third, when the course names its institution: never invented.
        assert course.get("provider", {}).get("name") == institution, overview
        (instance,) = course["hasCourseInstance"]
        assert instance["@type"] == "CourseInstance" and instance["name"]
    columbia = extruct.extract((reference_build / "columbia-deep-learning/index.html").read_text(),
                               syntaxes=["json-ld"])["json-ld"]
    instance = columbia[0]["hasCourseInstance"][0]
    assert instance["startDate"] and instance["instructor"][0]["@type"] == "Person"
    bu = extruct.extract((reference_build / "bu-cs111-sections/index.html").read_text(), syntaxes=["json-ld"])
    assert [e for e in bu["json-ld"] if e["@type"] == "Event"]


def test_a_script_end_tag_in_a_title_cannot_end_the_json_ld(site, tmp_path: Path) -> None:
    root = site({"courses/dl/course.yaml": "title: A </script><script>alert(1)</script>\nterm: {name: Fall 2026}\n"},
                minimal=False)
    assert build(root, tmp_path / "a").code == 0
    page = (tmp_path / "a" / "dl" / "index.html").read_text()
    data = extruct.extract(page, syntaxes=["json-ld"])["json-ld"]
    assert data[0]["name"] == "A </script><script>alert(1)</script>"
    assert build(root, tmp_path / "b", "--no-cache").code == 0
    for name in ("dl/index.html", "dl/schedule.json", "index.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
