"""What every `migo` subcommand shares: Spanish argparse, common options, settings, the client, exit codes.

Reused by every command group (lookup, exchange, account, bulk)::

    parser = subparsers.add_parser("bulk", help="...")
    add_common_options(parser)
    parser.set_defaults(func=lambda args: run_cli(lambda: _bulk(args), verbose=args.verbose))

    async def _bulk(args) -> int:
        settings = resolve_settings(args)           # may raise MissingToken (exit 3)
        async with open_client(settings) as client: ...
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from ..core.client import MigoClient
from ..core.errors import (
    ApiFailure,
    ApiUnavailable,
    AuthError,
    ConfigError,
    InputError,
    InvalidRequest,
    MigoError,
    QuotaExceeded,
)
from ..core.settings import USER_CONCURRENCY, ApiSettings
from .safe_text import terminal_text

__all__ = [
    "CONCURRENCY_RANGE",
    "EXIT_CODES_TEXT",
    "EXIT_AUTH",
    "EXIT_ERROR",
    "EXIT_INCOMPLETE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "DEMO_NOTE",
    "MissingToken",
    "SpanishArgumentParser",
    "add_common_options",
    "exit_code_for",
    "open_client",
    "resolve_settings",
    "run_cli",
    "setup_cli_logging",
]

# DESIGN.md §3
EXIT_OK = 0  # done (not found / invalid rows are results, not failures)
EXIT_ERROR = 1  # unexpected error
EXIT_USAGE = 2  # bad usage or unreadable input
EXIT_AUTH = 3  # authentication / quota problem (resumable)
EXIT_INCOMPLETE = 4  # service unavailable, cancelled (resumable)
EXIT_INTERRUPTED = 130  # Ctrl+C (resumable)

NO_PADRON = "Error: no hay padrón SUNAT en este equipo. Descárgalo con: migo padron descargar"
# What `migo --help`, `migo bulk --help` and the README say about them (a test keeps the three equal).
EXIT_CODES_TEXT = (
    "Códigos de salida: 0 terminado · 1 error inesperado · 2 uso incorrecto, número inválido o\n"
    "archivo ilegible · 3 problema de token o de saldo (reanudable) · 4 consulta masiva incompleta:\n"
    "servicio no disponible o consulta cancelada (reanudable) · 130 interrumpido con Ctrl+C (reanudable)."
)

CONCURRENCY_RANGE = USER_CONCURRENCY  # the same as Preferencias in the app
DEMO_NOTE = "Modo demostración: datos simulados (no se consultó la API real ni se consumieron consultas)."
log = logging.getLogger(__name__)


class MissingToken(ConfigError):
    default_message = (
        "No hay un token de la API de Migo. Guárdalo en Preferencias de la aplicación, ponlo en la variable "
        "de entorno MIGO_TOKEN o pásalo por la entrada estándar con --token-stdin. Para probar sin token usa "
        "--demo."
    )


# -- argparse in Spanish -----------------------------------------------------------------------------------
_ARGPARSE_ES = [
    ("the following arguments are required: ", "faltan argumentos obligatorios: "),
    ("unrecognized arguments: ", "argumentos no reconocidos: "),
    ("invalid choice: ", "opción no válida: "),
    ("(choose from ", "(elige entre "),
    ("expected one argument", "falta el valor de la opción"),
    ("expected at least one argument", "falta al menos un valor"),
    ("not allowed with argument", "no se puede usar junto con"),
    ("invalid int value: ", "número entero no válido: "),
    ("ambiguous option: ", "opción ambigua: "),
    ("could match", "puede ser"),
    ("argument ", "argumento "),
]


class SpanishHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        return super().add_usage(usage, actions, groups, prefix if prefix is not None else "uso: ")


class SpanishArgumentParser(argparse.ArgumentParser):
    """argparse with Spanish headings, help and error messages; errors exit with code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", SpanishHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # our own -h, with a Spanish help text
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opciones"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, spanish in _ARGPARSE_ES:
            message = message.replace(english, spanish)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """--token-stdin, --token-fd, --token, --base-url, --api-version, --demo, --json, --concurrencia, -v."""
    group = parser.add_argument_group("conexión y salida")
    group.add_argument(
        "--token-stdin",
        action="store_true",
        help="lee el token de la primera línea de la entrada estándar (p. ej. de un gestor de contraseñas)",
    )
    group.add_argument(
        "--token-fd",
        type=int,
        metavar="N",
        help="lee el token del descriptor de archivo N (p. ej. 3 3<token.txt)",
    )
    group.add_argument(
        "--token",
        help="token de la API; desaconsejado: otros usuarios lo ven en la lista de procesos. Si no se indica "
        "se usa MIGO_TOKEN o el guardado en la app",
    )
    group.add_argument("--base-url", help="dirección de la API (por defecto https://api.migo.pe/api/v1)")
    group.add_argument("--api-version", choices=("v1", "v2"), help="versión de la API (por defecto v1)")
    group.add_argument("--demo", action="store_true", help="usa datos simulados, sin token ni consumo")
    group.add_argument("--json", action="store_true", help="salida en JSON (para otros programas)")
    low, high = CONCURRENCY_RANGE
    group.add_argument(
        "--concurrencia",
        type=_concurrency,
        metavar="N",
        help=f"consultas simultáneas como máximo ({low} a {high}, por defecto 10; como en Preferencias)",
    )
    group.add_argument(
        "-v", "--verbose", action="count", default=0, help="muestra detalles y errores completos (-vv: más)"
    )


