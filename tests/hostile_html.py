"""Raw HTML that would run script in a browser, each setting a DOM mark if it ran.

Used by test_sanitize.py (the check reports each one; the published HTML has no script) and by
test_browser_sanitize.py (Chromium loads each published page and no mark is set).
"""

from __future__ import annotations

# The mark: an attribute on the page's <body>; `parent` is the page itself, or the page around
# a same-origin frame.
JS = "parent.document.body.dataset.pwned=1"
Q = f'"{JS}"'  # quoted, as Python-Markdown reads raw HTML only with well-formed attributes

HOSTILE_PAGES = [
    # The examples: html5lib drops tags inside <select>, current Chromium keeps them;
    # the browser and html5lib disagree on foreign content.
    f"<select><img src=x onerror={Q}></select>",
    f'<svg></p><style><a id="</style><img src=1 onerror={Q}>">',
    f"<select><details open ontoggle={Q}>x</details></select>",
    f'<select><a href="javascript:{JS}">click</a></select>',
    # Parsing differences: foreign content, raw-text and escapable raw-text elements, templates.
    f'<math><mtext><table><mglyph><style><img src=x onerror={Q}>',
    f"<svg><style><img src=x onerror={Q}></style></svg>",
    f'<svg><foreignObject><img src=x onerror={Q}></foreignObject></svg>',
    f'<math><mi><a href="javascript:{JS}">click</a></mi></math>',
    f'<noscript><p title="</noscript><img src=x onerror={Q}>"></noscript>',
    f'<textarea><p title="</textarea><img src=x onerror={Q}>"></textarea>',
    f'<title><p title="</title><img src=x onerror={Q}>"></title>',
    f'<xmp><p title="</xmp><img src=x onerror={Q}>"></xmp>',
    f'<noembed><p title="</noembed><img src=x onerror={Q}>"></noembed>',
    f'<style><p title="</style><img src=x onerror={Q}>"></style>',
    f"<template><img src=x onerror={Q}></template><select><template><img src=x onerror={Q}></template></select>",
    f'<table><caption><svg><desc><select><img src=x onerror={Q}></select></desc></svg></caption></table>',
    f"<image src=x onerror={Q}>",
    # Event handlers that fire without a click, or on focus and toggle.
    f"<img src=x onerror={Q}>",
    f"<img src=x OnErRoR={Q}>",
    f"<svg onload={Q}></svg>",
    f"<body onload={Q}>",
    f"<details open ontoggle={Q}>x</details>",
    f"<input autofocus onfocus={Q}>",
    f'<div tabindex="0" id="focus-me" onfocus={Q}>x</div>',
    f"<video><source onerror={Q}></video>",
    f"<audio src=x onerror={Q}></audio>",
    f"<script>{JS}</script>",
    f'<iframe srcdoc="<script>{JS}</script>"></iframe>',
    f'<iframe src="javascript:{JS}"></iframe>',
    f'<object data="javascript:{JS}"></object>',
    f'<embed src="javascript:{JS}">',
    # Every spelling of a javascript: link (the test clicks every link).
    f'<a href="javascript:{JS}">click</a>',
    f'<a href="JaVaScRiPt:{JS}">click</a>',
    f'<a href=" java&#x09;script:{JS}">click</a>',
    f'<a href="jav&#x0A;ascript:{JS}">click</a>',
    f'<a href="&#106;avascript&colon;{JS}">click</a>',
    f'<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;{JS}">click</a>',
    f"<a href='\x01javascript:{JS}'>click</a>",
    f'<form action="javascript:{JS}"><button>click</button></form>',
    f'<button formaction="javascript:{JS}">click</button>',
    f'<svg><a xlink:href="javascript:{JS}"><text x="10" y="20">click</text></a></svg>',
    f'<svg><a><animate attributeName="href" values="javascript:{JS}"/><text x="10" y="20">click</text></a></svg>',
    f"[click](javascript:{JS})",
    f"[click][r]\n\n[r]: <javascript:{JS}>",
    f"[click](https://example.org){{: onclick={Q} }}",
    f"A paragraph.\n{{: onmouseover={Q} }}",
]
