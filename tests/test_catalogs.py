"""The interface's gettext catalogs (issue 17): every string the templates and Python mark for
translation is in the .pot and translated in every shipped .po; pages built in each shipped
language keep no English interface text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment, Doctype

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
    for msgid, msgstr in messages.items():  # a placeholder lost in translation would raise; named, they may move
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(re.findall(r"%\(\w+\)s", msgstr)), (language, msgid)


@pytest.fixture(scope="module")
def built_in_each_language(tmp_path_factory) -> dict[str, Path]:
    """A reference course with deliverables, readings and grading, built in each language."""
    outs = {}
    for language in LANGUAGES:
        root = tmp_path_factory.mktemp(language)
        shutil.copytree(REPO / "courses" / "columbia-deep-learning", root / "courses" / "c")
        (root / "site.yaml").write_text(f"title: Courses\nlanguage: {language}\n", encoding="utf-8")
        result = run_cli("build", root, "--out", root / "build", "--today", TODAY.isoformat(), "--no-pdf")
        assert result.code == 0, result.err
        outs[language] = root / "build"
    return outs


def interface_texts(page: Path) -> set[str]:
    """Every text node and labelling attribute of a page, stripped."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for data in soup.select("script, style"):  # JSON-LD and the theme script are not text
        data.decompose()
    texts = {t.strip() for t in soup.find_all(string=True) if t.strip() and not isinstance(t, Doctype | Comment)}
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
    written = written_by_authors(out.parent)
    left = {(page.name, text) for page in pages for text in interface_texts(page)
            if text.strip(" :.") in english and text not in written}  # the author's words stay as written
    assert not left
    # Nor a word the English build adds: strings that never went through the catalogs.
    assert sorted(english_left(out, built_in_each_language["en"], language, written)) == []
    overview = BeautifulSoup((out / "c" / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = [a.get_text() for a in overview.select("nav.course-nav a")]
    assert nav[:2] == [messages["Overview"], messages["Schedule"]]


# ---- the words that come with news, offerings and the change log ----------------------------

OFFERING = """\
code: DL 101
title: Deep Learning
offering_of: dl
term: {name: %(term)s, start: %(start)s, end: %(end)s, timezone: Europe/Paris}
people:
  - {name: Ada Lovelace, role: Instructor}
meetings:
  - {name: Lecture, days: [Tue, Thu], start: "10:00", end: "11:15", location: Room 101}
  - name: Lab
    days: [Fri]
    sections: [{name: A1, start: "14:00", end: "15:00", location: Lab 1}]
"""
SESSIONS = """\
sessions:
  - {id: intro, topic: Introduction}
  - {topic: Backpropagation}
  - {topic: Convolutions}
  - {topic: Transformers}
  - {topic: Diffusion}
  - {meeting: Lab, topic: PyTorch, date: 2026-10-23}
  - {topic: Project talks, date: 2026-12-03}
assignments:
  - {id: hw1, title: Homework 1, due: "2026-10-20 23:59", points: 10}
"""
# The second commit moves a session's day, another's time and room, a section's time and a
# deadline; it cancels one session and adds another: every kind of change-log entry.
EDITS = [("{topic: Transformers}", "{topic: Transformers, date: 2026-10-22}"),
         ("{topic: Diffusion}", '{topic: Diffusion, time: "14:00-15:15", location: Hall B}'),
         ("  - {topic: Project talks, date: 2026-12-03}\n", "  - {topic: Guest lecture, date: 2026-12-01}\n"),
         ('"2026-10-20 23:59"', '"2026-10-22 23:59"')]


def committed_site(root: Path, files: dict[str, str]) -> None:
    """Write `files` under `root` as the first commit of a new git repository."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "First schedule")


def git(root: Path, *args: str, date: str = "2026-09-01T12:00:00+00:00") -> None:
    environment = {**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date,
                   "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=Ada", "-c", "user.email=ada@example.edu", "-c", "init.defaultBranch=main",
                    "-c", "commit.gpgsign=false", *args], cwd=root, env=environment, check=True, capture_output=True)


@pytest.fixture(scope="module")
def news_builds(tmp_path_factory) -> dict[str, Path]:
    """One site in git, built in English, French and Persian: two offerings of a course (one
    archived), announcements, and a change log from a commit that moves sessions."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root = tmp_path_factory.mktemp("news")
    files = {"courses/dl-2025/course.yaml": OFFERING % {"term": "Fall 2025", "start": "2025-09-02", "end": "2025-12-12"},
             "courses/dl-2025/schedule.yaml": "sessions:\n  - {topic: Introduction}\n",
             "courses/dl-2026/course.yaml": OFFERING % {"term": "Fall 2026", "start": "2026-09-08", "end": "2026-12-18"},
             "courses/dl-2026/schedule.yaml": SESSIONS,
             "courses/dl-2026/announcements.yaml": "- date: 2026-10-12 09:00\n  title: Welcome to the lab\n"
                                                   "  body: Bring a laptop.\n"}
    committed_site(root, files)
    schedule, course = root / "courses/dl-2026/schedule.yaml", root / "courses/dl-2026/course.yaml"
    text = schedule.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text
        text = text.replace(old, new)
    schedule.write_text(text, encoding="utf-8")
    course.write_text(course.read_text(encoding="utf-8").replace('start: "14:00", end: "15:00"',
                                                                 'start: "15:00", end: "16:00"'), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Move things", date="2026-10-02T14:30:00+00:00")
    outs = {}
    for language in ("en", "fr", "fa"):  # one site, one cache: cached changes are worded again
        (root / "site.yaml").write_text(f"title: Courses\nlanguage: {language}\n", encoding="utf-8")
        result = run_cli("build", root, "--out", root.parent / f"{root.name}-{language}", "--today", TODAY.isoformat(),
                         "--no-pdf")
        assert result.code == 0, result.err
        outs[language] = root.parent / f"{root.name}-{language}"
    return outs


WORD = re.compile(r"[^\W\d_]{3,}")
FILE_NAME = re.compile(r"[\w.-]+\.(?:ics|xml|pdf)")  # a feed or file named by its file name
PRODUCT_NAMES = {"Google", "Apple", "Calendar", "Outlook"}  # the schedule's subscribe help names them


def human_texts(out: Path) -> set[tuple[str, str]]:
    """(file, text) for what a reader sees: the pages' text and labels, and the Atom feeds'
    titles, authors and entry contents as an independent parser (feedparser) reads them."""
    found = {(page.relative_to(out).as_posix(), text) for page in sorted(out.rglob("*.html"))
             for text in interface_texts(page)}
    for path in sorted(out.rglob("*.xml")):
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, path
        texts = [feed.feed.get("title", ""), feed.feed.get("author", "")]
        for entry in feed.entries:
            texts += [entry.title, BeautifulSoup(entry.get("summary", ""), "html.parser").get_text()]
        found |= {(path.relative_to(out).as_posix(), text.strip()) for text in texts if text.strip()}
    return found


def english_left(out: Path, english: Path, language: str, written: str,
                 texts: Callable[[Path], set[tuple[str, str]]] = human_texts) -> set[tuple[str, str]]:
    """The texts of a build in `language` that hold a word the English build of the same site
    adds: not one the authors wrote, nor one the language's catalog uses itself."""
    own = {word for text in catalog(catalog_path(language)).values() for word in WORD.findall(text)}
    authors = set(WORD.findall(written))
    added = {word for _, text in texts(english) for word in WORD.findall(text)} - authors - own - PRODUCT_NAMES
    return {(name, text) for name, text in texts(out)
            if added & set(WORD.findall(text)) and not FILE_NAME.fullmatch(text)}


def written_by_authors(site_folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(site_folder.rglob("*.*"))
                     if p.suffix in (".yaml", ".md") and ".git" not in p.parts)


@pytest.mark.parametrize("language", ["fr", "fa"])
def test_news_offerings_feeds_and_the_change_log_keep_no_english_words(news_builds, language) -> None:
    out = news_builds[language]
    site_folder = out.parent / out.name.removesuffix(f"-{language}")
    written = written_by_authors(site_folder) + SESSIONS  # the words of the first commit too
    assert sorted(english_left(out, news_builds["en"], language, written)) == []
    # What the check looked at: every kind of change-log entry, the announcements page, both
    # offerings' pages and the catalog, the feeds.
    messages = catalog(catalog_path(language))
    page = BeautifulSoup((out / "dl-2026" / "announcements.html").read_text(encoding="utf-8"), "html.parser")
    changes = [" ".join(li.select_one(".news-title").get_text(" ").split()) for li in page.select(".kind-change")]
    assert len(changes) == 6
    assert page.select_one(".new-badge").get_text() == messages["New"]
    assert (out / "dl-2025" / "index.html").read_text(encoding="utf-8").count('class="archived-banner"') == 1
    assert messages["Past offerings:"] in (out / "index.html").read_text(encoding="utf-8")
    feed = feedparser.parse((out / "dl-2026" / "feed.xml").read_bytes())
    assert sorted(f"{e.title} {messages['New']}" for e in feed.entries if e.tags[0].term == "change") == sorted(changes)


def test_change_log_entries_read_in_the_course_language_and_its_digits(news_builds) -> None:
    def entries(language: str) -> list[str]:
        page = BeautifulSoup((news_builds[language] / "dl-2026" / "announcements.html").read_text(encoding="utf-8"),
                             "html.parser")
        return [" ".join(li.select_one(".news-title").contents[0].split()) for li in page.select(".kind-change")]

    assert entries("en")[:2] == ["Transformers: moved from Thu Sep 17 to Thu Oct 22",
                                 "PyTorch: section A1 moved from 2:00 pm to 3:00 pm on Fri Oct 23"]
    assert entries("fr")[:2] == ["Transformers : séance déplacée (auparavant : jeu. 17 sept. ; désormais : jeu. 22 oct.)",
                                 "PyTorch : groupe A1 déplacé de 14 h 00 à 15 h 00 le ven. 23 oct."]
    assert entries("fa")[:2] == ["Transformers: از پنجشنبه ۱۷ سپتامبر به پنجشنبه ۲۲ اکتبر منتقل شد",
                                 "PyTorch، جمعه ۲۳ اکتبر: گروه A1 از ۱۴:۰۰ به ۱۵:۰۰ منتقل شد"]


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
        return {text.strip(" ().,:") for text in interface_texts(page)}

    written = "\n".join(p.read_text(encoding="utf-8") for p in [REPO / "site.yaml", *(
        p for folder in (english, translated) for p in (REPO / "courses" / folder).rglob("*.*")
        if p.suffix in (".yaml", ".md"))])
    same_word = set(catalog(catalog_path(language)).values()) | {"PDF"}
    common = texts(reference_build / english / name) & texts(reference_build / translated / name)
    left = sorted(text for text in common if re.search("[A-Za-z]{3}", text) and text not in written
                  and text not in same_word)
    assert left == []
