"""One request as the simulated service sees it, however it arrived (httpx transport or HTTP server)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DemoRequest"]


@dataclass(frozen=True, slots=True)
class DemoRequest:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    authorization: str | None = None
    body: bytes = b""
