"""Frozen entry point of the console executable (migo)."""

import multiprocessing
import sys

from migo_desktop.cli import main

if __name__ == "__main__":
    # excel.isolated parses untrusted workbooks in a `spawn`-ed child: in a frozen app that child is this
    # executable again, and freeze_support() turns it into the worker instead of a second app.
    multiprocessing.freeze_support()
    sys.exit(main())
