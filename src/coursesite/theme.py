"""Where the default theme (templates/ and static/) is, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path


def theme_folder() -> Path:
    """The default theme: packaged beside this module, or the repository's top level."""
    packaged = Path(__file__).parent / "theme"
    if (packaged / "templates").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]
