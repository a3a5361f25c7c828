"""The words of diagnostics: codes and remedies on warnings, hints that point the right way, counts."""

from __future__ import annotations

import pytest

from conftest import run_cli
from coursesite.errors import WARNING_CODES, WARNING_FIXES
from coursesite.suggestions import closest, typo_distance

C = "courses/dl/course.yaml"
S = "courses/dl/schedule.yaml"


def test_every_warning_code_says_how_to_fix_it() -> None:
    assert set(WARNING_FIXES) == set(WARNING_CODES)


def test_a_warning_prints_its_code_its_fix_and_how_to_accept_it(site, monkeypatch) -> None:
    root = site({S: "sessions:\n  - topic: A\n    date: 2026-10-31\n"})
    monkeypatch.chdir(root)
    assert run_cli("check", root).lines == [
        f"{S}:3:11: warning[not-a-meeting-day]: session 'A' on 2026-10-31 is a Saturday, not a Lecture day "
        "(Tue/Thu); write \"time:\" for a one-off session, or add not-a-meeting-day to strict_allows in site.yaml"]


def test_the_closing_line_counts_the_warnings_that_strict_fails_on(site, monkeypatch) -> None:
    root = site({S: "sessions:\n  - {topic: A, date: 2026-10-31}\n  - {topic: B, date: 2026-11-01, tpoic: x}\n"
                    "  - {topic: C, date: 2026-11-07}\n"})
    monkeypatch.chdir(root)
    relaxed = run_cli("check", root)
    assert relaxed.lines[-1] == "1 problem must be fixed; nothing was written."
    root = site({S: "sessions:\n  - {topic: A, date: 2026-10-31}\n  - {topic: C, date: 2026-11-07}\n"})
    assert run_cli("check", root, "--strict").lines[-1] == (
        "2 problems must be fixed (all warnings, which --strict counts); nothing was written.")
    root = site({S: "sessions:\n  - {topic: A, date: 2026-10-31}\n  - {topic: C, date: 2026-11-07}\n"
                    "  - {topic: D, tpoic: x}\n"})
    # an error stops the run before --strict counts warnings: only errors are then counted
    assert run_cli("check", root, "--strict").lines[-1] == "1 problem must be fixed; nothing was written."


@pytest.mark.parametrize(("written", "suggested"), [
    ("tpoic", "topic"), ("Topic", "topic"), ("matrials", "materials"), ("instrutor", "instructor"),
    ("meetng", "meeting"), ("office hours", "office_hours"), ("office-hours", "office_hours"),
    ("section", None), ("id", None), ("tags", None), ("slides", None),
])
def test_a_hint_is_offered_only_for_a_plausible_typo(written, suggested) -> None:
    fields = ["attach", "date", "due", "end", "instructor", "kind", "label", "location", "materials",
              "meeting", "notes", "readings", "topic", "week", "office_hours"]
    assert closest(written, fields) == suggested


def test_typo_distance_counts_a_swap_as_one_edit() -> None:
    assert typo_distance("tpoic", "topic") == 1
    assert typo_distance("section", "location") > 2
    assert typo_distance("", "ab") == 2


def test_unrelated_fields_get_the_list_not_a_wrong_hint(site, monkeypatch) -> None:
    root = site({S: "sessions:\n  - topic: A\n    sectoin: A1\n"})
    monkeypatch.chdir(root)
    line = run_cli("check", root).lines[0]
    assert line.startswith(f"{S}:3:5: error: unknown field 'sectoin' in sessions[0]; expected one of: ")
    assert "did you mean" not in line


def test_an_unquoted_comma_in_braces_is_explained(site, monkeypatch) -> None:
    files = {S: "sessions:\n  - {topic: Attention, location: 75 Shannon, Room 202}\n"}
    root = site(files)
    monkeypatch.chdir(root)
    result = run_cli("check", root)
    assert result.code == 1
    assert result.lines[0] == (
        f"{S}:2:46: error: unknown field 'Room 202' in sessions[0]: an unquoted comma inside {{...}} ends a "
        "value; if 'Room 202' belongs to location, put the value in quotes: location: \"75 Shannon, Room 202\"")


def test_a_key_without_a_value_after_a_mapping_gets_no_comma_hint(site, monkeypatch) -> None:
    root = site({S: "sessions:\n  - topic: A\n    tpoic:\n"})
    monkeypatch.chdir(root)
    assert run_cli("check", root).lines[0] == (
        f"{S}:3:5: error: unknown field 'tpoic' in sessions[0] (did you mean 'topic'?)")


def test_the_readme_lists_every_kind_of_warning() -> None:
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert [code for code in WARNING_CODES if f"`{code}`" not in readme] == []
