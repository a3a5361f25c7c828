"""Each command imports what it needs, when it needs it: starting Python and importing are a large
part of a small site's build (issue 16)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, TODAY, run_cli

WATCHED = ("tornado", "livereload", "watchdog", "icalendar", "selectolax", "jinja2", "pagefind_bin",
           "multiprocessing", "concurrent.futures.process")


def imported_by(*arguments: str) -> list[str]:
    """Which of WATCHED a fresh interpreter has imported after running the command line."""
    script = ("import sys; from coursesite.cli import main; "
              f"code = main({list(arguments)!r}); "
              f"print(code, sorted(m for m in {WATCHED!r} if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    code, _, modules = run.stdout.splitlines()[-1].partition(" ")
    assert code == "0", run.stderr
    return sorted(ast.literal_eval(modules))


def test_a_build_in_one_process_imports_no_dev_server_and_no_calendar_library(tmp_path: Path) -> None:
    found = imported_by("build", str(REPO), "--out", str(tmp_path / "out"), "--today", TODAY.isoformat(),
                        "--no-cache", "--jobs", "1")
    assert found == ["jinja2", "pagefind_bin", "selectolax"]  # the check's parser, templates, search


def test_check_imports_no_renderer_and_no_search(tmp_path: Path) -> None:
    assert imported_by("check", str(REPO)) == ["selectolax"]


def test_a_build_from_the_cache_checks_no_html_so_parses_none(tmp_path: Path) -> None:
    arguments = ("build", str(REPO), "--out", str(tmp_path / "out"), "--today", TODAY.isoformat(),
                 "--cache-dir", str(tmp_path / "cache"))
    assert "selectolax" in imported_by(*arguments)
    assert "selectolax" not in imported_by(*arguments)


def test_a_build_looks_for_no_pydantic_plugins(tmp_path: Path) -> None:
    """Looking for them read every installed package's metadata; the CLI's models need none."""
    script = ("import importlib.metadata, sys\n"
              "asked = []\n"
              "entry_points = importlib.metadata.entry_points\n"
              "def recording(**kwargs):\n"
              "    asked.append(kwargs.get('group'))\n"
              "    return entry_points(**kwargs)\n"
              "importlib.metadata.entry_points = recording\n"
              "import os\n"
              "end = os._exit\n"
              "def ending(code):\n"
              "    print(code, 'pydantic' in asked, flush=True)\n"
              "    end(code)\n"
              "os._exit = ending\n"
              "from coursesite.cli import run\n"
              "run()\n")
    env = {name: value for name, value in os.environ.items() if name != "PYDANTIC_DISABLE_PLUGINS"}
    run = subprocess.run([sys.executable, "-c", script, "build", str(REPO), "--out", str(tmp_path / "out"),
                          "--today", TODAY.isoformat(), "--no-cache", "--no-pdf", "--jobs", "1"],
                         capture_output=True, text=True, check=True, env=env)
    assert run.stdout.splitlines()[-1] == "0 False", run.stderr


def test_a_caller_of_main_keeps_its_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the program's own process turns pydantic's plugins off (cli.run), not a tool that calls main()."""
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert run_cli("build", REPO, "--out", tmp_path / "out", "--today", TODAY.isoformat(), "--no-cache",
                   "--no-pdf").code == 0
    assert "PYDANTIC_DISABLE_PLUGINS" not in os.environ


def test_a_build_from_kept_catalogs_reads_no_po_file(tmp_path: Path) -> None:
    """The catalogs' messages are kept like Python's bytecode (translations.py): Babel's .po
    reader is not even imported once they are."""
    script = ("import sys; from coursesite.cli import main; "
              "code = main(sys.argv[1:]); print(code, 'babel.messages.pofile' in sys.modules)")
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    for run in range(2):
        built = subprocess.run([sys.executable, "-c", script, "build", str(REPO), "--out", str(tmp_path / f"out{run}"),
                                "--today", TODAY.isoformat(), "--no-cache", "--no-pdf", "--jobs", "1"],
                               capture_output=True, text=True, check=True, env=env)
    assert built.stdout.splitlines()[-1] == "0 False", built.stderr
