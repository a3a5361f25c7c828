"""Markdown longer than a few lines is converted on one converting thread, kept for the process:
texts too deeply nested are the same as when a thread was started for each text, and a process
forked from one that converted (parallel.py's workers) converts on a thread of its own."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from coursesite import markup
from coursesite.markup import TooDeeplyNested, render_markdown


def nested(levels: int) -> str:
    return "**" * levels + "x" + "**" * levels


def too_deep_on_a_thread_of_its_own(text: str) -> bool:
    """Whether `text` is too deeply nested for the converter on a thread started for it alone."""
    converter, _ = markup._converter(False)
    failed: list[bool] = []

    def run() -> None:
        converter.reset()
        try:
            converter.convert(text)
            failed.append(False)
        except RecursionError:
            failed.append(True)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return failed[0]


def too_deep(text: str) -> bool:
    markup.forget_conversions()
    try:
        render_markdown(text)
    except TooDeeplyNested:
        return True
    return False


def test_the_same_texts_are_too_deeply_nested_as_on_a_thread_started_for_each() -> None:
    fits, fails = 800, 1_200
    assert not too_deep_on_a_thread_of_its_own(nested(fits)) and too_deep_on_a_thread_of_its_own(nested(fails))
    while fails - fits > 1:
        middle = (fits + fails) // 2
        if too_deep_on_a_thread_of_its_own(nested(middle)):
            fails = middle
        else:
            fits = middle
    assert not too_deep(nested(fits))
    assert too_deep(nested(fails))


def _convert_in_child(results: multiprocessing.Queue[str]) -> None:
    results.put(str(render_markdown("A *long* paragraph. " * 20 + "In the child.")))


def test_a_forked_process_converts_on_a_thread_of_its_own() -> None:
    markup.forget_conversions()
    assert "<em>long</em>" in str(render_markdown("A *long* paragraph. " * 20))  # the thread runs here
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[str] = context.Queue()
    child = context.Process(target=_convert_in_child, args=(results,))
    child.start()
    child.join(timeout=60)
    if child.is_alive():
        child.kill()
        pytest.fail("the forked process waited for a converting thread it does not have")
    assert "In the child." in results.get(timeout=5)
