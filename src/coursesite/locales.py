"""A course's language: a BCP 47 tag Babel (CLDR) knows, and the direction its script runs."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers

from coursesite.suggestions import closest

DEFAULT_LANGUAGE = "en"


def check_language(value: str) -> str:
    """`value` as a BCP 47 tag ('fr', 'pt-BR'); a ValueError with a did-you-mean otherwise."""
    tag = value.strip()
    try:
        locale = babel_locale(tag)
    except (ValueError, UnknownLocaleError):
        hint = closest(tag.replace("-", "_"), known_languages())
        suggestion = f"; did you mean '{hint.replace('_', '-')}'?" if hint else ""
        raise ValueError(f"'{tag[:40]}' is not a language Babel knows: write a BCP 47 tag such as "
                         f"en, fr, de, es, fa or pt-BR{suggestion}") from None
    return str(locale).replace("_", "-")  # its canonical form: 'fre' is 'fr', 'pt-br' is 'pt-BR'


@cache
def known_languages() -> frozenset[str]:
    return frozenset(locale_identifiers())


@cache
def babel_locale(tag: str) -> Locale:
    """Babel's locale for a BCP 47 tag ('pt-BR' -> pt_BR); raises for an unknown one."""
    if "_" in tag or not tag:
        raise ValueError(tag)
    return Locale.parse(tag, sep="-")


def text_direction(tag: str) -> str:
    """'rtl' for languages written right to left (Persian, Arabic, Hebrew...), else 'ltr'."""
    return babel_locale(tag).text_direction
