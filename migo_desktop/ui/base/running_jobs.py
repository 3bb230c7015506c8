"""Which bulk jobs an engine in this process is working on right now.

Masiva's controller adds and removes job ids; Historial reads them (it must not delete or resume a running
job).
"""

from __future__ import annotations

__all__ = ["RUNNING_JOBS", "running_jobs"]

RUNNING_JOBS: set[int] = set()


def running_jobs() -> frozenset[int]:
    """Jobs an engine is working on in this process right now (Historial must not delete them)."""
    return frozenset(RUNNING_JOBS)
