"""Run the demo HTTP server for tests and benchmarks: in a background thread of this process
(``running_server``) or as a child process (``start_server_process``, for crash/kill tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

from migo_desktop.demo.api import DemoApi
from migo_desktop.demo.stats import StatsSnapshot

from .demo_server import DemoServer

__all__ = [
    "RunningServer",
    "in_thread",
    "fetch_stats",
    "reset_stats",
    "running_server",
    "server_process",
    "start_server_process",
    "stop_server_process",
]

_READY_TIMEOUT = 20.0


@dataclass(frozen=True)
class RunningServer:
    url: str  # http://127.0.0.1:PORT
    api: DemoApi
    server: DemoServer

    @property
    def base_url(self) -> str:
        """What ApiSettings.base_url should be (v1)."""
        return f"{self.url}/api/v1"

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def stats(self) -> StatsSnapshot:
        return self.api.stats.snapshot()

    def reset(self) -> None:
        self.api.reset()


class _Startable(Protocol):
    url: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@contextlib.contextmanager
def in_thread(server: _Startable) -> Iterator[None]:
    """Run ``server`` (``start()``/``stop()`` on one loop) in a daemon thread until the block ends."""
    ready = threading.Event()
    failure: list[BaseException] = []
    holder: dict[str, Any] = {}

    async def serve() -> None:
        stop = asyncio.Event()
        holder["loop"], holder["stop"] = asyncio.get_running_loop(), stop
        try:
            await server.start()
        except BaseException as exc:  # reported to the caller below
            failure.append(exc)
            ready.set()
            return
        ready.set()
        try:
            await stop.wait()
        finally:
            await server.stop()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), name="test-server", daemon=True)
    thread.start()
    if not ready.wait(_READY_TIMEOUT):
        raise RuntimeError("test server did not start")
    if failure:
        thread.join()
        raise failure[0]
    try:
        yield
    finally:
        holder["loop"].call_soon_threadsafe(holder["stop"].set)
        thread.join(_READY_TIMEOUT)


@contextlib.contextmanager
def running_server(api: DemoApi | None = None, *, host: str = "127.0.0.1", **api_options: Any
                   ) -> Iterator[RunningServer]:  # fmt: skip
    """Serve ``api`` (or ``DemoApi(**api_options)``) from a daemon thread until the block ends."""
    api = api or DemoApi(**api_options)
    server = DemoServer(api, host, 0)
    with in_thread(server):
        yield RunningServer(server.url, api, server)


def _flag(name: str) -> str:
    return "--" + {"p_server_error": "p-5xx", "p_rate_limit": "p-429"}.get(name, name.replace("_", "-"))


def start_server_process(**options: Any) -> tuple[subprocess.Popen[str], str]:
    """Start ``python -m tests.support.demo_server`` and return (process, base URL ending in /api/v1).

    Options are the command-line flags with underscores: latency, jitter, p_5xx, p_429, retry_after
    (None → 'none'), p_reset, p_hang, hang_seconds, tokens (list), seed, quota, quota_status, collection.
    Always pair with ``stop_server_process`` (or use ``server_process``) so pipes are closed.
    """
    argv = [sys.executable, "-m", "tests.support.demo_server", "--host", "127.0.0.1", "--port", "0"]
    for name, value in options.items():
        if name == "tokens":
            argv += ["--token", *value]
        elif name == "retry_after" and value is None:
            argv += ["--retry-after", "none"]
        elif name == "collection" and value is None:
            argv += ["--collection", "none"]
        elif value is True:
            argv.append(_flag(name))
        elif value is False or value is None:
            continue
        else:
            argv += [_flag(name), str(value)]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    package_root = str(Path(__file__).resolve().parents[2])  # importable from any working directory
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(_READY_TIMEOUT)
    text = line[0].strip() if line else ""
    if not text.startswith("LISTENING "):
        stop_server_process(proc)
        raise RuntimeError(f"demo server did not start (said {text!r})")
    return proc, text.split(" ", 1)[1] + "/api/v1"


def stop_server_process(proc: subprocess.Popen[str], timeout: float = 10.0) -> int:
    """Terminate (SIGTERM), wait, kill if needed, close the pipe. Returns the exit code."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
    if proc.stdout is not None:
        proc.stdout.close()
    return proc.returncode


@contextlib.contextmanager
def server_process(**options: Any) -> Iterator[tuple[subprocess.Popen[str], str]]:
    proc, base_url = start_server_process(**options)
    try:
        yield proc, base_url
    finally:
        stop_server_process(proc)


def _root(base_url: str) -> str:
    for suffix in ("/api/v1", "/api/v2"):
        if base_url.endswith(suffix):
            return base_url[: -len(suffix)]
    return base_url.rstrip("/")


def fetch_stats(base_url: str) -> StatsSnapshot:
    """GET /__stats of a running demo server (base URL with or without /api/v1)."""
    with httpx.Client(timeout=10.0) as client:
        response = client.get(_root(base_url) + "/__stats")
        response.raise_for_status()
        return StatsSnapshot.from_json(response.json())


def reset_stats(base_url: str) -> None:
    with httpx.Client(timeout=10.0) as client:
        client.post(_root(base_url) + "/__reset").raise_for_status()
