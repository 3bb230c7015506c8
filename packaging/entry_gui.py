"""Frozen entry point of the windowed executable (migo-desktop)."""

import sys

from migo_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
