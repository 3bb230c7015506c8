"""`migo ruc` and `migo dni`: one or more numbers, validated locally before any query is spent.

migo ruc 20131312955 20100070970        migo dni 12345678 --json
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from ..core.errors import ApiFailure, ApiUnavailable, InvalidRequest
from ..core.ids import parse_identifier
from ..core.models import IdKind, LookupResult, LookupStatus
from .common import (
    DEMO_NOTE,
    EXIT_ERROR,
    EXIT_INCOMPLETE,
    EXIT_OK,
    EXIT_USAGE,
    NO_PADRON,
    add_common_options,
    open_client,
    resolve_settings,
    run_cli,
)
from .format import dumps, invalid_line, representatives_block, result_card
from .safe_text import terminal_text

__all__ = ["register"]


def register(subparsers: Any) -> None:
    ruc = subparsers.add_parser("ruc", help="consulta uno o más RUC", description="Consulta uno o más RUC.")
    ruc.add_argument("numeros", nargs="+", metavar="RUC", help="número de RUC (11 dígitos)")
    ruc.add_argument(
        "--representantes", action="store_true", help="muestra también los representantes legales"
    )
    ruc.add_argument(
        "--fuente",
        choices=("migo", "padron"),
        default="migo",
        help="migo: en vivo (por defecto) · padron: el padrón SUNAT de este equipo, gratis y sin token",
    )
    add_common_options(ruc)
    ruc.set_defaults(func=_cmd_ruc)

    dni = subparsers.add_parser("dni", help="consulta uno o más DNI", description="Consulta uno o más DNI.")
    dni.add_argument("numeros", nargs="+", metavar="DNI", help="número de DNI (8 dígitos)")
    add_common_options(dni)
    dni.set_defaults(func=_cmd_dni)


# -- commands -----------------------------------------------------------------------------------------------
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
    if getattr(args, "fuente", "migo") == "padron":
        code = from_padron(args, entries)
    else:
        code = run_cli(lambda: _lookup(args, kind, entries), verbose=args.verbose)
    return EXIT_USAGE if code == EXIT_OK and invalid else code


def from_padron(args: argparse.Namespace, entries: list[tuple[str, str | None, str | None]]) -> int:
    """`migo ruc N --fuente padron`: answered from the offline padrón; no token, no call, no cost."""
    from ..core.padron import PadronStore, not_in_padron, to_result
    from ..paths import app_paths

    padron = PadronStore.default(app_paths())
    info = padron.info()
    if info is None:
        print(NO_PADRON, file=sys.stderr)
        return EXIT_USAGE
    numbers = [number for _, number, _ in entries if number is not None]
    found = padron.lookup_many(numbers)
    answers: dict[str, tuple[LookupResult, list[Any] | None]] = {}
    for number in numbers:
        record = found.get(number)
        result = to_result(record, info.fecha) if record else not_in_padron(number, info.fecha)
        answers[number] = (result, None)
    _print_results(args, IdKind.RUC, entries, answers)
    return EXIT_OK


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
                            f"{number}: representantes legales no disponibles: "
                            + terminal_text(exc.user_message),
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
