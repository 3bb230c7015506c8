"""The `migo` command: consultas de RUC, DNI, tipo de cambio y cuenta (the bulk commands live in cli_bulk).

migo ruc 20131312955 20100070970        migo dni 12345678 --json
migo tc --fecha 29/01/2026              migo tc --desde 2026-01-01 --hasta 2026-01-31
migo cuenta
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from datetime import date, datetime
from typing import Any

from .cli_common import (
    DEMO_NOTE,
    EXIT_ERROR,
    EXIT_INCOMPLETE,
    EXIT_OK,
    EXIT_USAGE,
    SpanishArgumentParser,
    add_common_options,
    open_client,
    resolve_settings,
    run_cli,
    setup_cli_logging,
)
from .cli_format import (
    account_card,
    account_dict,
    dumps,
    invalid_line,
    rates_table,
    representatives_block,
    result_card,
)
from .core.errors import ApiFailure, ApiUnavailable, InvalidRequest
from .core.ids import parse_identifier
from .core.models import IdKind, LookupResult, LookupStatus

__all__ = ["build_parser", "main", "parse_day"]

_DESCRIPTION = """Consulta RUC, DNI y tipo de cambio con la API de Migo.

El token se toma de --token, de la variable MIGO_TOKEN o del guardado por la aplicación.
Sin token, usa --demo para probar con datos simulados.

Códigos de salida: 0 listo · 1 error inesperado · 2 uso incorrecto o número inválido ·
3 problema de token o de saldo · 4 servicio no disponible · 130 interrumpido."""


# -- arguments -----------------------------------------------------------------------------------------------
def parse_day(text: str) -> date:
    """YYYY-MM-DD or DD/MM/YYYY."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"fecha no válida: «{text}» (usa AAAA-MM-DD o DD/MM/AAAA)")


def build_parser() -> tuple[argparse.ArgumentParser, Any]:
    parser = SpanishArgumentParser(prog="migo", description=_DESCRIPTION)
    subparsers = parser.add_subparsers(title="comandos", dest="command", metavar="COMANDO")

    ruc = subparsers.add_parser("ruc", help="consulta uno o más RUC", description="Consulta uno o más RUC.")
    ruc.add_argument("numeros", nargs="+", metavar="RUC", help="número de RUC (11 dígitos)")
    ruc.add_argument(
        "--representantes", action="store_true", help="muestra también los representantes legales"
    )
    add_common_options(ruc)
    ruc.set_defaults(func=_cmd_ruc)

    dni = subparsers.add_parser("dni", help="consulta uno o más DNI", description="Consulta uno o más DNI.")
    dni.add_argument("numeros", nargs="+", metavar="DNI", help="número de DNI (8 dígitos)")
    add_common_options(dni)
    dni.set_defaults(func=_cmd_dni)

    tc = subparsers.add_parser(
        "tc",
        help="tipo de cambio del dólar (SUNAT)",
        description="Tipo de cambio: el último publicado, el de una fecha o el de un rango de fechas.",
    )
    when = tc.add_mutually_exclusive_group()
    when.add_argument("--fecha", type=parse_day, metavar="F", help="una fecha (AAAA-MM-DD o DD/MM/AAAA)")
    when.add_argument("--desde", type=parse_day, metavar="F", help="inicio del rango (con --hasta)")
    tc.add_argument("--hasta", type=parse_day, metavar="F", help="fin del rango (con --desde)")
    add_common_options(tc)
    tc.set_defaults(func=_cmd_tc)

    cuenta = subparsers.add_parser(
        "cuenta", help="datos y saldo de tu cuenta", description="Datos de tu cuenta."
    )
    add_common_options(cuenta)
    cuenta.set_defaults(func=_cmd_cuenta)
    return parser, subparsers


