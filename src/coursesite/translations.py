"""The interface's words in the course's language: gettext catalogs (.po) shipped in the package.

Catalogs are read with Babel's .po reader when first used, so a fresh clone, an editable install
and the wheel need no compile step. English is the source language: its messages are the msgids.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from coursesite.formatting import current_formats
from coursesite.locales import babel_locale

LOCALE_FOLDER = Path(__file__).parent / "locale"
DOMAIN = "coursesite"


def catalog_path(language: str) -> Path:
    return LOCALE_FOLDER / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def shipped_languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE_FOLDER.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


@cache
def _messages(language: str) -> dict[str, str | tuple[str, ...]]:
    """msgid -> translation for `language` ('pt-BR'), falling back to its base language ('pt')."""
    locale = babel_locale(language)
    for name in (str(locale), locale.language):
        path = catalog_path(name.replace("_", "-"))
        if not path.is_file():
            path = catalog_path(name)
        if path.is_file():
            return _read(path)
    return {}


def _read(path: Path) -> dict[str, str | tuple[str, ...]]:
    with path.open("rb") as file:
        catalog: Catalog = read_po(file)
    messages: dict[str, str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        if isinstance(message.string, tuple | list):
            if all(message.string):
                messages[key] = tuple(message.string)
        elif message.string:
            messages[key] = message.string
    return messages


def gettext(message: str) -> str:
    """`message` in the current course's language (formatting.formats_for), else as written."""
    language = current_formats().language
    if language == "en":
        return message
    found = _messages(language).get(message)
    return found if isinstance(found, str) else message


def ngettext(singular: str, plural: str, n: int) -> str:
    language = current_formats().language
    found = _messages(language).get(singular) if language != "en" else None
    if isinstance(found, tuple):
        index = int(babel_locale(language).plural_form(n))
        return found[min(index, len(found) - 1)]
    return singular if n == 1 else plural


_ = gettext
