"""The output folder: refused when replacing it could destroy something, replaced whole otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import build, parse, tree


@pytest.fixture
def no_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refusal that stopped working must fail the test, not replace a real folder."""
    import coursesite.build

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the builder tried to write")

    monkeypatch.setattr(coursesite.build, "staging_folder", refuse)
    monkeypatch.setattr(coursesite.build, "output_lock", refuse)  # taken before any build writes


REFUSALS = [
    ("site-folder", lambda root: root, "it is the site folder"),
    ("parent-of-site", lambda root: root.parent, "it contains the site folder {root}"),
    ("courses-folder", lambda root: root / "courses", "it is inside the site's courses/ folder"),
    ("inside-a-course", lambda root: root / "courses" / "dl" / "out", "it is inside the site's courses/ folder"),
    ("templates-folder", lambda root: root / "templates", "it is inside the site's templates/ folder"),
    ("static-folder", lambda root: root / "static" / "build", "it is inside the site's static/ folder"),
]


@pytest.mark.parametrize(("where", "expected"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_a_folder_of_the_site_is_refused(site, no_writes, where, expected) -> None:
    root = site({"templates/base.html": "{{ 1 }}", "static/style.css": "p {}"})
    before = tree(root)
    out = where(root)

    result = build(root, out)

    assert result.code == 2
    assert result.lines == [f"coursesite: error: refusing to build into {out}: "
                            + expected.format(root=root)]
    assert tree(root) == before


def test_the_home_folder_is_refused(site, tmp_path, monkeypatch, no_writes) -> None:
    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    (home / "notes" / "thesis.tex").write_text("years of work")
    monkeypatch.setenv("HOME", str(home))

    result = build(site(), home, "--force")

    assert result.code == 2
    assert result.lines == [f"coursesite: error: refusing to build into {home}: it is your home folder"]
    assert (home / "notes" / "thesis.tex").read_text() == "years of work"


def test_the_root_folder_is_refused(site, no_writes) -> None:
    result = build(site(), Path("/"), "--force")

    assert result.code == 2
    assert result.lines == ["coursesite: error: refusing to build into /: it is the root folder"]


@pytest.mark.parametrize("folder", ["/usr", "/etc", "/home", "/var", "/tmp", "/opt", "/usr/local", "/var/lib",
                                    "/home/someone-else"])
def test_system_folders_are_refused(site, tmp_path, monkeypatch, no_writes, folder: str) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))

    result = build(site(), Path(folder), "--force")

    assert result.code == 2
    assert result.lines == [f"coursesite: error: refusing to build into {folder}: it is a system folder"]


CONTAINERS = [
    # (what the output folder would be, relative to tmp_path, and what it is or contains)
    ("home", "it contains your home folder {tmp}/home/ada"),
    ("home/ada", "it is your home folder"),
    ("work", "it is the current folder"),
    ("", "it contains your home folder {tmp}/home/ada"),
    ("projects", "it contains the current folder {tmp}/projects/work"),
]


@pytest.mark.parametrize(("where", "expected"), CONTAINERS, ids=[where or "tmp" for where, _ in CONTAINERS])
def test_a_folder_that_is_or_contains_what_a_build_must_keep_is_refused(site, tmp_path, monkeypatch, no_writes,
                                                                         where: str, expected: str) -> None:
    """With --force too: --force replaces a folder coursesite did not make, never one of these."""
    home = tmp_path / "home" / "ada"
    (home / "notes").mkdir(parents=True)
    (home / "notes" / "thesis.tex").write_text("years of work")
    monkeypatch.setenv("HOME", str(home))
    current = tmp_path / ("projects/work" if where == "projects" else "work")
    current.mkdir(parents=True)
    monkeypatch.chdir(current)
    cache = tmp_path / ("caches/site" if where == "caches" else "cache")
    out = tmp_path / where

    result = build(site(), out, "--force", "--cache-dir", cache)

    assert result.code == 2
    assert result.lines == [f"coursesite: error: refusing to build into {out}: " + expected.format(tmp=tmp_path)]
    assert (home / "notes" / "thesis.tex").read_text() == "years of work"


@pytest.mark.parametrize(("where", "expected"), [("cache", "it is the output folder"),
                                                 ("caches", "it is inside the output folder")])
