"""The checks' shortcuts (issue 16) find what the long way finds: the cost checks of Markdown
skip texts too short for any bound (markdown_cost.py), and a model's strings are listed without
recursion (markdown_links.strings_in)."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from coursesite.loading import PathKey
from coursesite.markdown_cost import MAX_NESTING, _problems, markdown_cost_problems
from coursesite.markdown_links import strings_in

# The characters every bound counts: container marks, indentation, brackets, emphasis, tags.
HOSTILE = st.text(alphabet=">-*+:1. \t\n[]()<>`_&|#^=a/", max_size=MAX_NESTING + 8)


@settings(max_examples=500)
@given(HOSTILE)
def test_a_short_text_has_the_problems_the_checks_find(text: str) -> None:
    assert markdown_cost_problems(text) == _problems(text)


def test_the_shortest_text_with_a_problem_is_checked() -> None:
    deep = ">" * (MAX_NESTING + 1)  # a quote in a quote ... one level too deep, a character a level
    assert _problems(deep) and markdown_cost_problems(deep) == _problems(deep)
    assert markdown_cost_problems("\t" * MAX_NESTING) == _problems("\t" * MAX_NESTING) == []


def _recursive(value: object, loc: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """What strings_in was: each string passed up through every level."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _recursive(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _recursive(item, (*loc, i))


DATA = st.recursive(st.none() | st.integers() | st.text(max_size=3),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=2), inner, max_size=4),
                    max_leaves=30)


@given(DATA)
def test_strings_are_listed_in_document_order(data: object) -> None:
    assert list(strings_in(data)) == list(_recursive(data))
    assert list(strings_in(data, ("schedule",))) == list(_recursive(data, ("schedule",)))
