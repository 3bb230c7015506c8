"""`python -m migo_desktop.cli` = the `migo` command."""

import sys

from .main import main

sys.exit(main())
