"""Property: whatever YAML or Markdown an instructor writes, the loader, the checks and the renderer
report problems as diagnostics and never raise.

Examples are few and derandomized so CI stays fast and stable; to hunt for new failures run
`HYPOTHESIS_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_property.py` (random seeds).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from coursesite import model
from coursesite.build import load_and_check, render_site
from coursesite.errors import InputError, Report
from coursesite.loading import parse_yaml
from coursesite.markup import converted_html
from coursesite.sanitize import html_problems
from coursesite.site import load_page
from coursesite.validation import validate

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "0"))
SETTINGS = settings(max_examples=EXAMPLES or 100, deadline=None, derandomize=not EXAMPLES, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
WHOLE_COURSES = settings(SETTINGS, max_examples=EXAMPLES or 25)  # each writes and builds a course

# Values instructors write, right and wrong, that reach the odd corners of the model.
TRICKY = ["", " ", "~", "null", "NO", "yes", "0123", "3.10", "1e3", ".inf", "nan", "-0", "2026-02-30",
          "2026-09-08", "Tue 2026-09-08", "2026-09-08 (Wed)", "0001-01-01", "9999-12-31", "25:99", "3:45pm",
          "12:00am", "23:59", "Mon", "Thurs", "Fry", "America", "UTC", "America/New_York", "../x.pdf",
          "/etc/passwd", "slides/a.pdf", "a\x00b", "javascript:alert(1)", "java\tscript:x", "https://example.org",
          "mailto:a@b.c", "[x](y.md)", "[x](../../z)", "![i](data:x)", "{: onclick=alert(1) }", "<script>x</script>",
          "{{ 7*7 }}", "a" * 300, "\u202e", "\ufeff", "Ada Lovelace", "Lecture", "hw1"]
text = st.one_of(st.text(min_size=1, max_size=40), st.sampled_from(TRICKY))
scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(), text)
junk = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                    max_leaves=8)


def rarely(usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any], one_in: int = 25) -> st.SearchStrategy[Any]:
    """`usual`, and `odd` about once in `one_in` draws: most generated courses get past the
    schema, so the checks and the renderer see odd values too."""
    return st.integers(1, one_in).flatmap(lambda n: odd if n == 7 else usual)  # not 1: Hypothesis favours ends


dates = rarely(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)).map(str),
               st.one_of(st.dates(dt.date(1890, 1, 1), dt.date(2210, 12, 31)).map(str), st.sampled_from(TRICKY)))
times = rarely(st.times().map(lambda t: t.strftime("%H:%M")), st.sampled_from(TRICKY))


def value_for(annotation: Any) -> st.SearchStrategy[Any]:
    """Mostly values of the annotated type, rarely anything at all."""
    return _typed(annotation) if _is_model(annotation) else rarely(_typed(annotation), junk, 80)


def _typed(annotation: Any) -> st.SearchStrategy[Any]:
    special = {model.Date: dates, model.Time: times, model.Weekday: st.sampled_from(model.WEEKDAYS + ("Fry",)),
               model.DateTime: st.one_of(dates, st.tuples(dates, times).map(" ".join))}
    for known, strategy in special.items():
        if annotation == known:
            return strategy
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _typed(args[0])
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_typed(arg) for arg in args))
    if origin is list:
        return st.lists(value_for(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(text, scalar, max_size=2)
    if _is_model(annotation):
        fields = annotation.model_fields
        named = {"timezone": rarely(st.sampled_from(["UTC", "America/New_York", "Asia/Tehran"]), text, 10),
                 "email": rarely(st.emails(), text, 10)}
        strategies = {name: named[name] if name in named else value_for(f.annotation) for name, f in fields.items()}
        required = {name: strategies[name] for name, f in fields.items() if f.is_required()}
        optional = {name: strategies[name] for name, f in fields.items() if not f.is_required()}
        return st.fixed_dictionaries(required, optional=optional)
    return {type(None): st.none(), bool: st.booleans(), int: st.integers(-5, 10**6),
            float: st.floats(-1e9, 1e309)}.get(annotation, rarely(st.text(min_size=1, max_size=40),
                                                                  st.sampled_from(TRICKY), 10))


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _one_line(report: Report) -> None:
    for diagnostic in report.diagnostics:
        line = diagnostic.format()
        assert "\n" not in line and "\r" not in line
        assert diagnostic.line >= 1 and diagnostic.col >= 1


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_is_yaml_or_a_syntax_error(source: str) -> None:
    report = Report()
    document = parse_yaml(source, Path("x.yaml"), report)
    if document is not None:
        for model_class in (model.CourseInfo, model.ScheduleFile, model.ReadingsFile, model.LinksFile,
                            model.SiteConfig, model.PageMeta):
            validate(model_class, document, report, what="x.yaml")
    _one_line(report)


@SETTINGS
@given(junk)
def test_any_yaml_document_validates_or_is_reported(data: Any) -> None:
    source = yaml.safe_dump(data, allow_unicode=True)
    report = Report()
    document = parse_yaml(source, Path("x.yaml"), report)
    assert document is not None
    for model_class in (model.CourseInfo, model.ScheduleFile, model.ReadingsFile, model.LinksFile):
        validate(model_class, document, report, what="x.yaml")
    _one_line(report)


PAGE_TEXT = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(
    ["---\n", "title: T\n", "order: x\n", "- a\n", "\t", "<div>", "</div>", "<script>", "<img src=x onerror=y>",
     "[a](b.md)", "[a]: javascript:x\n", "<a href='java&#x09;script:x'>", "# Heading\n", "\r\n", "\n\n",
     "{: onclick=x }", "<!--", "<textarea>", "&#106;", "![i](../x.png)", "```\n", "<svg><set attributeName=href>"]),
    max_size=25).map("".join))


@SETTINGS
@given(PAGE_TEXT)
def test_any_markdown_page_loads_or_is_reported(body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.md"
        path.write_text(body, encoding="utf-8", errors="surrogatepass")
        report = Report()
        page = load_page(path, "page", report)
        if page is not None:
            html_problems(converted_html(page.body, allow_html=True))
        _one_line(report)


@WHOLE_COURSES
@given(course=value_for(model.CourseInfo), schedule=value_for(model.ScheduleFile),
       readings=value_for(model.ReadingsFile), links=value_for(model.LinksFile), page=PAGE_TEXT)
def test_any_course_builds_or_is_reported(course: Any, schedule: Any, readings: Any, links: Any,
                                          page: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        course_folder = root / "courses" / "dl"
        (course_folder / "pages").mkdir(parents=True)
        for name, data in (("course", course), ("schedule", schedule), ("readings", readings),
                           ("links", links)):
            (course_folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
        (course_folder / "pages" / "notes.md").write_text(page, errors="surrogatepass")
        try:
            site, schedules, report = load_and_check(root)
        except InputError as exc:
            _one_line(exc.report)
            return
        _one_line(report)
        _, files = render_site(site, schedules, today=dt.date(2026, 10, 14), base_url="https://example.org/")
        assert "index.html" in files
