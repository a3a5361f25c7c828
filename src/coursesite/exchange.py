"""Exchange two folders in one step: Linux's renameat2(RENAME_EXCHANGE).

Replacing a folder with two renames leaves, between them, no folder at all: a build killed
there leaves no output until the next build. The exchange has no such moment. Elsewhere, or
where the file system refuses it, `exchange` says so and the caller falls back to two renames.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import sys

AT_FDCWD = -100
RENAME_EXCHANGE = 2
# renameat2's system call number, for C libraries older than glibc 2.28, which lack the wrapper.
_SYSCALL_NUMBERS = {"x86_64": 316, "aarch64": 276, "i386": 353, "i686": 353, "armv7l": 382, "ppc64le": 357,
                    "s390x": 347, "riscv64": 276}
# The file system or the kernel cannot exchange: fall back to two renames.
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM}


def _load_libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - a Linux without a loadable C library
        return None


_libc = _load_libc()


def exchange(first: str, second: str) -> bool:
    """Swap the names `first` and `second` atomically; False when this system cannot.

    Both must exist, on one file system. Other failures raise OSError.
    """
    if _libc is None:
        return False
    paths = (os.fsencode(first), os.fsencode(second))
    renameat2 = getattr(_libc, "renameat2", None)
    if renameat2 is not None:
        result = renameat2(AT_FDCWD, paths[0], AT_FDCWD, paths[1], RENAME_EXCHANGE)
    else:
        number = _SYSCALL_NUMBERS.get(platform.machine())
        if number is None:
            return False
        result = _libc.syscall(number, AT_FDCWD, paths[0], AT_FDCWD, paths[1], RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), first, None, second)
