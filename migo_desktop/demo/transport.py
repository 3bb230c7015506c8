"""DemoTransport: DemoApi behind ``httpx.AsyncBaseTransport``, acting out faults like a real connection.

- latency: ``asyncio.sleep`` (cancellable; a cancelled request records nothing);
- the request's read timeout (``request.extensions["timeout"]["read"]``, set by ``httpx.AsyncClient``) is
  honoured over latency + hang, raising ``httpx.ReadTimeout`` as httpcore would;
- reset: ``httpx.ReadError`` (RST) or ``httpx.RemoteProtocolError`` (server closed without answering);
- hang: no answer for ``hang_seconds`` (then the server gives up and closes: ``RemoteProtocolError``).
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import httpx

from .faults import Fault, FaultDecision, FaultPlan
from .replies import Reply
from .request import DemoRequest

__all__ = ["DemoTransport"]


class DemoService(Protocol):
    """What the transport needs of ``DemoApi`` (typed structurally, so api.py can build transports)."""

    @property
    def faults(self) -> FaultPlan: ...

    async def process(self, request: DemoRequest) -> Reply | FaultDecision: ...


class DemoTransport(httpx.AsyncBaseTransport):
    def __init__(self, api: DemoService) -> None:
        self.api = api

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        demo_request = DemoRequest(
            method=request.method,
            path=request.url.path,
            query=dict(request.url.params),
            authorization=request.headers.get("authorization"),
            body=body,
        )
        timeouts = request.extensions.get("timeout") or {}
        read_timeout = timeouts.get("read")
        try:
            async with asyncio.timeout(read_timeout):
                outcome = await self.api.process(demo_request)
                if not isinstance(outcome, Reply) and outcome.fault is Fault.HANG:
                    await asyncio.sleep(self.api.faults.hang_seconds)
        except TimeoutError:
            raise httpx.ReadTimeout("The read operation timed out", request=request) from None
        if isinstance(outcome, Reply):
            return httpx.Response(
                outcome.status,
                headers=list(outcome.headers),
                content=outcome.body,
                request=request,
            )
        if outcome.fault is Fault.RESET and outcome.rst:
            raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
