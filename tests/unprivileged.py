"""Run coursesite as a user whom permission bits stop: the tests' own user, or `nobody` under root."""

from __future__ import annotations

import functools
import os
import shutil
import site
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

NOBODY = 65534


def run_unprivileged(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`coursesite ARGS` in `site`, as a user without root's power to read anything."""
    python, env = unprivileged_python()
    return subprocess.run([python, "-m", "coursesite", *args], cwd=site, capture_output=True, text=True,
                          timeout=300, check=False, env=env, **_switch())  # type: ignore[call-overload]


def _switch() -> dict[str, object]:
    return {"user": NOBODY, "group": NOBODY, "extra_groups": []} if os.geteuid() == 0 else {}


@functools.cache
def unprivileged_python() -> tuple[str, dict[str, str]]:
    """An interpreter that the unprivileged user can run, with this environment's packages.

    Root's own interpreter may live in root's private home: then the system's Python of the
    same version, given this environment's packages and source folder on its path.
    """
    import coursesite

    source = str(Path(coursesite.__file__).parents[1])
    packages = os.pathsep.join([source, *site.getsitepackages()])
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [(sys.executable, dict(os.environ))] + [
        (f"{folder}/{version}", {**os.environ, "PYTHONPATH": packages}) for folder in ("/usr/local/bin", "/usr/bin")]
    for python, env in candidates:
        try:
            probe = subprocess.run([python, "-c", "import coursesite.cli"], capture_output=True, env=env,
                                   cwd="/", timeout=60, check=False, **_switch())  # type: ignore[call-overload]
        except OSError:
            continue
        if probe.returncode == 0:
            return python, env
    pytest.skip("no Python interpreter that an unprivileged user may run")


@pytest.fixture
def open_site() -> Iterator[Callable[[dict[str, str]], Path]]:
    """Write a site where the unprivileged user can reach it and owns it."""
    made: list[Path] = []

    def write(files: dict[str, str]) -> Path:
        # tmp_path is private to root when the tests run as root.
        top = Path(tempfile.mkdtemp(prefix="coursesite-faults-"))
        made.append(top)
        os.chmod(top, 0o755)
        root = top / "site"
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(content)
        if os.geteuid() == 0:
            for folder, _, names in os.walk(top):
                for path in [folder, *(os.path.join(folder, name) for name in names)]:
                    os.chown(path, NOBODY, NOBODY)
        return root

    yield write
    for top in made:
        for folder, folders, _ in os.walk(top):
            for name in folders:
                os.chmod(os.path.join(folder, name), 0o755)
        shutil.rmtree(top)
