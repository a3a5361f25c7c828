"""The script check on rendered Markdown: every spelling of a script-running construct is found,
and the HTML instructors use (videos, tables, details) passes."""

from __future__ import annotations

import pytest

from coursesite.markup import converted_html, render_markdown
from coursesite.sanitize import html_problems, unsafe_url

UNSAFE_PAGES = [
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java&#10;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    "<a href='\x01javascript:alert(1)'>x</a>",
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<img srcset="ok.png 1x, javascript:alert(1) 2x">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<video poster="javascript:alert(1)"></video>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
    '<math href="javascript:alert(1)">x</math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<img src=x onerror=alert(1)>',
    '<img src=x OnErRoR=alert(1)>',
    '<svg/onload=alert(1)>',
    '<body onload=alert(1)>',
    'Text <html onmouseover=alert(1)>',
    '<details open ontoggle=alert(1)>',
    '<script>alert(1)</script>',
    '<SCRIPT SRC=https://example.org/x.js></SCRIPT>',
    '<svg><script>alert(1)</script></svg>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<object data="https://example.org/x.swf"></object>',
    '<embed src="https://example.org/x.swf">',
    '<div>\n<img src="x.png" alt="never closed\n</div>',
    '<textarea>',
    "[x](javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](JAVASCRIPT:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![x](data:image/png;base64,AAAA)",
    "[x](https://example.org){: onclick=alert(1) }",
    "A paragraph.\n{: onmouseover=alert(1) }",
    "# Title {: onclick=alert(1) }",
]


def errors(source: str) -> list[str]:
    """The check's errors for a page's Markdown source."""
    return [p.message for p in html_problems(converted_html(source, allow_html=True)) if not p.code]


@pytest.mark.parametrize("source", UNSAFE_PAGES)
def test_every_spelling_of_script_in_a_page_is_found(source: str) -> None:
    assert errors(source) != []


UNSAFE_PROSE = [
    "[x](javascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x][r]\n\n[r]: <javascript:alert(1)>",
    "[x](https://example.org){: onclick=alert(1) }",
    "![x](https://example.org/a.png){: onerror=alert(1) }",
    "![x](vbscript:msgbox(1))",
]


@pytest.mark.parametrize("source", UNSAFE_PROSE)
def test_every_spelling_of_script_in_yaml_prose_is_found(source: str) -> None:
    assert html_problems(converted_html(source, allow_html=False), prose=True) != []


@pytest.mark.parametrize("source", [
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<script>alert(1)</script>",
    '<img src=x onerror=alert(1)>',
])
def test_raw_html_in_yaml_prose_is_text(source: str) -> None:
    html = str(render_markdown(source))
    assert "<script" not in html and "<a " not in html and "<img" not in html
    assert html_problems(html) == []


SAFE_PAGES = [
    '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Lecture 1" allowfullscreen></iframe>',
    '<video controls src="lecture1.mp4" poster="poster.jpg"><track kind="captions" src="l1.vtt"></video>',
    '<table style="width: 100%"><tr><td class="x">1</td></tr></table>',
    "<details><summary>Hints</summary>\n\nTry **harder**.\n\n</details>",
    '<a href="#grading">Grading</a> <a href="mailto:ta@example.edu">mail</a> <a href="../slides/1.pdf">1</a>',
    '<img src="https://example.org/a.png" alt="" srcset="a.png 1x, https://example.org/b.png 2x">',
    "Text with an ampersand & a < sign, a [link](https://example.org/?a=1&b=2 \"title\").",
    "The word onion, online= and an <abbr title='on'>on</abbr> element.",
    "```html\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
]


@pytest.mark.parametrize("source", SAFE_PAGES)
def test_html_instructors_use_passes(source: str) -> None:
    assert html_problems(converted_html(source, allow_html=True)) == []


@pytest.mark.parametrize(("url", "scheme"), [
    ("https://example.org", None), ("mailto:a@b.c", None), ("#x", None), ("slides/1.pdf", None),
    ("./a:b", None), ("javascript:x", "javascript"), (" \tjava\nscript:x", "javascript"),
    ("DATA:text/html,x", "data"), ("file:///etc/passwd", "file"), ("ftp://example.org", "ftp"),
])
def test_unsafe_url(url: str, scheme: str | None) -> None:
    assert unsafe_url(url) == scheme
