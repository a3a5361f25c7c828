"""The build cache is untrusted input: whoever can write it (a CI cache saved by another branch)
must not be able to publish a file that no build made, write outside the output, publish a file
of the machine, or crash the build.

Every test fills the cache with a build, damages or poisons it as an attacker or a fault would,
and builds again (Builds.api): the output must be the same as a build without the cache, and
nothing may be written outside the output and the cache.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import MINIMAL_COURSE, build
from coursesite.cache_entries import digest_bytes as digest
from test_stored_builds import Builds, two_courses
from unprivileged import run_unprivileged

POISON = b"<script>document.body.dataset.pwned = 1</script>"


@pytest.fixture
def builds(site, tmp_path: Path) -> Builds:
    return two_courses(site, tmp_path)


def edit_entry(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """Change an entry's JSON as an attacker would, keeping its key (so that it is used)."""
    entry = json.loads(path.read_bytes())
    change(entry)
    path.write_text(json.dumps(entry))


def same_size(path: Path, old: bytes, new: bytes) -> None:
    """Edit a stored file in place, the same size, and put its modification time back."""
    assert len(old) == len(new)
    status = path.stat()
    data = path.read_bytes()
    assert old in data
    with path.open("r+b") as file:  # in place: the output's hard link sees it too
        file.write(data.replace(old, new))
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def test_a_poisoned_catalog_is_not_published(builds: Builds) -> None:
    builds.api()
    (builds.cache / "site/catalog.html").write_bytes(POISON)
    assert builds.api() == 0  # the courses are sound: only the catalog is made again
    assert POISON not in (builds.root / "build/index.html").read_bytes()


def test_a_catalog_edited_in_place_with_its_time_put_back_is_not_published(builds: Builds) -> None:
    builds.api()
    same_size(builds.cache / "site/catalog.html", b"Deep Learning", b"Evil Learning")
    builds.api()
    assert b"Evil Learning" not in (builds.root / "build/index.html").read_bytes()


@pytest.mark.parametrize("stored", ["dl/policies.html", "dl/index.html", "dl/calendar.ics"])
def test_a_same_size_edit_with_its_time_put_back_is_not_published(builds: Builds, stored: str) -> None:
    builds.api()
    path = builds.cache / "courses/dl/files" / stored
    same_size(path, b"Deep", b"Evil")
    assert builds.api() == 1
    assert b"Evil" not in (builds.root / "build" / stored).read_bytes()


@pytest.mark.parametrize("escape", ["../escape.html", "dl/../../escape.html", "dl/../../../escape.html",
                                    "ABSOLUTE", "dl/..\\..\\escape.html", "dl//x.html", "dl/./x.html",
                                    "ml/index.html", "index.html"])
def test_a_manifest_path_out_of_the_course_output_is_refused(builds: Builds, escape: str) -> None:
    builds.api()
    if escape == "ABSOLUTE":
        escape = str(builds.tmp / "escape.html")
    entry = builds.cache / "courses/dl"
    source = Path(os.path.normpath(entry / "files" / escape))  # where the old reader took it from
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(POISON)
    status = source.stat()
    edit_entry(entry / "entry.json",
               lambda e: e["manifest"].append([escape, status.st_size, status.st_mtime_ns, digest(POISON)]))
    assert builds.api() == 1  # and Builds.api: nothing written outside the output and the cache
    assert not any(POISON in path.read_bytes() for path in (builds.root / "build").rglob("*") if path.is_file())


@pytest.mark.parametrize("link", ["file", "folder"])
def test_a_stored_file_that_is_a_link_out_of_the_cache_is_refused(builds: Builds, link: str) -> None:
    """A link in the cache to a file of the machine, with that file's digest, publishes nothing."""
    builds.api()
    secret = builds.tmp / "secret/policies.html"
    secret.parent.mkdir()
    secret.write_bytes(b"password: hunter2")
    stored = builds.cache / "courses/dl/files/dl/policies.html"
    status = stored.stat()
    if link == "file":
        stored.unlink()
        stored.symlink_to(secret)
    else:
        (builds.cache / "courses/dl/files/dl").rename(builds.tmp / "moved")
        (builds.cache / "courses/dl/files/dl").symlink_to(secret.parent)
    size = secret.stat().st_size
    os.utime(secret, ns=(status.st_atime_ns, status.st_mtime_ns))

    def point(entry: dict[str, Any]) -> None:
        for item in entry["manifest"]:
            if item[0] == "dl/policies.html":
                item[1:] = [size, status.st_mtime_ns, digest(secret.read_bytes())]

    edit_entry(builds.cache / "courses/dl/entry.json", point)
    assert builds.api() == 1
    assert b"hunter2" not in (builds.root / "build/dl/policies.html").read_bytes()


