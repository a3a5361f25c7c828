"""The check's tree reading of raw HTML runs on Lexbor (selectolax): it reports what the check
reported when html5lib read the HTML, wherever html5lib reads as Chromium does
(tests/test_browser_tree_reading.py compares with Chromium itself)."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coursesite.sanitize import _report, _tree_reading, html_problems
from html_readings import PIECES, fragments, html5lib_reading, html5lib_reads_it_as_chromium


def differences(fragment: str) -> list[str]:
    """How the check's report of `fragment` differs when html5lib gives the tree reading."""
    found = []
    for prose in (False, True):
        lexbor = _report(_tree_reading(fragment), fragment, prose)
        html5lib = _report(html5lib_reading(fragment), fragment, prose)
        if lexbor != html5lib:
            found.append(f"{fragment!r} (prose={prose}): {[p.message for p in lexbor]} != "
                         f"{[p.message for p in html5lib]}")
    return found


def test_every_hostile_and_tricky_fragment_is_reported_as_with_html5lib() -> None:
    compared = [fragment for fragment in fragments() if html5lib_reads_it_as_chromium(fragment)]
    assert len(compared) > 300
    assert [difference for fragment in compared for difference in differences(fragment)] == []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_random_fragments_are_reported_as_with_html5lib(fragment: str) -> None:
    assume(html5lib_reads_it_as_chromium(fragment))
    assert differences(fragment) == []


def test_where_html5lib_reads_by_an_older_standard_the_check_reads_as_chromium() -> None:
    # An unclosed <select> no longer swallows what follows: its content is elements now.
    assert _tree_reading("<select>") == ([("select", [])], True)
    assert html5lib_reading("<select>") == ([("select", [])], False)
    assert ("img", [("onerror", "1")]) in _tree_reading("<select><img onerror=1></select>")[0]
    # </p> leaves SVG: the <style> after it is an HTML one, its text ends at </style>.
    fragment = '<svg></p><style><a id="</style><img src=1 onerror="x">">'
    assert _tree_reading(fragment) == ([("svg", []), ("p", []), ("style", []),
                                        ("img", [("src", "1"), ("onerror", "x")])], True)
    assert ("img", [("src", "1"), ("onerror", "x")]) not in html5lib_reading(fragment)[0]


def test_template_contents_are_read_where_the_template_stands() -> None:
    elements, ended = _tree_reading("<template><img onerror=1><template><b onclick=2></b></template>"
                                    "</template><i onclick=3></i>")
    assert elements == [("template", []), ("img", [("onerror", "1")]), ("template", []),
                        ("b", [("onclick", "2")]), ("i", [("onclick", "3")])]
    assert ended


def test_what_a_stray_body_lends_the_page_is_read() -> None:
    elements, _ = _tree_reading("<p>x</p><body onload=1><html lang=en>")
    assert ("body", [("onload", "1")]) in elements
    assert ("html", [("lang", "en")]) in elements


def test_the_first_of_duplicated_attributes_wins() -> None:
    assert _tree_reading("<p title=a TITLE=b>") == ([("p", [("title", "a")])], True)


def test_what_swallows_the_rest_of_the_page_does_not_end_cleanly() -> None:
    for fragment in ("<p title='x", "<!-- x", "<textarea>x", "<style>x", "<title>x", "<plaintext>x",
                     "<xmp>x", "<script>x", "<a href='x'"):
        assert not _tree_reading(fragment)[1], fragment
        assert "does not end cleanly" in html_problems(fragment)[-1].message


def test_nul_bytes_and_lone_surrogates_are_read_as_a_browser_reads_them() -> None:
    assert _tree_reading("<img src=\0x on\0error=1>")[0] == [("img", [("src", "\ufffdx"),
                                                                      ("on\ufffderror", "1")])]
    # A YAML escape can make a lone surrogate, which UTF-8 cannot hold: the browser gets U+FFFD.
    elements, ended = _tree_reading("<p title='\ud800'>x</p><img onerror=1>")
    assert elements == [("p", [("title", "\ufffd")]), ("img", [("onerror", "1")])]
    assert ended


def test_a_huge_fragment_is_read_to_its_end() -> None:
    fragment = "<p>" + "x <b>y</b> " * 300_000 + "</p><img src=x onerror=1>"
    elements, ended = _tree_reading(fragment)
    assert elements[-1] == ("img", [("src", "x"), ("onerror", "1")])
    assert len(elements) == 300_002
    assert ended
