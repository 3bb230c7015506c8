"""The `migo` command line: a thin face over core/ and excel/ (no Qt, nothing from ui/).

main.py      parser and entry point          common.py  options, settings, exit codes, run_cli
lookup.py    migo ruc / dni                  format.py  cards, tables and JSON for the terminal
exchange.py  migo tc                         bulk.py    migo bulk / jobs / resume / export
account.py   migo cuenta                     padron.py  migo padron (the offline SUNAT register)

May import: core, excel, demo, paths, logs, credentials. Never ui or Qt.
"""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
