"""The check's tree reading of raw HTML (Lexbor) builds the tree Chromium builds: the same elements,
attributes and template contents, in the same order, and the same end, for every hostile and tricky
fragment of the tests and for random ones; also where html5lib, the judge of
tests/test_tree_reading.py, reads by an older standard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from coursesite.sanitize import _report, _tree_reading
from html_readings import (
    CHROMIUM_READING,
    fragments,
    html5lib_reading,
    html5lib_reads_it_as_chromium,
    page,
    random_fragments,
    reading_of,
)

pytestmark = pytest.mark.browser


def test_the_check_reads_html_as_chromium_does(browser: Browser) -> None:
    texts = fragments() + random_fragments(3000, seed=16)
    tab = browser.new_page()
    chromium = [reading_of(elements) for elements in tab.evaluate(CHROMIUM_READING, [page(t) for t in texts])]
    tab.close()
    assert [text for text, reading in zip(texts, chromium, strict=True) if _tree_reading(text) != reading] == []
    # Where html5lib reads otherwise, Chromium's reading is the check's, and the report is what
    # Chromium's reading makes of it.
    older = [(text, reading) for text, reading in zip(texts, chromium, strict=True)
             if not html5lib_reads_it_as_chromium(text) and html5lib_reading(text) != reading]
    assert len(older) > 10
    for text, reading in older:
        assert _report(_tree_reading(text), text, False) == _report(reading, text, False)