def _concurrency(text: str) -> int:
    low, high = CONCURRENCY_RANGE
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"número entero no válido: {text!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"debe estar entre {low} y {high} (como en Preferencias)")
    return value


def _demo_forced() -> bool:
    return os.environ.get("MIGO_DEMO", "").strip().lower() in ("1", "true", "yes", "si", "sí")


def _token_from_stream(args: argparse.Namespace) -> str:
    """The token from --token-stdin or --token-fd N (one line; never visible in the process list)."""
    fd = getattr(args, "token_fd", None)
    if getattr(args, "token_stdin", False):
        source, where = sys.stdin.readline() if sys.stdin is not None else "", "la entrada estándar"
    elif fd is not None:
        try:
            with os.fdopen(fd, "r", encoding="utf-8", closefd=True) as stream:
                source = stream.readline()
        except OSError as exc:
            raise ConfigError(
                f"No se pudo leer el token del descriptor {fd} ({exc.strerror}). Revisa la redirección, "
                f"por ejemplo: migo … --token-fd 3 3<token.txt",
                detail=repr(exc),
            ) from exc
        where = f"el descriptor {fd}"
    else:
        return ""
    token = source.strip()
    if not token:
        raise ConfigError(f"No se recibió ningún token por {where}. Envía el token en la primera línea.")
    return token


def resolve_settings(args: argparse.Namespace) -> ApiSettings:
    """Settings from options > environment > keyring. Raises MissingToken (exit 3) or ConfigError (exit 2)."""
    from ..logs import register_secret

    concurrency = getattr(args, "concurrencia", None)
    api_version = getattr(args, "api_version", None)
    if getattr(args, "demo", False) or _demo_forced():
        from ..demo import demo_settings

        overrides = {"concurrency": concurrency, "api_version": api_version}
        return demo_settings(**{k: v for k, v in overrides.items() if v is not None})
    token = _token_from_stream(args) or (getattr(args, "token", None) or "").strip()
    token = token or os.environ.get("MIGO_TOKEN", "").strip()
    if not token:
        from ..credentials import get_token

        token = get_token() or ""
    if not token:
        raise MissingToken()
    register_secret(token)
    return ApiSettings.from_env(
        token=token,
        base_url=getattr(args, "base_url", None),
        api_version=api_version,
        concurrency=concurrency,
        demo=False,
    )


def open_client(settings: ApiSettings, **kwargs: Any) -> MigoClient:
    """A MigoClient; in demo mode wired to the embedded demo API (no network)."""
    if settings.demo and "transport" not in kwargs:
        from ..demo import DemoApi

        kwargs["transport"] = DemoApi().transport()
    return MigoClient(settings, **kwargs)


def exit_code_for(exc: BaseException) -> int:
    if isinstance(exc, (AuthError, QuotaExceeded, MissingToken)):
        return EXIT_AUTH
    if isinstance(exc, ApiUnavailable):
        return EXIT_INCOMPLETE
    if isinstance(exc, (InputError, ConfigError, InvalidRequest)):
        return EXIT_USAGE
    if isinstance(exc, (KeyboardInterrupt, asyncio.CancelledError)):
        return EXIT_INTERRUPTED
    if isinstance(exc, (ApiFailure, MigoError)):
        return EXIT_ERROR
    return EXIT_ERROR


def setup_cli_logging(verbose: int = 0) -> None:
    """Log to the rotating file (and to stderr with -v); the token is registered as a secret elsewhere."""
    from ..logs import logging_problem, setup_logging
    from ..paths import app_paths

    level = logging.DEBUG if verbose >= 2 else logging.INFO
    try:
        setup_logging(app_paths().ensure().log_dir, level=level, console=verbose >= 1)
        if problem := logging_problem():
            print(f"Aviso: {problem}", file=sys.stderr)
    except OSError as exc:  # an unwritable log folder must not stop a lookup
        print(f"Aviso: no se pudo abrir el registro ({exc.strerror}).", file=sys.stderr)


def run_cli(target: Callable[[], Awaitable[int | None]] | Awaitable[int | None], *, verbose: int = 0) -> int:
    """Run a coroutine (or a factory of one) on a new loop; map MigoErrors to exit codes and Spanish text."""
    try:
        coro = target() if callable(target) else target
        result = asyncio.run(_as_coroutine(coro))
        return EXIT_OK if result is None else int(result)
    except KeyboardInterrupt:
        print("\nInterrumpido. Lo ya consultado queda guardado.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `migo ruc … | head`: the reader went away; that is not an error of ours. Point stdout at devnull
        # so the interpreter's final flush does not raise again.
        _silence_stdout()
        return EXIT_OK
    except MigoError as exc:
        log.warning("Command failed: %s: %s", type(exc).__name__, exc)
        if verbose:
            traceback.print_exc(file=sys.stderr)
        print(f"Error: {terminal_text(exc.user_message)}", file=sys.stderr)  # it may quote the API
        return exit_code_for(exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence of a command-line tool
        log.exception("Unexpected error in the command line")
        if verbose:
            traceback.print_exc(file=sys.stderr)
        print(
            f"Error inesperado ({type(exc).__name__}). Los detalles están en el registro; "
            "vuelve a intentarlo con -v para verlos aquí.",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


async def _as_coroutine(awaitable: Awaitable[int | None]) -> int | None:
    return await awaitable
