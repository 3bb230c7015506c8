"""Frozen entry point of the console executable (migo)."""

import sys

from migo_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
