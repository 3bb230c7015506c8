"""A hostile Migo look-alike on 127.0.0.1 (``aiohttp.web``): every answer is an attack on the client.

Modes, chosen by the first path segment (``base_url = f"{server.url}/{mode}/api/v1"``):
- ``bomb``: HTTP 200, ``Content-Encoding: gzip``, a few hundred KB on the wire that decode to
  ``bomb_mb`` MB of zeros (streamed, chunked, no Content-Length);
- ``huge``: an uncompressed body of ``bomb_mb`` MB (a JSON string that never ends soon);
- ``drip``: the status line and headers at once, then one byte of body every ``drip_every`` seconds;
- ``nested``: ``[`` × ``depth`` then ``]`` × ``depth``: valid JSON that blows a recursive parser's stack;
- ``escapes``: a well-formed RUC answer whose texts carry terminal escape codes and control characters;
- ``wait``: HTTP 429 with ``Retry-After: 999999``.
"""

from __future__ import annotations

import asyncio
import json
import zlib

from aiohttp import web

__all__ = ["HostileServer", "bomb_chunks"]

ESCAPES = "\x1b]0;PWNED\x07\x1b[2J\x1b[31mEMPRESA\x1b[0m\r\x08 S.A.C.\x00\x9b6n"


def bomb_chunks(megabytes: int) -> list[bytes]:
    """A gzip stream of ``megabytes`` MB of zeros, in pieces (one compressed MB, repeated: ~1 KB each)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    head = comp.compress(b"\0" * 1_000_000) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(b"\0" * 1_000_000) + comp.flush(zlib.Z_FULL_FLUSH)
    return [head] + [block] * (megabytes - 1) + [comp.flush()]


class HostileServer:
    def __init__(self, *, bomb_mb: int = 200, drip_every: float = 0.2, depth: int = 200_000) -> None:
        self.bomb_mb = bomb_mb
        self.drip_every = drip_every
        self.depth = depth
        self.host, self.port = "127.0.0.1", 0
        self._runner: web.AppRunner | None = None
        self.requests = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def base_url(self, mode: str) -> str:
        return f"{self.url}/{mode}/api/v1"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{mode}/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, 0).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        await request.read()
        mode = request.match_info["mode"]
        if mode == "nested":
            body = b"[" * self.depth + b"]" * self.depth
            return web.Response(body=body, content_type="application/json")
        if mode == "escapes":
            answer = {"success": True, "ruc": "20131312955", "nombre_o_razon_social": ESCAPES,
                      "estado_del_contribuyente": "ACTIVO\x1b[5m", "condicion_de_domicilio": "HABIDO",
                      "direccion": "AV.\tLIMA\nLINEA 2\x1b[1A"}  # fmt: skip
            return web.json_response(answer)
        if mode == "wait":
            return web.json_response({"message": "Too Many Attempts."}, status=429,
                                     headers={"Retry-After": "999999"})  # fmt: skip
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        if mode == "bomb":
            response.headers["Content-Encoding"] = "gzip"
        response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            if mode == "bomb":
                for chunk in bomb_chunks(self.bomb_mb):
                    await response.write(chunk)
            elif mode == "huge":
                await response.write(b'{"ruc": "')
                for _ in range(self.bomb_mb):
                    await response.write(b"x" * 1_000_000)
                await response.write(b'"}')
            else:  # drip
                for byte in json.dumps({"ruc": "20131312955"}).encode() * 1000:
                    await response.write(bytes([byte]))
                    await asyncio.sleep(self.drip_every)
        except (ConnectionError, RuntimeError):  # the client gave up: that is the point
            return response
        await response.write_eof()
        return response