def test_an_output_folder_that_is_or_contains_the_build_cache_is_refused(site, tmp_path, where, expected) -> None:
    cache = tmp_path / "caches" / "site" if where == "caches" else tmp_path / "cache"
    cache.mkdir(parents=True)
    (cache / "kept.json").write_text("{}")
    out = tmp_path / where

    result = build(site(), out, "--force", "--cache-dir", cache)

    assert result.code == 2
    assert result.lines == [f"coursesite: error: refusing to keep the build cache in {cache}: {expected}"]
    assert (cache / "kept.json").read_text() == "{}"


def test_a_file_is_refused(site, tmp_path, no_writes) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("keep me")

    result = build(site(), target, "--force")

    assert result.code == 2
    assert result.lines == [f"coursesite: error: refusing to build into {target}: it is a file"]
    assert target.read_text() == "keep me"


def test_a_folder_coursesite_did_not_make_is_replaced_only_with_force(site, tmp_path) -> None:
    root = site()
    target = tmp_path / "public"
    target.mkdir()
    (target / "old.html").write_text("someone else's page")

    refused = build(root, target)
    assert refused.code == 2
    assert refused.lines == [f"coursesite: error: refusing to build into {target}: it is not empty and "
                             "was not made by coursesite (pass --force to replace it)"]
    assert sorted(p.name for p in target.iterdir()) == ["old.html"]

    forced = build(root, target, "--force")
    assert forced.code == 0, forced.err
    assert not (target / "old.html").exists()
    assert (target / "dl" / "index.html").is_file()
    assert build(root, target).code == 0  # now it carries the marker: no --force needed


def test_an_empty_folder_is_used(site, tmp_path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    assert build(site(), target).code == 0
    assert (target / "index.html").is_file()
    assert (target / ".coursesite-build").is_file()


def test_removed_pages_and_courses_do_not_linger(site) -> None:
    root = site({"courses/dl/pages/policies.md": "# Policies\n", "courses/dl/pages/project.md": "# Project\n",
                 "courses/ml/course.yaml": "title: Machine Learning\nterm: {name: Fall 2026}\n"})
    assert build(root).code == 0
    assert (root / "build/dl/project.html").is_file()
    assert (root / "build/ml/index.html").is_file()

    (root / "courses/dl/pages/project.md").unlink()
    for path in sorted((root / "courses/ml").iterdir()):
        path.unlink()
    (root / "courses/ml").rmdir()
    assert build(root).code == 0

    assert not (root / "build/dl/project.html").exists()
    assert not (root / "build/ml").exists()
    nav = [a.get_text(strip=True) for a in parse(root / "build/dl/index.html").select("nav.course-nav a")]
    assert "Project" not in nav and "Policies" in nav
    catalog = [a.get_text(" ", strip=True) for a in parse(root / "build/index.html").select("main a")]
    assert not any("Machine Learning" in text for text in catalog)


def test_no_temporary_folder_is_left_behind(site) -> None:
    root = site()
    assert build(root).code == 0
    (root / "courses/dl/schedule.yaml").write_text("sessions: [\n")
    assert build(root).code == 1
    assert sorted(p.name for p in root.iterdir()) == ["build", "courses"]


def test_a_write_outside_the_output_folder_is_refused(tmp_path) -> None:
    from coursesite.errors import UsageError
    from coursesite.output_folder import write_file

    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(UsageError, match=r"refusing to write '\.\./escaped\.html': it is outside the output folder"):
        write_file(str(staging), "../escaped.html", b"no")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staging"]
    assert list(staging.iterdir()) == []


def test_a_file_written_over_a_hard_link_leaves_the_linked_file_as_it_was(tmp_path) -> None:
    """A page linked from the build cache, then written because its course had to be built after
    all: the cache's copy keeps its bytes."""
    from coursesite.output_folder import write_file

    stored = tmp_path / "cache-page.html"
    stored.write_bytes(b"stored")
    (tmp_path / "staging/dl").mkdir(parents=True)
    os.link(stored, tmp_path / "staging/dl/index.html")
    write_file(str(tmp_path / "staging"), "dl/index.html", b"built")
    assert (tmp_path / "staging/dl/index.html").read_bytes() == b"built"
    assert stored.read_bytes() == b"stored"
