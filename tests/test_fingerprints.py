"""What a build reads, digested (fingerprints.py); template mistakes at their line; `check` over
every course. (Kept from the tests of the in-process build cache, incremental.py, now gone: the
dev server builds over the disk cache, tests/test_served_builds.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, build, run_cli
from coursesite.fingerprints import folder_fingerprint


def test_fingerprint_follows_sources_and_names_not_other_bytes(tmp_path: Path) -> None:
    course = tmp_path / "dl"
    (course / "slides").mkdir(parents=True)
    (course / "course.yaml").write_text("title: A\n")
    (course / "slides/a.pdf").write_bytes(b"one")
    first = folder_fingerprint(course)
    (course / "slides/a.pdf").write_bytes(b"two")
    assert folder_fingerprint(course) == first
    (course / "course.yaml").write_text("title: B\n")
    second = folder_fingerprint(course)
    assert second != first
    (course / "slides/b.pdf").write_bytes(b"")
    assert folder_fingerprint(course) != second


# ---- template mistakes are input errors at their line, never a traceback ---------------------


@pytest.mark.parametrize(("template", "expected"), [
    ("{% extends 'base.html' %}\n{% block main %}\n{% if %}\n{% endblock %}\n",
     "templates/links.html:3:1: error: template error: Expected an expression, got 'end of statement block'"),
    ("{% extends 'base.html' %}\n{% block main %}\n<p>{{ course.nickname }}</p>\n{% endblock %}\n",
     "templates/links.html:3:1: error: template error: 'coursesite.site.Course object' has no attribute 'nickname'"),
])
def test_template_mistakes_are_reported_at_their_line(site, monkeypatch, template: str, expected: str) -> None:
    root = site({"courses/dl/links.yaml": "groups:\n  - title: G\n    items: [{title: X, url: 'https://x.org'}]\n",
                 "templates/links.html": template})
    monkeypatch.chdir(root)
    result = build(root)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.lines == [expected, "1 problem must be fixed; nothing was written."]
    assert not (root / "build").exists()


def test_check_reports_every_course_with_the_full_build(site, monkeypatch) -> None:
    """Loading course by course still reports every problem of every course in one run."""
    root = site({"courses/dl/schedule.yaml": "sessions:\n  - tpoic: A\n",
                 "courses/ml/course.yaml": MINIMAL_COURSE,
                 "courses/ml/schedule.yaml": "sessions:\n  - topic: A\n    readings: [ch9]\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", root)
    assert result.code == 1
    assert result.lines == [
        "courses/dl/schedule.yaml:2:5: error: unknown field 'tpoic' in sessions[0] (did you mean 'topic'?)",
        "courses/ml/schedule.yaml:3:16: error: reading 'ch9' is not in readings.yaml",
        "2 problems must be fixed; nothing was written."]


def test_sources_are_read_again_only_when_they_may_have_changed(tmp_path: Path, monkeypatch) -> None:
    import coursesite.fingerprints as fingerprints

    reads: list[str] = []
    real_read = fingerprints._read
    monkeypatch.setattr(fingerprints, "_read", lambda path: reads.append(path) or real_read(path))
    source = tmp_path / "course.yaml"
    source.write_text("title: A\n")
    digests = fingerprints.SourceDigests()
    first = digests.digest(str(source))
    assert digests.digest(str(source)) == first
    assert len(reads) == 2  # just written: its times may not move on the next write, so read again

    monkeypatch.setattr(fingerprints.SourceDigests, "SETTLED_NS", -10**12)  # as if written long ago
    digests = fingerprints.SourceDigests()
    digests.digest(str(source))
    digests.digest(str(source))
    assert len(reads) == 3  # settled and unchanged: not read again
    source.write_text("title: B\n")  # same size, new bytes
    assert digests.digest(str(source)) != first
    assert len(reads) == 4
