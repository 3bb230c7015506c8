"""The demo API over real HTTP/1.1 on 127.0.0.1 (an ``aiohttp.web`` app), for benchmarks and subprocess
tests. Same answers as the in-process transport (both call ``DemoApi``).

    python -m tests.support.demo_server --host 127.0.0.1 --port 0 [--latency S] [--jitter S] [--p-5xx P]
        [--p-429 P] [--retry-after S|none] [--p-reset P] [--p-hang P] [--hang-seconds S] [--token T ...]
        [--seed N] [--quota N] [--quota-status CODE] [--collection data|list|none]
        [--per-second R] [--burst B] [--window-limit N] [--window-seconds S] [--no-rate-headers]

Prints ``LISTENING http://127.0.0.1:PORT`` once (flushed) and serves until SIGTERM/SIGINT.
Faults over the wire: reset = the socket is closed abruptly (RST, or FIN without an answer); hang = no answer
until the client gives up or ``hang_seconds`` pass. ``GET /__stats`` returns the stats JSON; ``POST /__reset``
clears stats, quota use, rate-limit windows and fault counters.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import socket
import struct
import sys

from aiohttp import web

from migo_desktop.core.settings import DEMO_TOKEN
from migo_desktop.demo.api import DemoApi
from migo_desktop.demo.faults import Fault, FaultDecision, FaultPlan
from migo_desktop.demo.limits import RateLimitPlan
from migo_desktop.demo.replies import Reply
from migo_desktop.demo.request import DemoRequest

__all__ = ["DemoServer", "build_api", "build_app", "main", "parse_args"]

log = logging.getLogger(__name__)
MAX_BODY = 1_000_000


def build_app(api: DemoApi, peers: set[object] | None = None) -> web.Application:
    """``peers`` collects the client address of every request (keep-alive checks count connections)."""
    app = web.Application(client_max_size=MAX_BODY)

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response(api.stats.snapshot().to_json())

    async def reset(_request: web.Request) -> web.Response:
        api.reset()
        return web.json_response({"success": True})

    async def handle(request: web.Request) -> web.StreamResponse:
        if peers is not None and request.transport is not None:
            peers.add(request.transport.get_extra_info("peername"))
        demo_request = DemoRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            authorization=request.headers.get("Authorization"),
            body=await request.read(),
        )
        try:
            outcome = await api.process(demo_request)
        except Exception:  # a bug in the demo must look like a server error
            log.exception("demo server failed on %s %s", request.method, request.path)
            outcome = Reply(500, b'{"message":"Server Error"}')
        if isinstance(outcome, FaultDecision):
            return await _act_out(outcome, request, api.faults.hang_seconds)
        return web.Response(status=outcome.status, body=outcome.body, headers=dict(outcome.headers))

    app.router.add_get("/__stats", stats)
    app.router.add_post("/__reset", reset)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


async def _act_out(decision: FaultDecision, request: web.Request, hang_seconds: float) -> web.StreamResponse:
    transport = request.transport
    if decision.fault is Fault.HANG:
        # Say nothing until the client gives up (the connection closes) or hang_seconds pass; then close.
        loop = asyncio.get_running_loop()
        end = loop.time() + hang_seconds
        while loop.time() < end and transport is not None and not transport.is_closing():
            await asyncio.sleep(min(0.05, end - loop.time()))
    elif decision.rst and transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                linger = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        transport.abort()
        raise asyncio.CancelledError  # nothing more to write on this connection
    if transport is not None:
        transport.close()
    raise asyncio.CancelledError


class DemoServer:
    """Serve ``api`` on ``host:port`` (port 0 picks a free one). Start and stop on the same event loop."""

    def __init__(self, api: DemoApi, host: str = "127.0.0.1", port: int = 0) -> None:
        self.api = api
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None
        self.peers: set[object] = set()

    @property
    def accepted(self) -> int:
        """Client connections seen so far (keep-alive checks)."""
        return len(self.peers)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        self._runner = web.AppRunner(build_app(self.api, self.peers), access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, backlog=512)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


# --- command line -------------------------------------------------------------------------------------------
def _retry_after(text: str) -> float | None:
    return None if text.lower() in ("none", "") else float(text)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.support.demo_server", description="Demo Migo API.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    p.add_argument("--jitter", type=float, default=0.0, help="extra uniform random seconds")
    p.add_argument("--p-5xx", type=float, default=0.0, dest="p_5xx")
    p.add_argument("--p-429", type=float, default=0.0, dest="p_429")
    p.add_argument("--retry-after", type=_retry_after, default=1.0, help="seconds, or 'none'")
    p.add_argument("--p-reset", type=float, default=0.0)
    p.add_argument("--p-hang", type=float, default=0.0)
    p.add_argument("--hang-seconds", type=float, default=30.0)
    p.add_argument("--token", action="extend", nargs="+", dest="tokens", help=f"default: {DEMO_TOKEN}")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--quota", type=int, default=None)
    p.add_argument("--quota-status", type=int, default=403)
    p.add_argument("--collection", choices=("data", "list", "none"), default="data")
    p.add_argument("--per-second", type=float, default=None, help="token bucket: requests per second")
    p.add_argument("--burst", type=int, default=None, help="token bucket size")
    p.add_argument("--window-limit", type=int, default=None, help="Laravel fixed window: requests per window")
    p.add_argument("--window-seconds", type=float, default=60.0)
    p.add_argument("--no-rate-headers", action="store_true", help="no X-RateLimit-* headers")
    return p.parse_args(argv)


def build_api(args: argparse.Namespace) -> DemoApi:
    plan = FaultPlan(
        p_server_error=args.p_5xx,
        p_rate_limit=args.p_429,
        retry_after=args.retry_after,
        p_reset=args.p_reset,
        p_hang=args.p_hang,
        hang_seconds=args.hang_seconds,
        quota=args.quota,
        quota_status=args.quota_status,
    )
    limits = RateLimitPlan(
        per_second=args.per_second,
        burst=args.burst,
        window_limit=args.window_limit,
        window_seconds=args.window_seconds,
        headers=not args.no_rate_headers,
    )
    return DemoApi(
        tokens=frozenset(args.tokens or [DEMO_TOKEN]),
        latency=args.latency,
        jitter=args.jitter,
        faults=plan,
        seed=args.seed,
        collection=None if args.collection == "none" else args.collection,
        limits=limits,
    )


async def _run(args: argparse.Namespace) -> None:
    server = DemoServer(build_api(args), args.host, args.port)
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # Windows: no handlers
            loop.add_signal_handler(sig, stop.set)
    print(f"LISTENING {server.url}", flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
