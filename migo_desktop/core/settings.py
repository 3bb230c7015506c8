"""ApiSettings: every knob of the client, the engine and the cache, as one immutable value object."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEMO_BASE_URL",
    "DEMO_TOKEN",
    "USER_CONCURRENCY",
    "ApiSettings",
    "check_base_url",
    "demo_settings",
]

DEFAULT_BASE_URL = "https://api.migo.pe/api/v1"
DEMO_TOKEN = "demo-token-migo-desktop"  # accepted by the embedded demo API only
DEMO_BASE_URL = "https://demo.migo.invalid/api/v1"  # the embedded demo API (migo_desktop.demo)


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """Return the URL without a trailing slash; plain http only for loopback (the token travels in it)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"La dirección de la API no es válida: {url!r}. Debe empezar con https://")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError(
            "Por seguridad, la API solo se usa con https:// (http:// se permite únicamente en 127.0.0.1)."
        )
    if parts.username or parts.password or parts.query:
        raise ConfigError("La dirección de la API no debe llevar usuario, clave ni parámetros.")
    return url.strip().rstrip("/")


# What a person may choose for ``concurrency`` (Preferencias and ``migo --concurrencia``); the engine itself
# accepts up to 200 (benchmarks), but a user setting above 50 only earns 429s from the real API.
USER_CONCURRENCY = (1, 50)


@dataclass(frozen=True)
class ApiSettings:
    token: str = field(default="", repr=False)
    base_url: str = DEFAULT_BASE_URL
    api_version: str = "v1"  # "v1" (POST + token in body) or "v2" (GET + Bearer header)
    demo: bool = False
    # politeness and speed
    concurrency: int = 10
    requests_per_minute: int | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    # the whole request, answer included: a server dripping a byte a second cannot hang a lookup
    request_deadline: float = 60.0
    max_response_bytes: int = 2_000_000  # decoded; a RUC answer is ~1 KB (gzip bombs stop here)
    # retries (per request) and the per-run budget (engine)
    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 20.0
    retry_after_cap: float = 120.0
    retry_budget: int = 500
    # cache freshness, seconds
    cache_ttl_found: int = 24 * 3600
    cache_ttl_not_found: int = 24 * 3600

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", check_base_url(self.base_url))
        if self.api_version not in ("v1", "v2"):
            raise ConfigError("La versión de la API debe ser v1 o v2.")
        if not 1 <= self.concurrency <= 200:
            raise ConfigError("La concurrencia debe estar entre 1 y 200.")

    @property
    def root_url(self) -> str:
        """The base URL with its version segment matching ``api_version``."""
        base = self.base_url
        for v in ("/v1", "/v2"):
            if base.endswith(v):
                return base[: -len(v)] + "/" + self.api_version
        return base

    def with_(self, **changes: Any) -> ApiSettings:
        return replace(self, **changes)

    def public_dict(self) -> dict[str, Any]:
        """Everything but the token (for job records, logs, exports)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "token"}

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> ApiSettings:
        env = os.environ if environ is None else environ
        kw: dict[str, Any] = {}
        if env.get("MIGO_TOKEN"):
            kw["token"] = env["MIGO_TOKEN"].strip()
        if env.get("MIGO_BASE_URL"):
            kw["base_url"] = env["MIGO_BASE_URL"]
        if env.get("MIGO_DEMO", "").strip() in ("1", "true", "yes"):
            kw["demo"] = True
        kw.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**kw)


def demo_settings(**overrides: Any) -> ApiSettings:
    """Settings that talk to the embedded demo (pair with ``DemoApi().transport()``). Here, not in ``demo/``,
    so choosing demo mode at start-up does not load the simulated API itself."""
    values: dict[str, Any] = {"base_url": DEMO_BASE_URL, "token": DEMO_TOKEN, "demo": True}
    values.update(overrides)
    return ApiSettings(**values)
