"""`python -m migo_desktop.cli` = the `migo` command."""

import sys

from .command import main

sys.exit(main())
