"""The theme's compiled templates are kept like Python's bytecode (template_cache.py): a build
from them writes what a build that compiles every template writes, a changed template or other
settings are compiled again, a site's own templates are never kept, and a folder that cannot be
written only means compiling every time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape

from conftest import REPO, build, tree
from coursesite import template_cache
from coursesite.template_cache import ThemeTemplateCache


@pytest.fixture(autouse=True)
def bytecode_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """As Python's default: the machine that runs the tests may set PYTHONDONTWRITEBYTECODE."""
    monkeypatch.setattr("sys.dont_write_bytecode", False)


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "compiled"
    monkeypatch.setattr(template_cache, "FOLDER", folder)
    return folder


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    compiled: list[str] = []
    original = Environment.compile

    def counting(self: Environment, source: str, name: str | None = None, *args: object, **kwargs: object):
        compiled.append(name or "")
        return original(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "compile", counting)
    return compiled


def test_a_build_from_kept_templates_is_the_same(kept: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "courses", site / "courses")
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    compiled = _compiles(monkeypatch)
    assert build(site, tmp_path / "first", "--no-cache").code == 0
    assert len(compiled) > 10 and len(list(kept.iterdir())) == len(set(compiled))
    compiled.clear()
    assert build(site, tmp_path / "again", "--no-cache").code == 0
    assert compiled == []  # every template from what the first build kept
    assert tree(tmp_path / "again") == tree(tmp_path / "first")


def _environment(theme: Path, folder: Path, **settings: object) -> Environment:
    return Environment(loader=FileSystemLoader(str(theme)), autoescape=select_autoescape(default=True),
                       bytecode_cache=ThemeTemplateCache(theme, folder), **settings)  # type: ignore[arg-type]


def test_a_changed_template_or_other_settings_are_compiled_again(tmp_path: Path) -> None:
    theme, folder = tmp_path / "theme", tmp_path / "compiled"
    theme.mkdir()
    (theme / "page.html").write_text("{% if x %}\n<b>{{ x }}</b>\n{% endif %}\n")
    assert _environment(theme, folder).get_template("page.html").render(x="<i>") == "\n<b>&lt;i&gt;</b>\n"
    assert _environment(theme, folder).get_template("page.html").render(x="<i>") == "\n<b>&lt;i&gt;</b>\n"
    assert _environment(theme, folder, trim_blocks=True).get_template("page.html").render(x="y") == "<b>y</b>\n"
    unescaped = Environment(loader=FileSystemLoader(str(theme)), autoescape=False,
                            bytecode_cache=ThemeTemplateCache(theme, folder))
    assert unescaped.get_template("page.html").render(x="<i>") == "\n<b><i></b>\n"
    (theme / "page.html").write_text("{{ x }}!")
    assert _environment(theme, folder).get_template("page.html").render(x="y") == "y!"


def test_a_sites_own_templates_are_never_kept(tmp_path: Path) -> None:
    theme, site, folder = tmp_path / "theme", tmp_path / "site", tmp_path / "compiled"
    theme.mkdir()
    site.mkdir()
    (site / "page.html").write_text("mine")
    env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=ThemeTemplateCache(theme, folder))
    assert env.get_template("page.html").render() == "mine"
    assert not folder.exists()


def test_a_folder_that_cannot_be_written_only_means_compiling(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "page.html").write_text("{{ 1 + 1 }}")
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would go")
    for _ in range(2):
        assert _environment(theme, blocked / "compiled").get_template("page.html").render() == "2"
    (tmp_path / "compiled").mkdir()
    (tmp_path / "compiled" / "junk.jinja").write_bytes(b"\0" * 3)
    assert _environment(theme, tmp_path / "compiled").get_template("page.html").render() == "2"


def test_a_filter_changed_in_how_it_is_called_or_what_it_gives_is_compiled_again(tmp_path: Path) -> None:
    """Compiled code calls a filter with the context or not, and keeps a filter's result on
    constants: a change to either is a change of the compiled template."""
    from jinja2 import pass_context

    theme, folder = tmp_path / "theme", tmp_path / "compiled"
    theme.mkdir()
    (theme / "page.html").write_text("{{ x | f }} {{ 'k' | g }}")

    def render(f: object, g: object) -> str:
        env = _environment(theme, folder)
        env.filters.update(f=f, g=g)
        return env.get_template("page.html").render(x="y")

    assert render(lambda v: v + "1", lambda v: v + "1") == "y1 k1"
    assert render(pass_context(lambda context, v: v + "2"), lambda v: v + "1") == "y2 k1"
    assert render(lambda v: v + "1", lambda v: v + "3") == "y1 k3"
    assert render(lambda v: v + "1", lambda v: v + "1") == "y1 k1"


def test_nothing_is_kept_when_python_keeps_no_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    theme, folder = tmp_path / "theme", tmp_path / "compiled"
    theme.mkdir()
    (theme / "page.html").write_text("{{ x }}")
    monkeypatch.setattr("sys.dont_write_bytecode", True)
    assert _environment(theme, folder).get_template("page.html").render(x="y") == "y"
    assert not folder.exists() or not list(folder.iterdir())


def test_a_filter_changed_on_the_same_environment_is_compiled_again(tmp_path: Path) -> None:
    """The digest of the filters is worked out once per environment (not for every template), and
    again when one of them changes."""
    from jinja2 import pass_context

    theme, folder = tmp_path / "theme", tmp_path / "compiled"
    theme.mkdir()
    (theme / "page.html").write_text("{{ x | f }}")
    env = _environment(theme, folder)
    env.filters["f"] = lambda v: v + "1"
    assert env.get_template("page.html").render(x="y") == "y1"
    env.filters["f"] = pass_context(lambda context, v: v + "2")
    env.cache.clear()  # type: ignore[union-attr]
    assert env.get_template("page.html").render(x="y") == "y2"
