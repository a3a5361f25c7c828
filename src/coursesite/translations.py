"""The interface's words in the course's language: gettext catalogs (.po) shipped in the package.

Catalogs are read with Babel's .po reader when first used, so a fresh clone, an editable install
and the wheel need no compile step. English is the source language: its messages are the msgids.
What a catalog holds is kept beside the package's compiled modules, as the theme's compiled
templates are (template_cache.py), under a digest of the .po file: reading it through Babel was
2% of a cold build of the reference courses (issue 16). As Python's own, nothing is kept under
`python -B` or PYTHONDONTWRITEBYTECODE, or where the folder cannot be written.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import TypeGuard

from coursesite.formatting import current_formats
from coursesite.locales import babel_locale

LOCALE_FOLDER = Path(__file__).parent / "locale"
DOMAIN = "coursesite"
KEPT_FOLDER = Path(__file__).parent / "__pycache__" / "locale"
KEPT_FORMAT = b"coursesite catalog 1"

Messages = dict[str, str | tuple[str, ...]]


def catalog_path(language: str) -> Path:
    return LOCALE_FOLDER / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def shipped_languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE_FOLDER.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


@cache
def _messages(language: str) -> Messages:
    """msgid -> translation for `language` ('pt-BR'), falling back to its base language ('pt')."""
    locale = babel_locale(language)
    for name in (str(locale), locale.language):
        path = catalog_path(name.replace("_", "-"))
        if not path.is_file():
            path = catalog_path(name)
        if path.is_file():
            return _read(path)
    return {}


def _read(path: Path) -> Messages:
    """The messages of the .po file at `path`: as kept (see the module's docstring), else read."""
    source = path.read_bytes()
    digest = hashlib.sha256(b"\0".join([KEPT_FORMAT, str(marshal.version).encode(), _reader(), source])).hexdigest()
    kept = KEPT_FOLDER / f"{path.parent.parent.name}.{digest[:32]}.marshal"
    with suppress(OSError, EOFError, ValueError, TypeError):  # none kept, or damaged: read again
        messages = marshal.loads(kept.read_bytes())  # noqa: S302 - the package's own folder, as its .pyc files
        if _well_formed(messages):
            return messages
    messages = _parse(source)
    if not sys.dont_write_bytecode:
        with suppress(OSError):  # a read-only install: read again next time
            KEPT_FOLDER.mkdir(parents=True, exist_ok=True)
            partial = kept.with_name(f"{kept.name}.{os.getpid()}")
            partial.write_bytes(marshal.dumps(messages))
            os.replace(partial, kept)  # whole or not at all, for a build running beside
    return messages


@cache
def _reader() -> bytes:
    """What reads a catalog: Babel's release and `_parse`'s code. Either changed, a kept reading is stale."""
    import babel  # imported already: the course's locale is Babel's

    code = _parse.__code__
    return f"{babel.__version__} {code.co_code.hex()} {code.co_names} {code.co_consts}".encode()


def _well_formed(messages: object) -> TypeGuard[Messages]:
    return isinstance(messages, dict) and all(
        isinstance(key, str) and (isinstance(value, str) or
                                  (isinstance(value, tuple) and all(isinstance(part, str) for part in value)))
        for key, value in messages.items())


def _parse(source: bytes) -> Messages:
    import io

    from babel.messages.pofile import read_po  # only when no reading is kept: its import is costly too

    catalog = read_po(io.BytesIO(source))
    messages: Messages = {}
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
