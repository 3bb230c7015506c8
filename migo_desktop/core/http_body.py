"""Reading an answer's body from an untrusted server: bounded in size after decoding, and never a crash.

A RUC answer is a few KB. A hostile or broken server may send a gzip bomb (4 MB on the wire, 4 GB decoded),
an endless body, or JSON nested deeply enough to blow the parser's stack. The body is read from the raw
stream and decoded here with ``zlib``'s ``max_length``, so memory stays bounded by the cap whatever the
compression ratio or the transport's chunk size; the JSON parse turns ``RecursionError`` into "unreadable".
"""

from __future__ import annotations

import json
import zlib
from typing import Any

import httpx

__all__ = ["BodyTooLarge", "UnsupportedEncoding", "parse_json", "read_capped"]


class BodyTooLarge(Exception):
    """The decoded body passed the cap; ``size`` is how far reading got (bytes)."""

    def __init__(self, size: int, cap: int) -> None:
        super().__init__(f"response body over {cap} bytes")
        self.size = size
        self.cap = cap


class UnsupportedEncoding(Exception):
    """A Content-Encoding we did not ask for (we send ``Accept-Encoding: gzip, deflate``)."""


def _decoder(encoding: str) -> Any:
    enc = encoding.strip().lower()
    if enc in ("", "identity"):
        return None
    if enc in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    if enc == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib (or gzip) header
    raise UnsupportedEncoding(encoding)


async def read_capped(response: httpx.Response, cap: int) -> bytes:
    """The decoded body of a streamed response, at most ``cap`` bytes; raises BodyTooLarge past it."""
    try:
        ready = response.content  # already in memory (in-process and mock transports): decoded by httpx
    except httpx.ResponseNotRead:
        pass
    else:
        if len(ready) > cap:
            raise BodyTooLarge(len(ready), cap)
        return ready
    declared = response.headers.get("content-length", "")
    encoding = response.headers.get("content-encoding", "")
    if declared.isdigit() and not encoding and int(declared) > cap:
        raise BodyTooLarge(int(declared), cap)
    decoder = _decoder(encoding)
    out = bytearray()
    async for chunk in response.aiter_raw():
        if decoder is None:
            out += chunk
            if len(out) > cap:
                raise BodyTooLarge(len(out), cap)
            continue
        data = chunk
        while data:
            try:
                piece = decoder.decompress(data, cap + 1 - len(out))
            except zlib.error as exc:
                raise httpx.DecodingError(f"bad {encoding} body") from exc
            out += piece
            if len(out) > cap:
                raise BodyTooLarge(len(out), cap)
            data = decoder.unconsumed_tail
            if decoder.eof:
                break
    if decoder is not None and not decoder.eof and out:
        out += decoder.flush()
    return bytes(out)


def parse_json(content: bytes) -> Any:
    """The decoded JSON body, or None for empty/HTML/garbled/absurdly nested bodies (never raises)."""
    if not content or not content.strip():
        return None
    if content.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        return json.loads(content)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError; nesting past the stack
        return None
