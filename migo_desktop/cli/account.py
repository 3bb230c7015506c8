"""`migo cuenta`: the account's data and remaining queries."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import DEMO_NOTE, EXIT_OK, add_common_options, open_client, resolve_settings, run_cli
from .format import account_card, account_dict, dumps

__all__ = ["register"]


def register(subparsers: Any) -> None:
    cuenta = subparsers.add_parser(
        "cuenta", help="datos y saldo de tu cuenta", description="Datos de tu cuenta."
    )
    add_common_options(cuenta)
    cuenta.set_defaults(func=_cmd_cuenta)


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
