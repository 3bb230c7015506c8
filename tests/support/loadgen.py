"""A tiny keep-alive load generator for the demo server (measures the server, not httpx).

    python -m tests.support.loadgen [--connections 20] [--requests 10000] [--spawn | --url URL]

``--spawn`` starts a demo server subprocess for the run. Prints requests/second and the status counts.
Raw asyncio sockets, pre-encoded requests over distinct valid RUCs: the client side costs a few µs a request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections import Counter
from urllib.parse import urlsplit

from stdnum.pe import ruc as stdnum_ruc

from migo_desktop.core.settings import DEMO_TOKEN

from .harness import server_process

__all__ = ["run_load"]


def _requests(host: str, path: str, count: int) -> list[bytes]:
    out = []
    for i in range(count):
        base = f"20{60_000_000 + i:08d}"
        body = json.dumps({"token": DEMO_TOKEN, "ruc": base + stdnum_ruc.calc_check_digit(base)}).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        out.append(head.encode() + body)
    return out


async def _worker(host: str, port: int, payloads: list[bytes], statuses: Counter[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for payload in payloads:
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            statuses[head[9:12].decode()] += 1
    finally:
        writer.close()
        await writer.wait_closed()


async def run_load(
    base_url: str, *, connections: int = 20, requests: int = 10_000
) -> tuple[float, Counter[str]]:
    """(requests per second, status counts) for POST {base_url}/ruc over keep-alive connections."""
    url = urlsplit(base_url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    payloads = _requests(host, url.path.rstrip("/") + "/ruc", requests)
    statuses: Counter[str] = Counter()
    start = time.perf_counter()
    await asyncio.gather(
        *(_worker(host, port, payloads[i::connections], statuses) for i in range(connections))
    )
    return requests / (time.perf_counter() - start), statuses


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.support.loadgen", description=__doc__)
    p.add_argument("--url", help="base URL of a running demo server (…/api/v1)")
    p.add_argument("--spawn", action="store_true", help="start a demo server subprocess for the run")
    p.add_argument("--connections", type=int, default=20)
    p.add_argument("--requests", type=int, default=10_000)
    args = p.parse_args(argv)
    if not args.url and not args.spawn:
        p.error("give --url or --spawn")
    cpu_note = ""
    if args.spawn:
        with server_process() as (proc, base_url):
            before = _cpu_seconds(proc.pid)
            rate, statuses = asyncio.run(
                run_load(base_url, connections=args.connections, requests=args.requests)
            )
            after = _cpu_seconds(proc.pid)
        if before is not None and after is not None:
            cpu_note = f"; server CPU {(after - before) / args.requests * 1e6:,.0f} µs/request"
    else:
        rate, statuses = asyncio.run(run_load(args.url, connections=args.connections, requests=args.requests))
    counts = dict(sorted(statuses.items()))
    print(f"{rate:,.0f} req/s over {args.connections} connections; statuses {counts}{cpu_note}")
    return 0


def _cpu_seconds(pid: int) -> float | None:
    """User+system CPU time of a process (Linux /proc only; None elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


if __name__ == "__main__":
    raise SystemExit(main())
