"""Shared bits for the MigoClient tests: settings, sample bodies, a fake sleep, a recording hooks object."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from migo_desktop.core.client import MigoClient
from migo_desktop.core.settings import ApiSettings

TOKEN = "tok-SECRET-7f3a9c"
V1 = "https://api.migo.pe/api/v1"
V2 = "https://api.migo.pe/api/v2"
RUC = "20131312955"

RUC_BODY: dict[str, Any] = {
    "success": True,
    "ruc": RUC,
    "nombre_o_razon_social": "SUPERINTENDENCIA NACIONAL DE ADUANAS Y DE ADMINISTRACION TRIBUTARIA - SUNAT",
    "estado_del_contribuyente": "ACTIVO",
    "condicion_de_domicilio": "HABIDO",
    "ubigeo": "150101",
    "tipo_de_via": "AV.",
    "nombre_de_via": "GARCILASO DE LA VEGA",
    "codigo_de_zona": "-",
    "tipo_de_zona": "-",
    "numero": "1472",
    "interior": "-",
    "lote": "-",
    "dpto": "-",
    "manzana": "-",
    "kilometro": "-",
    "distrito": "LIMA",
    "provincia": "LIMA",
    "departamento": "LIMA",
    "direccion_simple": "AV. GARCILASO DE LA VEGA NRO. 1472",
    "direccion": "AV. GARCILASO DE LA VEGA NRO. 1472 LIMA LIMA LIMA",
    "actualizado_en": "2026-01-28 03:12:45",
}
DNI_BODY = {"success": True, "dni": "01234567", "nombre": "PEREZ GARCIA JUAN CARLOS"}
RATE_BODY = {
    "success": True,
    "fecha": "2026-01-29",
    "moneda": "USD",
    "precio_compra": "3.360",
    "precio_venta": "3.368",
}
RANGE_BODY = {
    "success": True,
    "data": [
        {"fecha": "2026-01-28", "moneda": "USD", "precio_compra": "3.350", "precio_venta": "3.358"},
        {"fecha": "2026-01-29", "moneda": "USD", "precio_compra": "3.360", "precio_venta": "3.368"},
    ],
}
REPS_BODY = {
    "success": True,
    "data": [
        {
            "documento": "DNI",
            "dni": "12345678",
            "nombre": "PEREZ GARCIA JUAN",
            "cargo": "GERENTE GENERAL",
            "fecha": "2015-03-02",
            "ruc": RUC,
        }
    ],
}
ACCOUNT_BODY = {
    "success": True,
    "nombre": "Estudio Contable",
    "email": "a@b.pe",
    "consultas_restantes": "950",
}


def settings(version: str = "v1", **kw: Any) -> ApiSettings:
    return ApiSettings(token=TOKEN, api_version=version, **kw)


class FakeSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


class RecordingHooks:
    def __init__(self, budget: int = 100) -> None:
        self.budget = budget
        self.retries: list[tuple[str, int | None, float]] = []
        self.throttled: list[float | None] = []
        self.asked = 0

    def allow_retry(self) -> bool:
        self.asked += 1
        if self.budget <= 0:
            return False
        self.budget -= 1
        return True

    def on_retry(self, reason: str, status: int | None, delay: float) -> None:
        self.retries.append((reason, status, delay))

    def on_throttled(self, retry_after: float | None) -> None:
        self.throttled.append(retry_after)


def run_with(
    fn: Callable[[MigoClient], Awaitable[Any]],
    *,
    version: str = "v1",
    sleep: FakeSleep | None = None,
    rnd: float = 0.5,
    **settings_kw: Any,
) -> Any:
    """Run ``fn(client)`` on a fresh client (fake sleep, fixed random) and close it."""

    async def main() -> Any:
        async with MigoClient(
            settings(version, **settings_kw), sleep=sleep or FakeSleep(), random=lambda: rnd
        ) as client:
            return await fn(client)

    return asyncio.run(main())
