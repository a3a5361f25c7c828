"""The templates' `_()` and `gettext()`: Jinja's new-style gettext, a message without variables
made into markup once per language rather than on every call (a course's pages call it
hundreds of times: every column label of every schedule row)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from coursesite.formatting import current_formats


def template_gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    """What `Environment.install_gettext_callables(translate, ..., newstyle=True)` installs as
    `gettext`, with the result for a message without variables kept per language.

    Like Jinja's, the translation is a format string even without variables ('100%%' shows
    '100%'), and markup only where the template autoescapes. `translate` must depend on nothing
    but the message and the current language (formatting.formats_for).
    """
    made: dict[tuple[str, str], str] = {}

    # Given the evaluation context alone (whether the template autoescapes there), not the whole
    # context: Jinja would make a context for each call in a loop that sets a variable.
    @pass_eval_context
    def gettext(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
        if variables or not eval_ctx.autoescape:
            text = translate(message)
            return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704 - as Jinja does: our catalogs
        key = (current_formats().language, message)
        found = made.get(key)
        if found is None:
            found = made[key] = Markup(translate(message)) % variables  # noqa: S704 - as Jinja does
        return found

    return gettext
