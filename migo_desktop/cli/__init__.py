"""The `migo` command line: a thin face over core/ and excel/ (no Qt, nothing from ui/).

command.py   parser and entry point          common.py  options, settings, exit codes, run_cli
lookup.py    migo ruc / dni                  format.py  cards, tables and JSON for the terminal
exchange.py  migo tc                         bulk.py    migo bulk / jobs / resume / export
account.py   migo cuenta                     padron.py  migo padron (the offline SUNAT register)

May import: core, excel, demo, paths, logs, credentials. Never ui or Qt.

Importing this package costs nothing; ``main`` loads the command line when called. The `migo` script and
the frozen console entry import it at the top, and every workbook-reader child they spawn
(``excel.isolated``) runs that script again: with the whole CLI loaded there (~0.5 s of imports), a big
workbook's parse started half a second late.
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    """The `migo` command (``cli.command.main``)."""
    from .command import main as run

    return run(argv)


def build_parser() -> tuple[argparse.ArgumentParser, Any]:
    from .command import build_parser as build

    return build()
