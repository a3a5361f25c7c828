"""The YAML loader tells a plain scalar's tag only as far as loading reads it (loading._Loader,
issue 16): every file loads to the same data, positions and errors as with the safe loader."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from coursesite import loading
from coursesite.errors import Report

DOCUMENTS = [
    "a: 1\nb: 1.5\nc: 0x1F\nd: 1_000\ne: .inf\nf: -.NaN\ng: 0o17\nh: 190:20:30\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: FALSE\ng: y\nh: n\n",
    "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: ''\ng: 'null'\nh: \"~\"\ni: nULL\nj: !!str null\nk: !!null ''\n",
    "a: 2026-10-14\nb: 2026-10-14 10:00\nc: 2026-10-14T10:00:00Z\nd: '2026-10-14'\n",
    "<<: {a: 1}\nb: =\nc: !!int 3\nd: !!binary aGk=\ne: !custom x\nf: ! plain\ng: !!python/name:os.system ''\n",
    "- [1, two, ~, {x: null}]\n- !!set {a, b}\n- !!omap [a: 1]\n- &x {k: v}\n- *x\n",
    "a: 1\na: 2\n? [complex]\n: key\n",
]


def _load(text: str, loader: type) -> tuple[object, dict, dict, list[str]]:
    report = Report()
    original = loading._Loader
    loading._Loader = loader  # type: ignore[misc]
    try:
        document = loading.parse_yaml(text, Path("course.yaml"), report)
    finally:
        loading._Loader = original  # type: ignore[misc]
    errors = [str(diagnostic) for diagnostic in report.diagnostics]
    if document is None:
        return None, {}, {}, errors
    return document.data, document.source.values, document.source.keys, errors


@pytest.mark.parametrize("text", DOCUMENTS)
def test_a_document_loads_as_with_the_safe_loader(text: str) -> None:
    assert _load(text, loading._Loader) == _load(text, loading._SafeLoader)


def test_the_reference_courses_load_as_with_the_safe_loader() -> None:
    files = sorted((REPO / "courses").rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _load(text, loading._Loader) == _load(text, loading._SafeLoader), path


SCALAR = st.text(alphabet="0123456789.-+:_eExXoObB~nNuUlLtTrRfFaAsSyY ", max_size=12)


@settings(max_examples=300)
@given(st.lists(SCALAR, min_size=1, max_size=6))
def test_any_plain_scalar_loads_as_with_the_safe_loader(values: list[str]) -> None:
    text = "".join(f"k{i}: {value}\n" for i, value in enumerate(values))
    assert _load(text, loading._Loader) == _load(text, loading._SafeLoader)
