"""``python -m slakit``: the command line."""

from __future__ import annotations

import sys

from slakit.cli import main

if __name__ == "__main__":
    sys.exit(main())
