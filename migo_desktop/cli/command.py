"""The `migo` parser and entry point: each command group registers its own sub-commands.

migo ruc|dni (lookup.py) · migo tc (exchange.py) · migo cuenta (account.py) ·
migo bulk|jobs|resume|export (bulk.py) · migo padron (padron.py)
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import multiprocessing
import sys
from typing import Any

from .. import APP_NAME, __version__
from ..core.errors import MigoError
from . import account, bulk, exchange, lookup, padron
from .common import (
    EXIT_CODES_TEXT,
    EXIT_OK,
    EXIT_USAGE,
    SpanishArgumentParser,
    exit_code_for,
    setup_cli_logging,
)

__all__ = ["build_parser", "main"]

log = logging.getLogger(__name__)

_DESCRIPTION = (
    """Consulta RUC, DNI y tipo de cambio con la API de Migo.

El token se toma del guardado por la aplicación, de la variable MIGO_TOKEN o de la entrada estándar
con --token-stdin (o de un descriptor con --token-fd N).
Sin token, usa --demo para probar con datos simulados.

Los resultados y el resumen final salen por la salida estándar; el avance y los avisos, por la de errores.

"""
    + EXIT_CODES_TEXT
)


def build_parser() -> tuple[argparse.ArgumentParser, Any]:
    parser = SpanishArgumentParser(prog="migo", description=_DESCRIPTION)
    parser.add_argument(
        "--version",
        action="version",
        version=f"migo ({APP_NAME}) {__version__}",
        help="muestra la versión y termina",
    )
    subparsers = parser.add_subparsers(title="comandos", dest="command", metavar="COMANDO")
    for group in (lookup, exchange, account, bulk, padron):
        group.register(subparsers)
    return parser, subparsers


def _tolerant_streams() -> None:
    """A name with a character the console cannot show (cp1252 pipes on Windows) must not crash the output."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a closed or detached stream
                reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()  # a frozen build's workbook-reader child (excel/isolated.py) starts here
    _tolerant_streams()
    parser, _ = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or bad usage (2)
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_USAGE)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    setup_cli_logging(getattr(args, "verbose", 0))
    try:
        return int(func(args))
    except MigoError as exc:  # e.g. `migo jobs` with an unwritable data folder: a diagnosis, not a traceback
        log.warning("Command failed: %s", exc)
        print(f"Error: {exc.user_message}", file=sys.stderr)
        return exit_code_for(exc)
