"""Helpers for the demo API tests: valid numbers, and one-shot calls through the in-process transport."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from stdnum.pe import ruc as stdnum_ruc

from migo_desktop.demo import DEMO_BASE_URL, DEMO_TOKEN, DemoApi, DemoRequest


def make_ruc(prefix: str, serial: int) -> str:
    """A RUC with a valid check digit: prefix + 8 digits + check digit."""
    base = f"{prefix}{serial:08d}"
    return base + stdnum_ruc.calc_check_digit(base)


def valid_rucs(count: int, prefix: str = "20", start: int = 60_000_000, step: int = 7_919) -> list[str]:
    return [make_ruc(prefix, start + i * step) for i in range(count)]


def handle(api: DemoApi, endpoint: str, token: str | None = DEMO_TOKEN, **body: Any):
    """Synchronous v1 call straight into DemoApi.handle (fast, for bulk statistics)."""
    payload = dict(body) if token is None else {"token": token, **body}
    return api.handle(DemoRequest("POST", f"/api/v1/{endpoint}", body=json.dumps(payload).encode()))


async def apost(client: httpx.AsyncClient, endpoint: str, token: str | None = DEMO_TOKEN, **body: Any):
    payload = dict(body) if token is None else {"token": token, **body}
    return await client.post(f"/{endpoint}", json=payload)


def post(api: DemoApi, endpoint: str, token: str | None = DEMO_TOKEN, **body: Any) -> httpx.Response:
    """One v1 call through ``api.transport()`` and a real ``httpx.AsyncClient``."""

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=api.transport(), base_url=DEMO_BASE_URL) as client:
            return await apost(client, endpoint, token, **body)

    return asyncio.run(go())


def get_v2(api: DemoApi, path: str, token: str | None = DEMO_TOKEN, **params: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        headers = {"Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        async with httpx.AsyncClient(
            transport=api.transport(), base_url="https://demo.migo.invalid/api/v2"
        ) as c:
            return await c.get(path, headers=headers, params=params or None)

    return asyncio.run(go())
