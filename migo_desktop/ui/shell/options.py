"""The desktop app's command line: ``migo-desktop [--version] [--help]`` answered without Qt or a display.

Only the standard library is imported here, so ``--help`` and ``--version`` work on a server without X, and
fast. Anything this parser does not know (Qt's own options such as ``-platform offscreen`` or ``-style``) is
passed on to QApplication untouched. ``--smoke-test`` is a hidden check used by the bundle smoke test:
start, build every page, close cleanly, exit 0 only if nothing failed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ... import APP_NAME, __version__

__all__ = ["GuiOptions", "parse_options"]


class GuiOptions(argparse.Namespace):
    smoke_test: bool = False


class _SpanishHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix or "Uso: ")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="migo-desktop",
        description=f"{APP_NAME}: consulta masiva de RUC, DNI y tipo de cambio desde Excel.",
        epilog=(
            "Sin token de Migo la aplicación abre en modo demostración. Variables de entorno: MIGO_TOKEN, "
            "MIGO_DATA_DIR, MIGO_DEMO=1. Para la línea de comandos, usa «migo --help»."
        ),
        formatter_class=_SpanishHelp,
        add_help=False,
    )
    parser._optionals.title = "opciones"
    parser.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")
    parser.add_argument(
        "--version",
        action="version",
        version=f"{APP_NAME} {__version__}",
        help="muestra la versión y termina",
    )
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    return parser


def _console_streams() -> None:
    """A windowed Windows executable has no stdout: attach to the console it was started from, if any, so
    ``migo-desktop --version`` typed in a terminal still prints."""
    if os.name != "nt" or sys.stdout is not None:
        return
    import ctypes

    attach_parent_process = -1
    if ctypes.windll.kernel32.AttachConsole(attach_parent_process):  # type: ignore[attr-defined]
        sys.stdout = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        sys.stderr = sys.stdout


def parse_options(argv: Sequence[str]) -> tuple[GuiOptions, list[str]]:
    """(our options, the arguments left for Qt). ``--help``/``--version`` print and raise SystemExit(0)."""
    if any(arg in ("-h", "--help", "--version") for arg in argv):
        _console_streams()
    options, rest = _parser().parse_known_args(list(argv), namespace=GuiOptions())
    return options, rest
