"""The embedded simulated Migo API, for demo mode, tests and benchmarks.

    api = DemoApi(latency=0.05, faults=FaultPlan(p_server_error=0.02), seed=1)
    client = httpx.AsyncClient(transport=api.transport())     # or MigoClient(demo_settings(), transport=…)
    api.stats.snapshot()                                      # what the service saw

Over real HTTP on 127.0.0.1 (tests and benchmarks only): ``python -m tests.support.demo_server --port 0``
or ``tests.support.harness.running_server()``.
Data is deterministic per number; ``seed`` changes only faults and jitter.
"""

from __future__ import annotations

from ..core.settings import DEMO_TOKEN
from .api import DEMO_BASE_URL, DEMO_LABEL, DemoApi, demo_settings
from .faults import QUOTA_MESSAGE, Fault, FaultPlan
from .replies import Reply
from .request import DemoRequest
from .stats import DemoStats, StatsSnapshot

__all__ = [
    "DEMO_BASE_URL",
    "DEMO_LABEL",
    "DEMO_TOKEN",
    "QUOTA_MESSAGE",
    "DemoApi",
    "DemoRequest",
    "DemoStats",
    "Fault",
    "FaultPlan",
    "Reply",
    "StatsSnapshot",
    "demo_settings",
]
