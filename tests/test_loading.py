"""Reading course files: Windows line endings and byte order marks are fine; huge files are refused
before they are read."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, build, parse

FILES = {
    "courses/dl/course.yaml": MINIMAL_COURSE + "description: |\n  Line one.\n\n  Line two.\n",
    "courses/dl/schedule.yaml": "sessions:\n  - topic: Perceptrons\n    notes: |\n      Bring a laptop.\n"
                                "  - topic: Backpropagation\n",
    "courses/dl/readings.yaml": "groups:\n  - title: Book\n    items:\n      - {title: Chapter 6, url: 'https://example.org/'}\n",
    "courses/dl/links.yaml": "groups:\n  - title: Software\n    items:\n      - {title: PyTorch, url: 'https://pytorch.org/'}\n",
    "courses/dl/pages/policies.md": "---\ntitle: Policies\norder: 1\n---\n# Late work\n\nNot graded.\n",
}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_bom_and_crlf_files_build_the_same_site(site, tmp_path) -> None:
    plain = site(FILES)
    assert build(plain, tmp_path / "plain").code == 0

    for name, text in FILES.items():
        (plain / name).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    result = build(plain, tmp_path / "windows")

    assert result.code == 0, result.err
    assert result.err == ""
    assert _files(tmp_path / "windows") == _files(tmp_path / "plain")
    page = parse(tmp_path / "windows" / "dl" / "policies.html")
    assert page.select_one("main h1").get_text(strip=True) == "Policies"


def test_a_huge_file_is_refused_without_being_read(tmp_path, monkeypatch) -> None:
    from coursesite.errors import Report
    from coursesite.loading import read_text

    path = tmp_path / "schedule.yaml"
    with path.open("wb") as file:
        file.truncate(20_000_000)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    report = Report()

    assert read_text(path, report) is None
    assert [d.message for d in report.diagnostics] == [
        "file is 20,000,000 bytes; course files must be under 2,000,000 bytes"]


@pytest.mark.parametrize(("link", "expected"), [
    ("inside.txt", None),
    ("missing.txt", None),
    ("loop", "is a symbolic link loop; replace the link with the file itself"),
    ("/etc/passwd", "is a symbolic link to /etc/passwd, outside the course folder; copy the file in instead"),
])
def test_link_problem(tmp_path, link, expected) -> None:
    from coursesite.loading import link_problem

    course = tmp_path / "course"
    course.mkdir()
    (course / "inside.txt").write_text("x")
    (course / "link").symlink_to(link if link != "loop" else "link")

    assert link_problem(course / "link", course, "the course folder") == expected


def test_an_empty_value_or_null_means_no_value(site) -> None:
    root = site({"courses/dl/schedule.yaml": "sessions:\n  - topic: Perceptrons\n    date:\n    notes: ~\n"
                                             "    label: null\n  - topic: Backprop\n    end: NULL\n"
                                             "  - topic: 'null'\n"})
    result = build(root)
    assert result.code == 0, result.err
    rows = parse(root / "build/dl/schedule.html").select("table.schedule tbody th.topic")
    assert [r.get_text(" ", strip=True) for r in rows] == ["Perceptrons", "Backprop", "null"]