@pytest.mark.parametrize("name", ["/etc/passwd", "../../secret.txt", "../ml/course.yaml", "outside.txt"])
def test_copies_come_only_from_the_course_folder(builds: Builds, name: str) -> None:
    """Neither the site's entry nor a course's may name a file to publish from elsewhere."""
    secret = builds.tmp / "secret.txt"
    secret.write_text("password: hunter2")
    (builds.root / "courses/dl/outside.txt").symlink_to(secret)  # a link in the course folder, out of it
    builds.api()
    edit_entry(builds.cache / "courses/dl/entry.json", lambda e: e["referenced"].append(name))
    edit_entry(builds.cache / "site/entry.json",
               lambda e: e.setdefault("copies", {}).update({"static/passwd": str(secret)}))
    assert builds.api() == 1
    published = b"".join(path.read_bytes() for path in (builds.root / "build").rglob("*") if path.is_file())
    assert b"hunter2" not in published and b"root:x:0:0:" not in published
    # And when a course is rebuilt, the catalog from the others' entries.
    (builds.root / "courses/ml/course.yaml").write_text(MINIMAL_COURSE.replace("DL 101", "ML 202"))
    edit_entry(builds.cache / "courses/dl/entry.json", lambda e: e["referenced"].append(name))
    assert builds.api() == 2


@pytest.mark.parametrize("summary", [
    {"url": "javascript:alert(document.domain)"},
    {"url": "java\tscript:alert(1)"},
    {"title": ""},
    {"title": 42},
    {"people": [{"name": "Eve", "url": "javascript:alert(1)"}]},
    {"unknown": "field"},
])
def test_a_summary_that_the_model_refuses_is_rebuilt(builds: Builds, summary: dict[str, Any],
                                                      tmp_path: Path) -> None:
    builds.api()
    (builds.root / "courses/ml/course.yaml").write_text(MINIMAL_COURSE.replace("DL 101", "ML 202"))
    stored = builds.cache / "courses/dl/summary.json"
    stored.write_text(json.dumps({**json.loads(stored.read_text()), **summary}))
    marker = tmp_path / "ran"

    class Payload:  # the old format: a pickle planted there must never be loaded
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    (builds.cache / "courses/dl/summary.pickle").write_bytes(pickle.dumps(Payload()))
    assert builds.api() == 2  # ml changed; dl's summary is refused
    assert b"javascript" not in (builds.root / "build/index.html").read_bytes()
    assert not marker.exists()


def damage(builds: Builds, what: str) -> None:
    cache = builds.cache
    match what:
        case "truncated summary":
            for stored in (cache / "courses/dl").glob("summary.*"):
                stored.write_bytes(stored.read_bytes()[:40])
        case "truncated entry":
            (cache / "courses/dl/entry.json").write_bytes((cache / "courses/dl/entry.json").read_bytes()[:99])
        case "empty entry":
            (cache / "site/entry.json").write_bytes(b"")
        case "deeply nested JSON":
            (cache / "courses/dl/entry.json").write_bytes(b"[" * 100_000)
        case "a folder for a file":
            (cache / "courses/dl/entry.json").unlink()
            (cache / "courses/dl/entry.json").mkdir()
        case "a stored file missing":
            for stored in (cache / "courses/ml/files").rglob("*.html"):
                stored.unlink()
        case "a FIFO for a stored file":
            (cache / "courses/dl/files/dl/index.html").unlink()
            os.mkfifo(cache / "courses/dl/files/dl/index.html")
        case "wrong types":
            edit_entry(cache / "courses/dl/entry.json", lambda e: e.update(manifest="x", diagnostics={"a": 1}))
            edit_entry(cache / "site/entry.json", lambda e: e.update(pages="7", strict_allows=[1]))
        case "bad items":
            edit_entry(cache / "courses/dl/entry.json", lambda e: e["manifest"].append([1, 2]))
            edit_entry(cache / "courses/ml/entry.json", lambda e: e["diagnostics"].append({"path": 1}))
        case "a NUL in a path":
            edit_entry(cache / "courses/dl/entry.json", lambda e: e["manifest"].append(["dl/x\0.html", 1, 1, "0"]))
        case "a site entry naming other courses":
            edit_entry(cache / "site/entry.json", lambda e: e.update(courses=["..", "dl", "dl"]))
        case "a digest for the catalog that is not a string":
            edit_entry(cache / "site/entry.json", lambda e: e.update(catalog=None))
        case "an interval of no days or moments":
            edit_entry(cache / "courses/dl/entry.json", lambda e: e.update(valid=["yesterday", None, None, None]))
            edit_entry(cache / "courses/ml/entry.json", lambda e: e.update(valid=[None, None, "soon", None]))
        case "garbage everywhere":
            for stored in cache.rglob("*"):
                if stored.is_file():
                    stored.write_bytes(os.urandom(64))


