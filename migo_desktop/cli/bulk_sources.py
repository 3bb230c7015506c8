"""`--fuente migo|padron|hibrido` for `migo bulk` and `migo resume`: the offline padrón as a source.

- ``padron``: every row from the padrón, free; no token needed (the client it still gets refuses any call,
  so nothing can be paid by mistake).
- ``hibrido``: the padrón first; Migo only for what it lacks or when it is older than --padron-dias.
- ``migo`` (default): the padrón is not used.
"""

from __future__ import annotations

import argparse
from typing import Any

import httpx

from ..core.errors import InputError
from ..core.padron import PadronStore
from ..core.padron.sources import DEFAULT_MAX_AGE_DAYS, PadronResolver, SourcePolicy
from ..core.settings import ApiSettings
from ..core.store import Store
from ..paths import app_paths
from .common import MissingToken, resolve_settings

__all__ = ["add_source_option", "padron_client_options", "padron_only_settings", "padron_resolver"]


def add_source_option(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fuente de los datos")
    group.add_argument(
        "--fuente",
        choices=[p.value for p in SourcePolicy],
        default=SourcePolicy.MIGO.value,
        help="migo: todo en vivo (por defecto) · padron: solo el padrón SUNAT de este equipo, gratis · "
        "hibrido: el padrón primero y Migo para lo que falte o si el padrón es antiguo",
    )
    group.add_argument(
        "--padron-dias",
        type=int,
        default=DEFAULT_MAX_AGE_DAYS,
        metavar="N",
        help=f"con --fuente hibrido, el padrón vale si tiene N días o menos ({DEFAULT_MAX_AGE_DAYS})",
    )


def _policy(args: argparse.Namespace) -> SourcePolicy:
    return SourcePolicy(getattr(args, "fuente", SourcePolicy.MIGO.value))


def padron_only_settings(args: argparse.Namespace) -> ApiSettings | None:
    """With --fuente padron and no token, settings that never reach the API; None otherwise."""
    if _policy(args) is not SourcePolicy.PADRON:
        return None
    try:
        return resolve_settings(args)
    except MissingToken:
        return ApiSettings(token="sin-token-solo-padron")


def _refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("--fuente padron: no se consulta la API", request=request)


def padron_client_options(args: argparse.Namespace) -> dict[str, Any]:
    if _policy(args) is SourcePolicy.PADRON:
        return {"transport": httpx.MockTransport(_refuse)}
    return {}


def padron_resolver(args: argparse.Namespace, store: Store, settings: ApiSettings) -> PadronResolver | None:
    policy = _policy(args)
    if policy is SourcePolicy.MIGO:
        return None
    padron = PadronStore.default(app_paths())
    if policy is SourcePolicy.PADRON and padron.info() is None:
        raise InputError(
            "No hay un padrón SUNAT en este equipo. Descárgalo primero con «migo padron descargar» "
            "o usa --fuente migo."
        )
    return PadronResolver(
        padron,
        store,
        policy,
        settings,
        max_age_days=getattr(args, "padron_dias", DEFAULT_MAX_AGE_DAYS),
        force_refresh=getattr(args, "sin_cache", False),
    )
