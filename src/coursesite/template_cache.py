"""The theme's templates, compiled, kept beside the package's own compiled modules.

Compiling the theme's templates takes about a tenth of a second, a sixth of a build of the five
reference courses (issue 16). As Python keeps a module's bytecode in `__pycache__`, the compiled
templates are kept in the package's `__pycache__/templates` when first compiled, and used while
the template's source, Jinja, Python and the environment's settings are what they were. This is
part of the program, not of a build: `--no-cache` does not turn it off, as it does not turn off
Python's own, and as Python's, nothing is kept under `python -B` or PYTHONDONTWRITEBYTECODE.
Where the folder cannot be written (a read-only install), templates are compiled on every run,
as before. A site's own templates are its input, and are never kept.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from contextlib import suppress
from pathlib import Path

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket

FOLDER = Path(__file__).parent / "__pycache__" / "templates"


class ThemeTemplateCache(FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, for the templates under `theme` only."""

    def __init__(self, theme: Path, folder: Path | None = None) -> None:
        super().__init__(str(folder or FOLDER), "%s.jinja")
        self.theme = os.path.realpath(theme) + os.sep
        # _callables of the environment last asked for, with what it was computed from.
        self._callables: tuple[tuple[object, ...], tuple[object, ...]] | None = None

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        if filename is None or not os.path.realpath(filename).startswith(self.theme):
            return Bucket(environment, "", "")  # compiled, never kept (set_bucket skips it)
        # Jinja keys a template by its name and file only: the settings it was compiled with go
        # into the key too, so that code compiled otherwise (another autoescape, other delimiters)
        # is never taken.
        settings = repr((name, filename, _settings(environment), bool(_autoescape(environment, name)),
                         self.callables(environment)))
        bucket = Bucket(environment, hashlib.sha256(settings.encode()).hexdigest(),
                        self.get_source_checksum(source))
        with suppress(OSError, EOFError, ValueError):  # unreadable or cut short: compiled again
            self.load_bytecode(bucket)
        return bucket

    def callables(self, environment: Environment) -> tuple[object, ...]:
        """`_callables(environment)`, computed again only when the environment or one of its
        filters or tests is another: digesting every filter's code again for each of the theme's
        templates was 2% of the instructions of a cold build of the reference courses."""
        functions = (environment, *environment.filters.items(), *environment.tests.items())
        if self._callables is None or self._callables[0] != functions:
            self._callables = (functions, _callables(environment))
        return self._callables[1]

    def set_bucket(self, bucket: Bucket) -> None:
        if not bucket.key or sys.dont_write_bytecode:  # python -B, PYTHONDONTWRITEBYTECODE: nothing kept
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
            env.is_async, getattr(env, "newstyle_gettext", None))


def _callables(env: Environment) -> tuple[object, ...]:
    """What compiled code takes from the filters and tests: how each is called (whether it is
    passed the context, decided when compiling), and, as Jinja calls a filter of constants when
    compiling and keeps its result, the code of each. Jinja's release too: the file's header
    holds only its bytecode format."""
    def described(kind: str, name: str, function: object) -> tuple[str, str, str, str]:
        code = getattr(function, "__code__", None)
        digest = hashlib.sha256(marshal.dumps(code)).hexdigest() if code is not None else type(function).__qualname__
        return kind, name, str(getattr(function, "jinja_pass_arg", None)), digest
    return (jinja2.__version__,
            *sorted(described("filter", name, function) for name, function in env.filters.items()),
            *sorted(described("test", name, function) for name, function in env.tests.items()))


def _autoescape(env: Environment, name: str) -> object:
    return env.autoescape(name) if callable(env.autoescape) else env.autoescape
