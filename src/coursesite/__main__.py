"""Allow `python -m coursesite`."""

from coursesite.cli import run

run()
