"""Linked .html and .svg files: script, event handlers and javascript: links are found, wherever they
stand; clean exports (inline images, styles, Word's conditional comments) are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursesite.active_content import active_content


@pytest.mark.parametrize(("name", "content", "found"), [
    ("a.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', "a <script> element at line 1"),
    ("a.svg", '<svg>\n<svg:script href="x.js"/></svg>', "a <script> element at line 2"),
    ("a.svg", '<svg>\n\n<rect onmouseover="x()"/></svg>', "an event handler (onmouseover=) at line 3"),
    ("a.svg", '<svg><a xlink:href="java&#x09;script:x()"><text>t</text></a></svg>', "a javascript: link at line 1"),
    ("a.svg", '<svg><a><set attributeName="href" to="javascript:x()"/></a></svg>', "a javascript: link at line 1"),
    ("a.html", "<!doctype html><title>x</title><style>p{}</style>\n<SCRIPT SRC=x.js></SCRIPT>", "a <script> element at line 2"),
    ("a.HTM", '<body onload="x()">', "an event handler (onload=) at line 1"),
    ("a.xhtml", '<form action="JavaScript:x()"></form>', "a javascript: link at line 1"),
    ("a.html", "<![if !supportLists]>1.<![endif]><![foo[ x ]]>\n<img src=x onerror=y()>", "an event handler (onerror=) at line 2"),
])
def test_script_in_a_linked_file_is_found(tmp_path: Path, name: str, content: str, found: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert active_content(path) == found


@pytest.mark.parametrize(("name", "content"), [
    ("a.svg", '<svg xmlns="http://www.w3.org/2000/svg"><style>.a{fill:red}</style><rect class="a"/>'
              '<image href="data:image/png;base64,AAAA"/><a href="https://example.org"><text>t</text></a></svg>'),
    ("a.html", "<!doctype html><p>The word onion, online=1 and javascript: in text.</p><img src='data:image/png;base64,AA'>"),
    ("a.html", b"<p>Caf\xe9 <![if !vml]><img src=a.png><![endif]></p>"),
    ("a.pdf", "<script>x()</script>"),
])
def test_clean_files_and_other_kinds_pass(tmp_path: Path, name: str, content: str | bytes) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    assert active_content(path) is None
