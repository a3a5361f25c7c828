"""The dev server's search index: kept as it is when a save is rebuilt, then made again in the
background, until it is the full build's again, byte for byte."""

from __future__ import annotations

from pathlib import Path

from conftest import MINIMAL_COURSE, tree
from coursesite.build import BuildOptions, build_site
from coursesite.serve import LiveSite
from test_search_index import fragments

SCHEDULE = "sessions:\n  - topic: Perceptrons\n  - topic: Backpropagation\n"


def full_build(root: Path, out: Path) -> dict[str, bytes]:
    return tree(build_site(BuildOptions(root, out)).out)


def indexed_text(out: Path) -> str:
    return " ".join(page["content"] for page in fragments(out / "pagefind" / "0"))


def test_a_save_keeps_the_index_until_the_one_made_in_the_background_replaces_it(site, tmp_path: Path) -> None:
    root = site({"courses/dl/schedule.yaml": SCHEDULE,
                 "courses/ml/course.yaml": MINIMAL_COURSE.replace("Deep Learning", "Machine Learning")})
    live = LiveSite(root, tmp_path / "served")
    assert not live.rebuild().failed
    live.search.wait()
    assert tree(live.out) == full_build(root, tmp_path / "full-1")

    (root / "courses/dl/schedule.yaml").write_text(SCHEDULE.replace("Backpropagation", "Hopfield networks"))
    assert not live.rebuild().failed
    assert "Hopfield" in (live.out / "dl/schedule.html").read_text()  # the page at once
    live.search.wait()
    assert "Hopfield" in indexed_text(live.out)  # the index after it
    assert tree(live.out) == full_build(root, tmp_path / "full-2")


def test_a_save_during_a_run_cancels_it_and_the_last_run_has_every_edit(site, tmp_path: Path) -> None:
    root = site({"courses/dl/schedule.yaml": SCHEDULE})
    live = LiveSite(root, tmp_path / "served")
    live.rebuild()
    for topic in ["Hopfield networks", "Boltzmann machines", "Transformers"]:
        (root / "courses/dl/schedule.yaml").write_text(SCHEDULE.replace("Backpropagation", topic))
        assert not live.rebuild().failed  # cancels the run the save before started
    live.search.wait()
    assert "Transformers" in indexed_text(live.out) and "Hopfield" not in indexed_text(live.out)
    assert tree(live.out) == full_build(root, tmp_path / "full")
    assert not [p.name for p in tmp_path.iterdir() if ".search-" in p.name]  # no run left its folder behind


def test_an_unchanged_site_is_not_indexed_again(site, tmp_path: Path, monkeypatch) -> None:
    from coursesite import search

    root = site({"courses/dl/schedule.yaml": SCHEDULE})
    live = LiveSite(root, tmp_path / "served")
    live.rebuild()
    live.search.wait()
    runs: list[Path] = []
    real = search.index_part
    monkeypatch.setattr(search, "index_part", lambda folder, *rest: (runs.append(folder), real(folder, *rest))[1])
    (root / "courses/dl/notes.txt").write_text("not a page\n")
    live.rebuild()
    live.search.wait()
    assert runs == []
