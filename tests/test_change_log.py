"""Schedule changes announced by themselves (issue 14 §1): a real git repository, commits that
move, cancel and add sessions and move a deadline, and the entries the build makes of them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from conftest import MINIMAL_COURSE, TODAY, build, parse, run_cli, tree
from coursesite.build import BuildOptions, build_site
from coursesite.change_log import CACHE_FORMAT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SCHEDULE = """\
sessions:
  - {id: intro, topic: Introduction}
  - {topic: Backpropagation}
  - {topic: Convolutions}
  - {topic: Transformers}
  - {topic: Diffusion}
assignments:
  - {id: hw1, title: Homework 1, due: "2026-10-20 23:59"}
"""


def git(root: Path, *args: str, date: str = "2026-10-01T12:00:00+00:00") -> None:
    environment = {**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date,
                   "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=Ada", "-c", "user.email=ada@example.edu", "-c", "init.defaultBranch=main",
                    "-c", "commit.gpgsign=false", *args], cwd=root, env=environment, check=True, capture_output=True)


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)


@pytest.fixture
def history(site) -> Path:
    """A site in git: the first version committed on Oct 1, before the term's sessions move."""
    root = site({"courses/dl/schedule.yaml": SCHEDULE})
    git(root, "init", "-q")
    commit(root, "First schedule", "2026-09-01T12:00:00+00:00")
    return root


def edit(root: Path, old: str, new: str, file: str = "courses/dl/schedule.yaml") -> None:
    path = root / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def changes(root: Path) -> list[str]:
    if not (root / "build/dl/announcements.html").exists():
        return []
    page = parse(root / "build/dl/announcements.html")
    return [" ".join(item.select_one(".news-title").get_text(" ").split()).removesuffix(" New")
            for item in page.select(".news-item.kind-change")]


def test_a_moved_session_becomes_an_entry_dated_by_its_commit(history: Path) -> None:
    # Sessions on Tue/Thu from Sep 8: Transformers, the 4th, is Thu Sep 17; pinned later it moves.
    edit(history, "{topic: Transformers}", "{topic: Transformers, date: 2026-10-15}")
    commit(history, "Move transformers", "2026-10-02T14:30:00+00:00")
    assert build(history).code == 0
    # Diffusion, after it, follows it: the pattern continues from a pinned session's day.
    assert changes(history) == ["Transformers: moved from Thu Sep 17 to Thu Oct 15",
                                "Diffusion: moved from Tue Sep 22 to Tue Oct 20"]
    page = parse(history / "build/dl/announcements.html")
    item = page.select_one(".news-item.kind-change")
    assert item.select_one("time")["datetime"] == "2026-10-02T10:30:00-04:00"  # the committer's date
    overview = parse(history / "build/dl/index.html")
    assert any("moved from Thu Sep 17 to Thu Oct 15" in li.get_text() for li in overview.select(".latest-news li"))
    feed = feedparser.parse((history / "build/dl/feed.xml").read_bytes())
    assert not feed.bozo
    assert sorted(e.title for e in feed.entries) == sorted(changes(history))
    assert feed.entries[0].id.startswith("urn:uuid:")


def test_cancelled_added_moved_in_time_and_room_and_a_moved_deadline(history: Path) -> None:
    edit(history, "  - {topic: Convolutions}\n", "")
    edit(history, "  - {topic: Diffusion}\n", "  - {topic: Diffusion}\n  - {topic: Guest lecture, date: 2026-12-01}\n")
    edit(history, '"2026-10-20 23:59"', '"2026-10-22 23:59"')
    commit(history, "Drop convolutions, add a guest lecture, move hw1", "2026-09-05T12:00:00+00:00")
    edit(history, "{id: intro, topic: Introduction}",
         "{id: intro, topic: Introduction, time: \"14:00-15:15\", location: Hall B}")
    commit(history, "The introduction in the afternoon, in Hall B", "2026-09-06T12:00:00+00:00")
    assert build(history).code == 0
    found = changes(history)
    assert found[0] == "Introduction: moved from 10:00 am, Room 101 to 2:00 pm, Hall B on Tue Sep 8"
    assert set(found[1:]) == {
        "Convolutions: cancelled (was Tue Sep 15, 10:00 am)",
        "Guest lecture: added on Tue Dec 1, 10:00 am",
        "Homework 1: due date moved from Tue Oct 20, 11:59 pm to Thu Oct 22, 11:59 pm",
        # Sessions after the cancelled one each take the next meeting: they moved too.
        "Transformers: moved from Thu Sep 17 to Tue Sep 15",
        "Diffusion: moved from Tue Sep 22 to Thu Sep 17",
    }