DAMAGE = ["truncated summary", "truncated entry", "empty entry", "deeply nested JSON", "a folder for a file",
          "a stored file missing", "a FIFO for a stored file", "wrong types", "bad items", "a NUL in a path",
          "a site entry naming other courses", "a digest for the catalog that is not a string",
          "an interval of no days or moments", "garbage everywhere"]


@pytest.mark.parametrize("what", DAMAGE)
def test_a_damaged_entry_is_rebuilt_without_a_word(builds: Builds, what: str) -> None:
    builds.api()
    (builds.root / "courses/ml/course.yaml").write_text(MINIMAL_COURSE.replace("DL 101", "ML 202"))
    damage(builds, what)
    assert builds.api() >= 1  # and the same as without the cache: Builds.api
    assert builds.api() == 0  # the damaged entries were replaced


@pytest.mark.parametrize("what", ["truncated summary", "garbage everywhere", "deeply nested JSON"])
def test_the_command_line_prints_nothing_about_a_damaged_cache(builds: Builds, what: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(builds.root)
    first = build(builds.root, None, "--cache-dir", builds.cache)
    (builds.root / "courses/ml/course.yaml").write_text(MINIMAL_COURSE.replace("DL 101", "ML 202"))
    damage(builds, what)
    again = build(builds.root, None, "--cache-dir", builds.cache)
    assert (again.code, again.err) == (0, first.err)


def denied(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """`chmod 000 folder` (a file or a folder), as for another user's files: it can be seen but
    not read, listed or entered. Injected, since chmod does not stop root and tests may run as root."""
    prefix = str(folder)

    def guard(real: Callable[..., Any], itself: bool) -> Callable[..., Any]:
        def call(path: Any = ".", *args: Any, **kwargs: Any) -> Any:
            if isinstance(path, str | os.PathLike):
                name = os.path.abspath(os.fsdecode(path))
                if (itself and name == prefix) or name.startswith(prefix + os.sep):
                    raise PermissionError(13, "Permission denied", name)
            return real(path, *args, **kwargs)
        return call

    for name in ("open", "listdir", "scandir"):
        monkeypatch.setattr(os, name, guard(getattr(os, name), itself=True))
    for name in ("stat", "lstat", "link", "rename", "mkdir", "unlink", "rmdir"):
        monkeypatch.setattr(os, name, guard(getattr(os, name), itself=False))
    monkeypatch.setattr(io, "open", guard(io.open, itself=True))
    monkeypatch.setattr(builtins, "open", guard(builtins.open, itself=True))


@pytest.mark.parametrize("where", ["", "courses", "courses/dl", "courses/dl/entry.json", "courses/dl/summary.json",
                                   "courses/dl/files/dl/index.html", "site"])
def test_an_unreadable_cache_is_built_without(builds: Builds, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    builds.api()
    (builds.root / "courses/ml/course.yaml").write_text(MINIMAL_COURSE.replace("DL 101", "ML 202"))
    with monkeypatch.context() as patch:
        denied(patch, builds.cache / where)
        assert builds.api() >= 1


def test_a_cache_folder_without_permissions_is_built_without(open_site) -> None:
    # Run as a user whom permission bits stop (`nobody` under root), so the chmod is real.
    root = open_site({"courses/dl/course.yaml": MINIMAL_COURSE, "courses/dl/schedule.yaml": "sessions: []\n"})
    cache = root.parent / "cache"
    args = ("build", ".", "--cache-dir", str(cache), "--today", "2026-10-14")
    first = run_unprivileged(root, *args)
    assert first.returncode == 0, first.stderr
    page = (root / "build/dl/index.html").read_bytes()
    cache.chmod(0)
    try:
        again = run_unprivileged(root, *args)
    finally:
        cache.chmod(0o755)
    assert (again.returncode, again.stderr) == (0, "")
    assert (root / "build/dl/index.html").read_bytes() == page
