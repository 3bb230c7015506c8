"""The demo API over real HTTP/1.1 (asyncio streams, keep-alive; framing in ``wire``) on 127.0.0.1, for
benchmarks and subprocess tests. Same answers as the in-process transport (both call ``DemoApi``).

    python -m migo_desktop.demo.server --host 127.0.0.1 --port 0 [--latency S] [--jitter S] [--p-5xx P]
        [--p-429 P] [--retry-after S|none] [--p-reset P] [--p-hang P] [--hang-seconds S] [--token T ...]
        [--seed N] [--quota N] [--quota-status CODE] [--collection data|list|none]

Prints ``LISTENING http://127.0.0.1:PORT`` once (flushed) and serves until SIGTERM/SIGINT.
Faults over the wire: reset = the socket is closed abruptly (RST, or FIN without an answer); hang = no answer
until the client gives up or ``hang_seconds`` pass. ``GET /__stats`` returns the stats JSON; ``POST /__reset``
clears stats, quota use and fault counters.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import socket
import struct
import sys
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from ..core.settings import DEMO_TOKEN
from .api import DemoApi
from .faults import Fault, FaultDecision, FaultPlan
from .replies import Reply
from .request import DemoRequest
from .wire import BadRequest, WireRequest, encode_response, read_request

__all__ = ["DemoServer", "build_api", "main", "parse_args"]

log = logging.getLogger(__name__)
_SERVER_HEADER = ("server", "migo-demo")
_JSON = (("content-type", "application/json"),)


class DemoServer:
    """Serve ``api`` on ``host:port`` (port 0 picks a free one). Start and stop on the same event loop."""

    def __init__(self, api: DemoApi, host: str = "127.0.0.1", port: int = 0) -> None:
        self.api = api
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task] = set()
        self.accepted = 0  # connections accepted so far (keep-alive checks)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._on_connection, self.host, self.port, backlog=512)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for task in list(self._connections):
            task.cancel()
        if self._connections:
            await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    # --- one connection ---------------------------------------------------------------------------------
    async def _on_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        self.accepted += 1
        graceful = True
        try:
            graceful = await self._serve(reader, writer)
        except (ConnectionError, OSError):
            pass
        except asyncio.CancelledError:
            graceful = False
        finally:
            self._connections.discard(task)
            if graceful:
                writer.close()
            else:
                writer.transport.abort()
        if graceful:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Answer requests until the client closes. Returns False to drop the connection abruptly."""
        quickack = _quickack(writer)
        while True:
            try:
                request = await read_request(reader, quickack)
            except BadRequest as exc:
                body = json.dumps({"message": exc.message}).encode()
                writer.write(encode_response(exc.status, _JSON, body, keep_alive=False))
                await writer.drain()
                return True
            if request is None:
                return True
            try:
                outcome = await self._dispatch(request)
            except Exception:  # a bug in the demo must look like a server error, not kill the connection
                log.exception("demo server failed on %s %s", request.method, request.target.split("?")[0])
                outcome = Reply(500, b'{"message":"Server Error"}')
            if isinstance(outcome, FaultDecision):
                return await self._act_out(outcome, reader, writer)
            headers = (*outcome.headers, _SERVER_HEADER)
            writer.write(
                encode_response(outcome.status, headers, outcome.body, keep_alive=request.keep_alive)
            )
            await writer.drain()
            if not request.keep_alive:
                return True

    async def _dispatch(self, request: WireRequest) -> Reply | FaultDecision:
        target = urlsplit(request.target)
        if target.path == "/__stats" and request.method == "GET":
            payload = json.dumps(self.api.stats.snapshot().to_json()).encode()
            return Reply(200, payload)
        if target.path == "/__reset" and request.method == "POST":
            self.api.reset()
            return Reply(200, b'{"success":true}')
        demo_request = DemoRequest(
            method=request.method,
            path=target.path,
            query=dict(parse_qsl(target.query)),
            authorization=request.headers.get("authorization"),
            body=request.body,
        )
        return await self.api.process(demo_request)

    async def _act_out(self, decision: FaultDecision, reader: asyncio.StreamReader,
                       writer: asyncio.StreamWriter) -> bool:  # fmt: skip
        if decision.fault is Fault.HANG:
            # Say nothing until the client gives up (EOF) or hang_seconds pass; then close.
            with contextlib.suppress(TimeoutError, ConnectionError):
                await asyncio.wait_for(reader.read(65536), self.api.faults.hang_seconds)
            return True
        if decision.rst:
            sock = writer.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    linger = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            return False
        return True


def _quickack(writer: asyncio.StreamWriter) -> Callable[[], None] | None:
    """Linux: ACK the request head at once. Clients that write head and body separately without
    TCP_NODELAY (Nagle) otherwise wait for our delayed ACK: ~40 ms per request, measured here."""
    sock = writer.get_extra_info("socket")
    option = getattr(socket, "TCP_QUICKACK", None)
    if sock is None or option is None:
        return None

    def ack_now() -> None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, option, 1)

    ack_now()
    return ack_now


# --- command line -------------------------------------------------------------------------------------------
def _retry_after(text: str) -> float | None:
    return None if text.lower() in ("none", "") else float(text)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m migo_desktop.demo.server", description="Demo Migo API.")
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
    return DemoApi(
        tokens=frozenset(args.tokens or [DEMO_TOKEN]),
        latency=args.latency,
        jitter=args.jitter,
        faults=plan,
        seed=args.seed,
        collection=None if args.collection == "none" else args.collection,
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
