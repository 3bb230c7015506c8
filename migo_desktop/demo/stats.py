"""What the demo API saw: requests, answers per number, statuses, endpoints, faults. Thread-safe.

"Answered" means a 200 or 404 lookup answer was produced for that number (what a real account would be
billed for). Other areas assert on these: no RUC answered twice; answered ≤ N + concurrency.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["DemoStats", "StatsSnapshot"]


@dataclass(frozen=True)
class StatsSnapshot:
    requests: int
    answered: dict[str, int]  # number -> times answered (200/404)
    by_status: dict[int, int]
    by_endpoint: dict[str, int]
    faults: dict[str, int]  # reset/hang/server_error/rate_limit/quota -> count

    @property
    def answered_total(self) -> int:
        return sum(self.answered.values())

    def answered_more_than_once(self) -> dict[str, int]:
        return {number: n for number, n in self.answered.items() if n > 1}

    def to_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "answered": dict(self.answered),
            "answered_total": self.answered_total,
            "by_status": {str(k): v for k, v in self.by_status.items()},
            "by_endpoint": dict(self.by_endpoint),
            "faults": dict(self.faults),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StatsSnapshot:
        return cls(
            requests=int(data["requests"]),
            answered={str(k): int(v) for k, v in data["answered"].items()},
            by_status={int(k): int(v) for k, v in data["by_status"].items()},
            by_endpoint={str(k): int(v) for k, v in data["by_endpoint"].items()},
            faults={str(k): int(v) for k, v in data["faults"].items()},
        )


class DemoStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._requests = 0
            self._answered: Counter[str] = Counter()
            self._lookups_answered = 0
            self._by_status: Counter[int] = Counter()
            self._by_endpoint: Counter[str] = Counter()
            self._faults: Counter[str] = Counter()

    def record_request(self, endpoint: str) -> None:
        with self._lock:
            self._requests += 1
            self._by_endpoint[endpoint] += 1

    def record_status(self, status: int) -> None:
        with self._lock:
            self._by_status[status] += 1

    def record_fault(self, kind: str) -> None:
        with self._lock:
            self._faults[kind] += 1

    def record_answered(self, numbers: Iterable[str]) -> None:
        with self._lock:
            for number in numbers:
                self._answered[number] += 1
                self._lookups_answered += 1

    @property
    def lookups_answered(self) -> int:
        """Answered RUC/DNI lookups so far (what the quota counts)."""
        with self._lock:
            return self._lookups_answered

    @property
    def requests(self) -> int:
        with self._lock:
            return self._requests

    @property
    def answered(self) -> dict[str, int]:
        with self._lock:
            return dict(self._answered)

    @property
    def by_status(self) -> dict[int, int]:
        with self._lock:
            return dict(self._by_status)

    @property
    def by_endpoint(self) -> dict[str, int]:
        with self._lock:
            return dict(self._by_endpoint)

    def snapshot(self) -> StatsSnapshot:
        with self._lock:
            return StatsSnapshot(
                requests=self._requests,
                answered=dict(self._answered),
                by_status=dict(self._by_status),
                by_endpoint=dict(self._by_endpoint),
                faults=dict(self._faults),
            )
