"""``python -m migo_desktop`` starts the desktop app."""

from __future__ import annotations

import sys


def main() -> int:
    from .ui.shell.app import run

    return run(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
