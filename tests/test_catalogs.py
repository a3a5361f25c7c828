"""The interface's gettext catalogs (issue 17): every string the templates and Python mark for
translation is in the .pot and translated in every shipped .po; pages built in each shipped
language keep no English interface text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Doctype

from conftest import REPO, TODAY, run_cli
from coursesite.translations import LOCALE_FOLDER, catalog_path, shipped_languages

LANGUAGES = ["en", "fr", "de", "es", "fa"]


def marked_messages() -> set[str]:
    """What `pybabel extract -F babel.cfg` finds: the msgids the code and templates use."""
    method_map = [("src/coursesite/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                                     "lstrip_blocks": "True"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(REPO), method_map, options):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as file:
        return {m.id: m.string for m in read_po(file) if m.id and not m.fuzzy}


def test_the_shipped_languages_include_english_french_german_spanish_and_persian() -> None:
    assert set(LANGUAGES) <= set(shipped_languages())


def test_the_template_is_up_to_date_with_the_code() -> None:
    assert set(catalog(LOCALE_FOLDER / "coursesite.pot")) == marked_messages(), "run `make messages`"


@pytest.mark.parametrize("language", shipped_languages())
def test_every_marked_string_is_translated(language) -> None:
    messages = catalog(catalog_path(language))
    wanted = marked_messages()
    missing = sorted(m for m in wanted if not messages.get(m))
    assert not missing, f"{language} misses {missing}"
    for msgid, msgstr in messages.items():  # a placeholder lost in translation would raise
        assert re.findall(r"%\(\w+\)s", msgid) == re.findall(r"%\(\w+\)s", msgstr), (language, msgid)


@pytest.fixture(scope="module")
def built_in_each_language(tmp_path_factory) -> dict[str, Path]:
    """A reference course with deliverables, readings and grading, built in each language."""
    outs = {}
    for language in LANGUAGES[1:]:
        root = tmp_path_factory.mktemp(language)
        shutil.copytree(REPO / "courses" / "columbia-deep-learning", root / "courses" / "c")
        (root / "site.yaml").write_text(f"title: Courses\nlanguage: {language}\n", encoding="utf-8")
        result = run_cli("build", root, "--out", root / "build", "--today", TODAY.isoformat())
        assert result.code == 0, result.err
        outs[language] = root / "build"
    return outs


def interface_texts(page: Path) -> set[str]:
    """Every text node and labelling attribute of a page, stripped."""
    return interface_texts_of(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))


def interface_texts_of(soup: BeautifulSoup) -> set[str]:
    texts = {t.strip() for t in soup.find_all(string=True) if t.strip() and not isinstance(t, Doctype)}
    for tag in soup.find_all(True):
        for name in ("aria-label", "placeholder", "data-label", "title"):
            if tag.get(name):
                texts.add(tag[name].strip())
    return texts


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_pages_in_each_language_keep_no_english_interface_text(built_in_each_language, language) -> None:
    out = built_in_each_language[language]
    messages = catalog(catalog_path(language))
    english = {m.strip(" :.") for m, t in messages.items() if m != t and "%(" not in m and len(m.strip()) > 2}
    pages = sorted(out.glob("**/*.html"))
    assert len(pages) > 4
    written = "\n".join(p.read_text(encoding="utf-8") for p in (out.parent / "courses").rglob("*.*")
                        if p.suffix in (".yaml", ".md"))
    left = {(page.name, text) for page in pages for text in interface_texts(page)
            if text.strip(" :.") in english and text not in written}  # the author's words stay as written
    assert not left
    overview = BeautifulSoup((out / "c" / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = [a.get_text() for a in overview.select("nav.course-nav a")]
    assert nav[:2] == [messages["Overview"], messages["Schedule"]]


@pytest.mark.parametrize(("english", "translated", "language"),
                         [("princeton-dl-theory", "princeton-dl-theory-fr", "fr"),
                          ("sharif-deep-learning", "sharif-deep-learning-fa", "fa")])
@pytest.mark.parametrize("name", ["week.html", "syllabus.html", "index.html"])
def test_the_translated_examples_week_and_syllabus_keep_no_english(reference_build, english, translated, language,
                                                                   name) -> None:
    """Every interface text of the English course's page must be gone from the translated course's
    page (the French and Persian examples), unless the author wrote it or the language says it so
    too ('Date' in French)."""
    def texts(page: Path) -> set[str]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for code in soup.select("script, style"):
            code.decompose()
        return {text.strip(" ().,:") for text in interface_texts_of(soup)}

    written = "\n".join(p.read_text(encoding="utf-8") for p in [REPO / "site.yaml", *(
        p for folder in (english, translated) for p in (REPO / "courses" / folder).rglob("*.*")
        if p.suffix in (".yaml", ".md"))])
    same_word = set(catalog(catalog_path(language)).values()) | {"PDF"}
    common = texts(reference_build / english / name) & texts(reference_build / translated / name)
    left = sorted(text for text in common if re.search("[A-Za-z]{3}", text) and text not in written
                  and text not in same_word)
    assert left == []
