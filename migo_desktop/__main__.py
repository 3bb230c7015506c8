"""``python -m migo_desktop`` (and the ``migo-desktop`` executable) starts the desktop app.

``--help`` and ``--version`` are answered before Qt is imported, so they need no display.
"""

from __future__ import annotations

import sys


def main() -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen build's workbook-reader child (excel/isolated.py) starts here
    from .ui.shell.options import parse_options

    options, qt_args = parse_options(sys.argv[1:])
    from .ui.shell.app import run

    return run([sys.argv[0], *qt_args], smoke_test=options.smoke_test)


if __name__ == "__main__":
    sys.exit(main())
