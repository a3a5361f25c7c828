"""YAML nodes become plain data with every value's and key's position (loading._convert), taking
scalars in its loops rather than by a call each (issue 16): the same data, positions and errors
as the plain recursive walk it replaced, kept here as the judge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, generated_site
from coursesite import loading
from coursesite.errors import Report
from coursesite.loading import _STANDARD_TAGS, MAX_DEPTH, PathKey, SourceMap

_NULLS = {"", "~", "null", "Null", "NULL"}


def _walked(node: yaml.Node, path: PathKey, source: SourceMap, report: Report,
            counter: list[int], depth: int) -> Any:
    """The walk as it was: one call per node."""
    counter[0] += 1
    if counter[0] > loading.MAX_NODES:
        raise loading._Budget(f"YAML document has more than {loading.MAX_NODES:,} values (an alias bomb?); "
                              "course files are far smaller")
    if depth > loading.MAX_DEPTH:
        raise loading._Budget(f"YAML document is nested more than {loading.MAX_DEPTH} levels deep")
    line, col = node.start_mark.line + 1 + source.line_offset, node.start_mark.column + 1
    source.values[path] = (line, col)
    if node.tag not in _STANDARD_TAGS and not node.tag.startswith("tag:yaml.org,2002:"):
        report.error(source.path, line, col, f"YAML tag '{node.tag}' is not allowed; write a plain value")
        return None
    if node.tag.startswith("tag:yaml.org,2002:") and node.tag not in _STANDARD_TAGS:
        report.error(source.path, line, col,
                     f"YAML tag '!!{node.tag.removeprefix('tag:yaml.org,2002:')}' is not allowed; "
                     "write a plain value")
        return None
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.value in _NULLS and node.tag != "tag:yaml.org,2002:str":
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_walked(item, (*path, i), source, report, counter, depth + 1) for i, item in enumerate(node.value)]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        kline, kcol = key_node.start_mark.line + 1 + source.line_offset, key_node.start_mark.column + 1
        if not isinstance(key_node, yaml.ScalarNode):
            report.error(source.path, kline, kcol, "a mapping key must be a plain name")
            continue
        key = key_node.value
        if key == "<<":
            report.error(source.path, kline, kcol, "YAML merge keys ('<<') are not supported; write the fields out")
            continue
        if key in result:
            first = source.keys[(*path, key)]
            report.error(source.path, kline, kcol, f"duplicate key '{key}' (first defined at line {first[0]})")
            continue
        source.keys[(*path, key)] = (kline, kcol)
        result[key] = _walked(value_node, (*path, key), source, report, counter, depth + 1)
    return result


def _both(text: str, monkeypatch: pytest.MonkeyPatch, line_offset: int = 0) -> tuple[Any, Any]:
    """(what parse_yaml gives, what it gave with the old walk): data, positions in order, messages."""
    results = []
    for walk in (loading._convert, _walked):
        with monkeypatch.context() as patch:
            patch.setattr(loading, "_convert", walk)
            report = Report()
            document = loading.parse_yaml(text, Path("x.yaml"), report, line_offset)
        shown = None if document is None else (document.data, list(document.source.values.items()),
                                               list(document.source.keys.items()))
        results.append((shown, [(d.line, d.col, d.level, d.message) for d in report.diagnostics]))
    return results[0], results[1]




def test_the_course_files_give_what_the_old_walk_gave(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generated_site(tmp_path / "generated", 2, seed=5)
    files = sorted((REPO / "courses").rglob("*.yaml")) + sorted((tmp_path / "generated").rglob("*.yaml"))
    assert len(files) > 30
    for path in files:
        new, old = _both(path.read_text(encoding="utf-8"), monkeypatch, line_offset=3)
        assert new == old, path
        assert new[0] is not None


HOSTILE = [
    "a: !!python/object:os.system x\nb: [1, !!binary aGk=, !custom c]\n",
    "a: 1\na: 2\n<<: {b: 1}\n? [x]\n: 3\nc: {d: ~, e: '', f: null, g: !!str null, h: !!null x}\n",
    "base: &b {x: 1, y: [a, ~, 'null']}\nuse: *b\nlist: [*b, *b]\n",
    "- - - - deep\n  - ''\n- ~\n- !!str\n- \"\"\n- [NULL, Null, '~']\n",
    "a: " + "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1) + "\n",
    "a: " + "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n",
    "a: " + "[" * (MAX_DEPTH + 1) + "x" + "]" * (MAX_DEPTH + 1) + "\n",
    "a: " + "{b: " * MAX_DEPTH + "x" + "}" * MAX_DEPTH + "\n",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_refused_and_odd_yaml_gives_what_the_old_walk_gave(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    new, old = _both(text, monkeypatch)
    assert new == old


@pytest.mark.parametrize("text", ["a: 1\nb: [x, y, {c: z}]\nd: {e: f, g: [h, i]}\n", "a: [x, y]\nb: 1\nc: 2\n"])
@pytest.mark.parametrize("budget", range(1, 13))
def test_a_document_over_the_budget_stops_where_the_old_walk_stopped(text: str, budget: int,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MAX_NODES", budget)
    new, old = _both(text, monkeypatch)
    assert new == old
