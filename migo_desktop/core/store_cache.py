"""Lookup-cache queries of the local store (table ``cache``): read with TTLs, write, list, count, clear."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from .models import IdKind, LookupResult, LookupStatus
from .store_base import StoreBase
from .store_schema import data_from_payload, payload_of, when

__all__ = ["CacheStore"]

log = logging.getLogger(__name__)
_CHUNK = 500  # numbers per query (SQLite allows 32,766 parameters; smaller chunks hold the lock less)


class CacheStore(StoreBase):
    """The cache part of ``core.store.Store``: only OK/NOT_FOUND answers are ever cached."""

    def cache_get(
        self, kind: IdKind, number: str, *, ttl_found: float, ttl_not_found: float, now: float | None = None
    ) -> LookupResult | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT status, payload, message, fetched_at FROM cache WHERE kind=? AND number=?",
                (kind.value, number),
            ).fetchone()
        if row is None:
            return None
        return self._fresh(kind, number, row, ttl_found, ttl_not_found, time.time() if now is None else now)

    def cache_get_many(
        self, keys: Iterable[tuple[IdKind, str]], *, ttl_found: float, ttl_not_found: float
    ) -> dict[tuple[IdKind, str], LookupResult]:
        """``cache_get`` for many numbers in a few queries (a bulk run checks its rows before it starts)."""
        wanted: dict[IdKind, set[str]] = {}
        for kind, number in keys:
            wanted.setdefault(kind, set()).add(number)
        now = time.time()
        out: dict[tuple[IdKind, str], LookupResult] = {}
        for kind, numbers in wanted.items():
            ordered = sorted(numbers)
            for start in range(0, len(ordered), _CHUNK):
                chunk = ordered[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                with self._lock:
                    rows = self._conn.execute(
                        "SELECT number, status, payload, message, fetched_at FROM cache "
                        f"WHERE kind=? AND number IN ({marks})",
                        (kind.value, *chunk),
                    ).fetchall()
                for number, *row in rows:
                    hit = self._fresh(kind, number, tuple(row), ttl_found, ttl_not_found, now)
                    if hit is not None:
                        out[(kind, number)] = hit
        return out

    def _fresh(
        self,
        kind: IdKind,
        number: str,
        row: tuple[Any, ...],
        ttl_found: float,
        ttl_not_found: float,
        now: float,
    ) -> LookupResult | None:
        """The cached answer in ``row`` (status, payload, message, fetched_at) if still fresh, else None."""
        try:
            status = LookupStatus(row[0])
            ttl = ttl_found if status is LookupStatus.OK else ttl_not_found
            if now - float(row[3]) > ttl:
                return None
            return LookupResult(
                kind, number, status, data_from_payload(kind.value, row[1]), row[2], when(row[3]), True
            )
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            # One damaged entry used to fail every later run: drop it, the row is simply looked up again.
            log.warning("dropping damaged cache entry %s %s: %s", kind.value, number, type(exc).__name__)
            self._tx([("DELETE FROM cache WHERE kind=? AND number=?", (kind.value, number))])
            return None

    @staticmethod
    def _cache_stmt(result: LookupResult, fetched: float) -> tuple[str, tuple[Any, ...]]:
        return (
            "INSERT OR REPLACE INTO cache (kind, number, status, payload, message, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                result.kind.value,
                result.number,
                result.status.value,
                payload_of(result),
                result.message,
                fetched,
            ),
        )

    def cache_put(self, result: LookupResult) -> None:
        """Cache an answer (OK/NOT_FOUND only; anything else is ignored: errors are never cached)."""
        if result.status not in (LookupStatus.OK, LookupStatus.NOT_FOUND):
            return
        fetched = result.fetched_at.timestamp() if result.fetched_at else time.time()
        self._tx([self._cache_stmt(result, fetched)])

    def recent_lookups(self, limit: int = 50) -> list[LookupResult]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT kind, number, status, payload, message, fetched_at FROM cache "
                "ORDER BY fetched_at DESC LIMIT ?",
                (limit,),
            ).fetchall()
        out: list[LookupResult] = []
        for k, n, s, p, m, f in rows:
            try:
                out.append(
                    LookupResult(IdKind(k), n, LookupStatus(s), data_from_payload(k, p), m, when(f), True)
                )
            except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
                log.warning("skipping damaged cache entry %s %s", k, n)
        return out

    def cache_count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM cache").fetchone()[0])

    def cache_clear(self) -> int:
        with self._lock:
            return self._conn.execute("DELETE FROM cache").rowcount
