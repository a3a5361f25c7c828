"""The templates' `_()` (template_text.py) says what Jinja's own new-style gettext says, in every
language, with and without variables, escaped or not, called again and again."""

from __future__ import annotations

import pytest
from jinja2 import Environment

from coursesite.formatting import formats_for
from coursesite.render import make_environment
from coursesite.template_text import template_gettext
from coursesite.translations import gettext, ngettext

TEMPLATE = """\
{{ _("Schedule") }}|{{ _("Schedule") }}|{{ gettext("Readings") }}|{{ _("100%% sure") }}|{{ _("a <b> & c") }}
{{ _("with %(names)s", names="<Ada> & Bob") }}|{{ _("%(points)s points", points=3) }}|{{ _("not yet posted") }}
{% trans %}Week{% endtrans %}|{% trans n=2 %}one item{% pluralize %}{{ n }} items{% endtrans %}
{% autoescape false %}{{ _("a <b> & c") }}|{{ _("with %(names)s", names="<Ada>") }}|{{ _("100%% sure") }}{% endautoescape %}
{% for n in [1, 2] %}{% set shown = n * 2 %}{{ _("Schedule") }} {{ _("%(points)s points", points=shown) }}|{% endfor %}
{% for n in [1] %}{% set t = 1 %}{% autoescape false %}{{ _("a <b> & c") }}{{ _("with %(names)s", names="<Ada>") }}{% endautoescape %}{% endfor %}
"""


def _jinja_own() -> Environment:
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def _ours() -> Environment:
    env = _jinja_own()
    quick = template_gettext(gettext)
    env.globals.update(gettext=quick, _=quick)
    return env


@pytest.mark.parametrize("language", ["en", "de", "fa", "pt-BR", "zh"])
def test_the_same_words_as_jinjas_gettext(language: str) -> None:
    jinja, ours = _jinja_own(), _ours()
    with formats_for(language):
        expected = jinja.from_string(TEMPLATE).render()
        assert ours.from_string(TEMPLATE).render() == expected
        assert ours.from_string(TEMPLATE).render() == expected  # from what it kept


def test_a_message_kept_in_one_language_is_not_shown_in_another() -> None:
    ours = _ours().from_string('{{ _("Schedule") }}')
    with formats_for("en"):
        english = ours.render()
    with formats_for("de"):
        german = ours.render()
    assert (english, german) == ("Schedule", "Zeitplan")


def test_the_theme_uses_it() -> None:
    from pathlib import Path

    env = make_environment(Path("/nonexistent"))
    assert env.globals["_"] is env.globals["gettext"]
    assert getattr(env.globals["_"], "__qualname__", "").startswith("template_gettext")
