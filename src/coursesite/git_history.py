"""Read-only questions to git about a site folder's history: which commits changed a course, and
what a file said at a commit.

Every answer is "nothing" when git is missing, the folder is not in a checkout, or git fails
(a shallow clone, a damaged repository): the change log is a bonus, never a reason to fail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_SECONDS = 60
_COMMIT_LINE = re.compile(r"([0-9a-f]{40}|[0-9a-f]{64}) (\d{1,12})")


@dataclass(frozen=True)
class Commit:
    id: str
    committed: dt.datetime  # the committer's date, aware (UTC)


class Repository:
    """The git checkout a site folder is in."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def containing(cls, folder: Path) -> Repository | None:
        """The checkout `folder` is in, or None (not a checkout, or no git)."""
        real = Path(os.path.realpath(folder))
        if not any(os.path.lexists(parent / ".git") for parent in (real, *real.parents)):
            # git would find no checkout (_git drops GIT_DIR): not starting it spares every save of
            # the dev server two processes.
            return None
        if shutil.which("git") is None:
            return None
        top = _git(folder, "rev-parse", "--show-toplevel")
        if not top or not top.strip():
            return None
        return cls(Path(top.strip()))

    def pathspec(self, path: Path) -> str | None:
        """`path` as git names it, from the top of the checkout; None when it lies outside."""
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return None
        return relative.as_posix()

    def commits(self, path: Path, limit: int) -> list[Commit]:
        """The last `limit` commits that changed anything under `path`, newest first."""
        spec = self.pathspec(path)
        if spec is None or limit <= 0:
            return []
        text = _git(self.root, "log", f"--max-count={limit}", "--format=%H %ct", "--no-color",
                    "--", f":(top,literal){spec}")
        found = []
        for line in (text or "").splitlines():
            match = _COMMIT_LINE.fullmatch(line.strip())
            if match:
                found.append(Commit(match[1], dt.datetime.fromtimestamp(int(match[2]), dt.UTC)))
        return found

    def commits_by_folder(self, path: Path) -> dict[str, str]:
        """For each folder directly under `path`, a digest of every commit that changed a file in
        it (against any parent, renames as a removal and an addition), from one `git log`: it
        changes whenever `commits` of the folder can answer otherwise."""
        spec = self.pathspec(path)
        if spec is None:
            return {}
        text = _git(self.root, "-c", "core.quotePath=false", "log", "--full-history", "-m", "--name-only",
                    "--no-renames", "--format=%x01%H", "--no-color", "--", f":(top,literal){spec}")
        prefix = "" if spec == "." else spec + "/"
        found: dict[str, list[str]] = {}
        commit = ""
        for line in (text or "").splitlines():
            if line.startswith("\x01"):
                commit = line[1:]
            elif line.startswith(prefix) or line.startswith('"' + prefix):
                folder = line.lstrip('"')[len(prefix):].split("/", 1)[0]
                found.setdefault(folder, []).append(commit)
        return {folder: hashlib.blake2b(" ".join(ids).encode(), digest_size=16).hexdigest()
                for folder, ids in found.items()}

    def file_at(self, commit: str, path: Path) -> str | None:
        """The text of `path` at `commit`; None when it was not there or is not UTF-8."""
        spec = self.pathspec(path)
        if spec is None or not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit):
            return None
        return _git(self.root, "show", f"{commit}:{spec}")


def _git(folder: Path, *arguments: str) -> str | None:
    """git's output, or None when it fails. Nothing is written to the repository, and the
    repository's own settings cannot start programs (fsmonitor, pagers) or ask for input."""
    environment = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C",
                   "GIT_PAGER": "cat", "PAGER": "cat"}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):  # the folder's own repository, not the caller's
        environment.pop(name, None)
    command = ["git", "-C", str(folder), "-c", "core.fsmonitor=false", "-c", "log.showSignature=false",
               "--no-pager", *arguments]
    try:
        result = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS,  # noqa: S603
                                env=environment, stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    try:
        return result.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return None
