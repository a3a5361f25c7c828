"""The theme's templates, compiled, kept beside the package's own compiled modules.

Compiling the theme's templates takes about a tenth of a second, a sixth of a build of the five
reference courses (issue 16). As Python keeps a module's bytecode in `__pycache__`, the compiled
templates are kept in the package's `__pycache__/templates` when first compiled, and used while
the template's source, Jinja, Python and the environment's settings are what they were. This is
part of the program, not of a build: `--no-cache` does not turn it off, as it does not turn off
Python's own. Where the folder cannot be written (a read-only install), templates are compiled
on every run, as before. A site's own templates are its input, and are never kept.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import suppress
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket

FOLDER = Path(__file__).parent / "__pycache__" / "templates"


class ThemeTemplateCache(FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, for the templates under `theme` only."""

    def __init__(self, theme: Path, folder: Path | None = None) -> None:
        super().__init__(str(folder or FOLDER), "%s.jinja")
        self.theme = os.path.realpath(theme) + os.sep

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        if filename is None or not os.path.realpath(filename).startswith(self.theme):
            return Bucket(environment, "", "")  # compiled, never kept (set_bucket skips it)
        # Jinja keys a template by its name and file only: the settings it was compiled with go
        # into the key too, so that code compiled otherwise (another autoescape, other delimiters)
        # is never taken.
        settings = repr((name, filename, _settings(environment), bool(_autoescape(environment, name))))
        bucket = Bucket(environment, hashlib.sha256(settings.encode()).hexdigest(),
                        self.get_source_checksum(source))
        with suppress(OSError, EOFError, ValueError):  # unreadable or cut short: compiled again
            self.load_bytecode(bucket)
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        if not bucket.key:
            return
        with suppress(OSError):  # a read-only install: compiled again next time
            os.makedirs(self.directory, exist_ok=True)
            self.dump_bytecode(bucket)


def _settings(env: Environment) -> tuple[object, ...]:
    """What Jinja's compiled code depends on besides the source (Jinja's and Python's versions
    are in the file's own header)."""
    return (env.block_start_string, env.block_end_string, env.variable_start_string,
            env.variable_end_string, env.comment_start_string, env.comment_end_string,
            env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
            env.newline_sequence, env.keep_trailing_newline, sorted(env.extensions), env.optimized,
            env.is_async)


def _autoescape(env: Environment, name: str) -> object:
    return env.autoescape(name) if callable(env.autoescape) else env.autoescape