def test_what_was_already_past_and_a_renamed_topic_are_not_announced(history: Path) -> None:
    edit(history, "{id: intro, topic: Introduction}", "{id: intro, topic: Introduction, location: Hall B}")
    edit(history, "{topic: Diffusion}", "{topic: Diffusion models}")
    commit(history, "Fix the record", "2026-10-05T12:00:00+00:00")
    assert build(history).code == 0
    assert changes(history) == []


def test_sessions_are_matched_by_their_key_not_their_place(history: Path) -> None:
    edit(history, "  - {id: intro, topic: Introduction}\n", "")
    edit(history, "  - {topic: Diffusion}\n", "  - {topic: Diffusion}\n  - {id: intro, topic: Introduction, date: 2026-12-03}\n")
    commit(history, "The introduction last", "2026-09-02T12:00:00+00:00")
    assert build(history).code == 0
    assert "Introduction: moved from Tue Sep 8 to Thu Dec 3" in changes(history)


def test_the_setting_limits_and_turns_it_off(history: Path) -> None:
    for n, day in enumerate(("2026-10-01", "2026-10-03", "2026-10-05"), start=2):
        edit(history, f"date: 2026-12-0{n - 1}" if n > 2 else "{topic: Diffusion}",
             f"date: 2026-12-0{n}" if n > 2 else "{topic: Diffusion, date: 2026-12-02}")
        commit(history, f"Move diffusion {n}", f"{day}T12:00:00+00:00")
    assert build(history).code == 0
    assert len(changes(history)) == 3
    (history / "site.yaml").write_text("change_log: {commits: 2}\n")
    assert build(history).code == 0
    assert changes(history) == ["Diffusion: moved from Thu Dec 3 to Fri Dec 4",
                                "Diffusion: moved from Wed Dec 2 to Thu Dec 3"]
    (history / "site.yaml").write_text("change_log: {commits: 0}\n")
    assert build(history).code == 0
    assert not (history / "build/dl/announcements.html").exists()


def test_outside_git_or_without_git_there_is_no_change_log_and_no_error(site, monkeypatch) -> None:
    root = site({"courses/dl/schedule.yaml": SCHEDULE})
    result = build(root)
    assert result.code == 0 and result.err == ""
    assert not (root / "build/dl/announcements.html").exists()
    git(root, "init", "-q")
    commit(root, "First", "2026-09-01T12:00:00+00:00")
    edit(root, "{topic: Diffusion}", "{topic: Diffusion, date: 2026-12-02}")
    commit(root, "Move", "2026-10-01T12:00:00+00:00")
    monkeypatch.setenv("PATH", "/nonexistent")
    result = build(root)
    assert result.code == 0, result.err
    assert not (root / "build/dl/announcements.html").exists()


