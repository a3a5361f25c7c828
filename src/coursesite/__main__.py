"""Allow `python -m coursesite`."""

from coursesite.cli import main

raise SystemExit(main())