def _tolerant_streams() -> None:
    """A name with a character the console cannot show (cp1252 pipes on Windows) must not crash the output."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a closed or detached stream
                reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> int:
    _tolerant_streams()
    parser, subparsers = build_parser()
    try:
        from . import cli_bulk  # written separately: bulk, jobs, resume, export
    except ImportError:
        pass
    else:
        cli_bulk.register(subparsers)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or bad usage (2)
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_USAGE)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    setup_cli_logging(getattr(args, "verbose", 0))
    return int(func(args))


# -- ruc / dni -----------------------------------------------------------------------------------------------
def _cmd_ruc(args: argparse.Namespace) -> int:
    return _lookup_command(args, IdKind.RUC)


def _cmd_dni(args: argparse.Namespace) -> int:
    return _lookup_command(args, IdKind.DNI)


def _check(raw: str, kind: IdKind) -> tuple[str | None, str | None]:
    """(number, None) or (None, Spanish reason) — validated locally, before spending a query."""
    check = parse_identifier(raw, expect=kind)
    if check.ok and check.kind is kind:
        return check.number, None
    if check.ok and check.kind is IdKind.DNI:
        return None, "Tiene 8 dígitos: es un DNI, no un RUC (usa «migo dni»)"
    if check.ok and check.kind is IdKind.RUC:
        return None, "Tiene 11 dígitos: es un RUC, no un DNI (usa «migo ruc»)"
    return None, check.reason or "Número no válido"


def _lookup_command(args: argparse.Namespace, kind: IdKind) -> int:
    entries: list[tuple[str, str | None, str | None]] = []  # (raw, number, reason), duplicates dropped
    seen: set[str] = set()
    for raw in args.numeros:
        number, reason = _check(raw, kind)
        if number is not None and number in seen:
            continue
        if number is not None:
            seen.add(number)
        entries.append((raw, number, reason))
    invalid = [(raw, reason) for raw, number, reason in entries if number is None]
    if not args.json:
        for raw, reason in invalid:
            print(invalid_line(raw, reason or ""), file=sys.stderr)
    if len(invalid) == len(entries):  # nothing worth an API call
        if args.json:
            print(dumps([_invalid_dict(kind, raw, reason) for raw, _, reason in entries]))
        return EXIT_USAGE
    code = run_cli(lambda: _lookup(args, kind, entries), verbose=args.verbose)
    return EXIT_USAGE if code == EXIT_OK and invalid else code


def _invalid_dict(kind: IdKind, raw: str, reason: str | None) -> dict[str, Any]:
    return LookupResult(kind, str(raw), LookupStatus.INVALID, message=reason or "").to_dict()


async def _lookup(
    args: argparse.Namespace, kind: IdKind, entries: list[tuple[str, str | None, str | None]]
) -> int:
    settings = resolve_settings(args)
    if settings.demo:
        print(DEMO_NOTE, file=sys.stderr)
    gate = asyncio.Semaphore(args.concurrencia or settings.concurrency)
    numbers = [number for _, number, _ in entries if number is not None]
    codes: set[int] = set()
    with_reps = kind is IdKind.RUC and getattr(args, "representantes", False)

    async with open_client(settings) as client:

        async def one(number: str) -> tuple[LookupResult, list[Any] | None]:
            async with gate:
                try:
                    result = await (client.ruc(number) if kind is IdKind.RUC else client.dni(number))
                except InvalidRequest as exc:
                    codes.add(EXIT_USAGE)
                    return LookupResult(kind, number, LookupStatus.INVALID, message=exc.user_message), None
                except (ApiUnavailable, ApiFailure) as exc:
                    codes.add(EXIT_INCOMPLETE if isinstance(exc, ApiUnavailable) else EXIT_ERROR)
                    return LookupResult(kind, number, LookupStatus.ERROR, message=exc.user_message), None
                reps = None
                if with_reps and result.status is LookupStatus.OK:
                    try:
                        reps = await client.representatives(number)
                    except (ApiUnavailable, ApiFailure) as exc:  # the taxpayer answer still counts
                        codes.add(EXIT_INCOMPLETE if isinstance(exc, ApiUnavailable) else EXIT_ERROR)
                        print(
                            f"{number}: representantes legales no disponibles: {exc.user_message}",
                            file=sys.stderr,
                        )
                return result, reps

        answers = dict(zip(numbers, await _gather_or_cancel([one(n) for n in numbers]), strict=True))

    _print_results(args, kind, entries, answers)
    for code in (EXIT_INCOMPLETE, EXIT_ERROR, EXIT_USAGE):
        if code in codes:
            return code
    return EXIT_OK


async def _gather_or_cancel(coros: list[Any]) -> list[Any]:
    """Like gather, but an error (e.g. a bad token) cancels the siblings instead of leaving them running."""
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _print_results(args, kind, entries, answers) -> None:  # type: ignore[no-untyped-def]
    if args.json:
        out = []
        for raw, number, reason in entries:
            if number is None:
                out.append(_invalid_dict(kind, raw, reason))
                continue
            result, reps = answers[number]
            item = result.to_dict()
            if reps is not None:
                item["representantes"] = [r.to_dict() for r in reps]
            out.append(item)
        print(dumps(out))
        return
    cards = []
    for _, number, _ in entries:
        if number is None:
            continue
        result, reps = answers[number]
        card = result_card(result)
        cards.append(card + ("\n" + representatives_block(reps) if reps is not None else ""))
    print("\n\n".join(cards))


# -- tc and cuenta -------------------------------------------------------------------------------------------
def _cmd_tc(args: argparse.Namespace) -> int:
    if (args.desde is None) != (args.hasta is None):
        print("Error: para un rango indica --desde y --hasta.", file=sys.stderr)
        return EXIT_USAGE
    if args.desde and args.desde > args.hasta:
        print("Error: --desde debe ser anterior o igual a --hasta.", file=sys.stderr)
        return EXIT_USAGE
    return run_cli(lambda: _tc(args), verbose=args.verbose)


async def _tc(args: argparse.Namespace) -> int:
    settings = resolve_settings(args)
    if settings.demo:
        print(DEMO_NOTE, file=sys.stderr)
    async with open_client(settings) as client:
        if args.desde:
            rates = await client.exchange_range(args.desde, args.hasta)
            print(dumps([r.to_dict() for r in rates]) if args.json else rates_table(rates))
            return EXIT_OK
        rate = await client.exchange_date(args.fecha) if args.fecha else await client.exchange_latest()
    if args.json:
        print(dumps(rate.to_dict() if rate else None))
    else:
        print(rates_table([rate] if rate else []))
    return EXIT_OK


def _cmd_cuenta(args: argparse.Namespace) -> int:
    return run_cli(lambda: _cuenta(args), verbose=args.verbose)


async def _cuenta(args: argparse.Namespace) -> int:
    settings = resolve_settings(args)
    if settings.demo:
        print(DEMO_NOTE, file=sys.stderr)
    async with open_client(settings) as client:
        account = await client.account()
    print(dumps(account_dict(account)) if args.json else account_card(account))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
