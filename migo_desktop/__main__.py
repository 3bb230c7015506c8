"""``python -m migo_desktop`` starts the desktop app."""

from __future__ import annotations

import sys


def main() -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen build's workbook-reader child (excel/isolated.py) starts here
    from .ui.shell.app import run

    return run(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
