"""Two folders exchanged in one step (Linux), through the C library's wrapper or the bare system call."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from coursesite import exchange

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")


def two_folders(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "build", tmp_path / ".build.building-1-x"
    for folder in (first, second):
        folder.mkdir()
        (folder / "index.html").write_text(folder.name)
    return first, second


@linux_only
def test_two_folders_are_exchanged(tmp_path: Path) -> None:
    first, second = two_folders(tmp_path)

    assert exchange.exchange(str(second), str(first))

    assert (first / "index.html").read_text() == ".build.building-1-x"
    assert (second / "index.html").read_text() == "build"


class WithoutWrapper:
    """A C library older than glibc 2.28: no renameat2(), only syscall()."""

    def __init__(self, libc: object) -> None:
        self.syscall = libc.syscall  # type: ignore[attr-defined]


@linux_only
def test_without_the_wrapper_the_system_call_exchanges_them(tmp_path: Path, monkeypatch) -> None:
    if exchange.platform.machine() not in exchange._SYSCALL_NUMBERS:
        pytest.skip("no system call number known for this machine")
    monkeypatch.setattr(exchange, "_libc", WithoutWrapper(exchange._libc))
    first, second = two_folders(tmp_path)

    assert exchange.exchange(str(second), str(first))

    assert (first / "index.html").read_text() == ".build.building-1-x"


def test_where_there_is_no_exchange_the_caller_is_told(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(exchange, "_libc", None)
    first, second = two_folders(tmp_path)

    assert not exchange.exchange(str(second), str(first))

    assert (first / "index.html").read_text() == "build"


@linux_only
def test_a_missing_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    first, _ = two_folders(tmp_path)

    with pytest.raises(FileNotFoundError) as raised:
        exchange.exchange(str(tmp_path / "gone"), str(first))

    assert raised.value.filename == str(tmp_path / "gone")
