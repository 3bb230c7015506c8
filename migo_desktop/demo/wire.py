"""Minimal HTTP/1.1 framing for the demo server: one request (Content-Length bodies only) per call, and
the response bytes. Kept deliberately small: h11 cost 100–370 µs per request cycle here (measured), which
made the server, not the client, the bottleneck of a benchmark; this costs ~10 µs. Anything unusual
(chunked bodies, malformed lines, oversized heads/bodies) gets a 4xx/5xx and the connection is closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

__all__ = ["BadRequest", "WireRequest", "encode_response", "read_request"]

MAX_HEAD = 32 * 1024
MAX_BODY = 1_000_000


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class WireRequest:
    method: str
    target: str
    headers: dict[str, str]  # lower-case names; repeated headers: last one wins
    body: bytes
    keep_alive: bool


async def read_request(
    reader: asyncio.StreamReader, after_head: Callable[[], None] | None = None
) -> WireRequest | None:
    """The next request, or None on a clean EOF between requests. ``after_head`` runs once the head is in
    (the server uses it to ACK at once, see ``DemoServer``)."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise BadRequest(400, "incomplete request head") from None
    except asyncio.LimitOverrunError:
        raise BadRequest(431, "request head too large") from None
    if after_head is not None:
        after_head()
    if len(head) > MAX_HEAD:
        raise BadRequest(431, "request head too large")
    lines = head[:-4].decode("latin-1").split("\r\n")
    while lines and not lines[0]:  # tolerate stray CRLF between requests
        lines.pop(0)
    parts = lines[0].split(" ") if lines else []
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest(400, "bad request line")
    method, target, version = parts
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise BadRequest(400, "bad header line")
        headers[name.lower()] = value.strip()
    if "transfer-encoding" in headers:
        raise BadRequest(501, "chunked bodies are not supported by the demo server")
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError:
        raise BadRequest(400, "bad content-length") from None
    if length < 0:
        raise BadRequest(400, "bad content-length")
    if length > MAX_BODY:
        raise BadRequest(413, "body too large")
    try:
        body = await reader.readexactly(length) if length else b""
    except asyncio.IncompleteReadError:
        raise BadRequest(400, "incomplete body") from None
    connection = headers.get("connection", "").lower()
    keep_alive = "close" not in connection if version == "HTTP/1.1" else "keep-alive" in connection
    return WireRequest(method.upper(), target, headers, body, keep_alive)


_REASONS = {s.value: s.phrase for s in HTTPStatus}


def encode_response(
    status: int, headers: tuple[tuple[str, str], ...], body: bytes, *, keep_alive: bool
) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}"]
    lines += [f"{name}: {value}" for name, value in headers]
    lines.append(f"content-length: {len(body)}")
    if not keep_alive:
        lines.append("connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