def test_a_new_commit_rebuilds_the_course_kept_in_the_cache(history: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    options = {"today": TODAY, "cache_dir": cache}
    # An edit not committed yet: the files change, the history does not.
    edit(history, "{topic: Diffusion}", "{topic: Diffusion, date: 2026-12-02}")
    assert build_site(BuildOptions(history, history / "build", **options)).rendered == 1  # type: ignore[arg-type]
    assert build_site(BuildOptions(history, history / "build", **options)).rendered == 0  # type: ignore[arg-type]
    assert changes(history) == []
    # Committed: the files are as they were, but the change log has a new commit to read.
    commit(history, "Move", "2026-10-01T12:00:00+00:00")
    again = build_site(BuildOptions(history, history / "build", **options))  # type: ignore[arg-type]
    assert again.rendered == 1
    assert changes(history) == ["Diffusion: moved from Tue Sep 22 to Wed Dec 2"]
    fresh = build_site(BuildOptions(history, tmp_path / "fresh", today=TODAY))
    assert tree(history / "build") == tree(fresh.out)
    # The change log's own cache, keyed by commits, is used; damaged, it is made again.
    stored = cache / "change-log" / "dl.json"
    assert json.loads(stored.read_text())["format"] == CACHE_FORMAT
    stored.write_text(json.dumps({"format": CACHE_FORMAT, "pairs": {"x": 3}}))
    edit(history, "Diffusion, date", "Diffusion, location: Hall C, date")
    result = build_site(BuildOptions(history, history / "build", **options))  # type: ignore[arg-type]
    assert result.rendered == 1
    assert changes(history) == ["Diffusion: moved from Tue Sep 22 to Wed Dec 2"]
    assert json.loads(stored.read_text())["pairs"]


def test_a_damaged_change_log_cache_cannot_plant_entries(history: Path, tmp_path: Path) -> None:
    edit(history, "{topic: Diffusion}", "{topic: Diffusion, date: 2026-12-02}")
    commit(history, "Move", "2026-10-01T12:00:00+00:00")
    cache = tmp_path / "cache"
    assert run_cli("build", history, "--out", history / "build", "--today", "2026-10-14",
                   "--cache-dir", cache).code == 0
    stored = cache / "change-log" / "dl.json"
    data = json.loads(stored.read_text())
    pair = next(iter(data["pairs"]))
    data["pairs"][pair] = [["x", "<script>alert(1)</script>"], "not a pair"]
    stored.write_text(json.dumps(data))
    edit(history, "title: Deep Learning", "title: Deep Learning!", "courses/dl/course.yaml")
    assert run_cli("build", history, "--out", history / "build", "--today", "2026-10-14",
                   "--cache-dir", cache).code == 0
    assert changes(history) == ["Diffusion: moved from Tue Sep 22 to Wed Dec 2"]


def test_a_numbered_lecture_is_named_by_its_number_and_topic(site) -> None:
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE.replace("    location: Room 101\n",
                                                                  "    location: Room 101\n    numbered: true\n"),
                 "courses/dl/schedule.yaml": SCHEDULE})
    git(root, "init", "-q")
    commit(root, "First", "2026-09-01T12:00:00+00:00")
    edit(root, "{topic: Transformers}", "{topic: Transformers, date: 2026-10-15}")
    commit(root, "Move", "2026-10-01T12:00:00+00:00")
    assert build(root).code == 0
    assert changes(root) == ["Lecture 4, Transformers: moved from Thu Sep 17 to Thu Oct 15",
                             "Lecture 5, Diffusion: moved from Tue Sep 22 to Tue Oct 20"]


def test_a_moved_deadline_of_an_unreleased_assignment_is_not_news(history: Path) -> None:
    """Homework 1 is released on Oct 1 (release:): a build for Sep 10 does not announce that its
    deadline moved, in the pages or in the feed; a build for Oct 14 does."""
    edit(history, '{id: hw1, title: Homework 1, due: "2026-10-20 23:59"}',
         '{id: hw1, title: Homework 1, due: "2026-10-20 23:59", release: 2026-10-01}')
    commit(history, "Homework 1 out on Oct 1", "2026-09-02T12:00:00+00:00")
    edit(history, '"2026-10-20 23:59"', '"2026-10-22 23:59"')
    commit(history, "Move hw1", "2026-09-05T12:00:00+00:00")
    assert build(history, None, "--today", "2026-09-10").code == 0
    assert not [entry for entry in changes(history) if "Homework 1" in entry]
    assert b"Homework 1" not in (history / "build/dl/feed.xml").read_bytes()
    assert build(history).code == 0  # TODAY, after the release
    assert "Homework 1: due date moved from Tue Oct 20, 11:59 pm to Thu Oct 22, 11:59 pm" in changes(history)


def test_a_site_in_a_subfolder_of_a_worktree_has_its_change_log(history: Path, tmp_path: Path) -> None:
    # The checkout is found above the site folder, also where .git is a file (`git worktree`).
    git(history, "worktree", "add", "-q", str(tmp_path / "other"))
    moved = tmp_path / "other" / "site"
    moved.mkdir()
    git(tmp_path / "other", "mv", *[p.name for p in (tmp_path / "other").iterdir() if p.name not in (".git", "site")],
        "site")
    commit(tmp_path / "other", "Into a subfolder", "2026-09-02T12:00:00+00:00")
    assert (tmp_path / "other" / ".git").is_file()
    edit(moved, "{topic: Transformers}", "{topic: Transformers, date: 2026-10-15}")
    commit(tmp_path / "other", "Move transformers", "2026-10-02T14:30:00+00:00")
    assert build(moved).code == 0
    assert changes(moved)[0] == "Transformers: moved from Thu Sep 17 to Thu Oct 15"
