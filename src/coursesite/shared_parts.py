"""Parts that several pages of a course show alike, rendered once per course (issue 16).

The deliverables table is on the schedule, the assignments page and the syllabus: about a fifth
of a course's template time, three times over. Its HTML depends on the course and on the folder
of the page it is on (its links are relative), never on which page of that folder: the theme's
table is rendered for the first page of a folder and that HTML shown on the others.

A site's own table, or its own copy of a template the table imports, may show something of the
page it is on (its title, its path): then the table is rendered for each page, as
`{% include "partials/deliverables.html" %}` renders it, with the page's context (the variables
a page's block sets itself are not passed: use the context's, or include the partial).
"""

from __future__ import annotations

import os
import posixpath

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

DELIVERABLES = "partials/deliverables.html"
# The templates the theme's table is made of: itself and what it imports
# (tests/test_shared_parts.py checks this against the theme's sources).
DELIVERABLES_PARTS = (DELIVERABLES, "partials/target.html")


class SharedParts:
    """One course's shared parts, each rendered once per folder of its pages."""

    def __init__(self, theme_templates: str) -> None:
        self._theme = os.path.realpath(theme_templates) + os.sep
        self._made: dict[str, Markup] = {}  # the folder of the page -> the table's HTML
        self._theme_only: bool | None = None  # whether every part of the table is the theme's

    @pass_context
    def deliverables(self, context: Context) -> Markup:
        """The deliverables table as `{% include "partials/deliverables.html" %}` makes it on this page."""
        env = context.environment
        if self._theme_only is None:
            self._theme_only = all(self._is_theme(env, name) for name in DELIVERABLES_PARTS)
        if not self._theme_only:
            return _rendered(env, context)
        folder = posixpath.dirname(context["page_path"])
        made = self._made.get(folder)
        if made is None:
            made = self._made[folder] = _rendered(env, context)
        return made

    def _is_theme(self, env: Environment, name: str) -> bool:
        filename = env.get_template(name).filename
        return filename is not None and os.path.realpath(filename).startswith(self._theme)


def _rendered(env: Environment, context: Context) -> Markup:
    """The table rendered in `context`, as Jinja's include renders it."""
    template = env.get_template(DELIVERABLES)
    html = "".join(template.root_render_func(template.new_context(context.get_all(), shared=True)))
    return Markup(html)  # noqa: S704 - the template's output, escaped by its autoescaping
