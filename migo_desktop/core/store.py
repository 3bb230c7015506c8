"""The local SQLite store (WAL): the lookup cache, bulk jobs and their rows.

One connection (``check_same_thread=False``) guarded by a lock: the engine calls short methods from the
event loop thread, while ``create_job`` (100k-row inserts) is meant for a worker thread
(``asyncio.to_thread``). Every answer is written in its own small transaction before the engine counts it
done, so a hard kill loses only the requests in flight. Rows never hold a "running" state on disk: a row
is pending until its answer is committed, which makes crash recovery automatic.

The token never reaches this file: jobs keep ``ApiSettings.public_dict()`` only.

``Store`` is the one class callers use; its queries are grouped by table in ``store_cache`` (``CacheStore``),
``store_jobs`` (``JobStore``), ``store_rows`` (``JobRowStore``) and ``store_sources`` (``SourceStore``:
answers from the offline padrón), over the connection in ``store_base``.
"""

from __future__ import annotations

from .store_cache import CacheStore
from .store_jobs import JobStore
from .store_rows import JobRowStore
from .store_schema import JobRecord, JobResultRow, JobState, decode_values, encode_values
from .store_sources import SourceStore

__all__ = [
    "JobRecord",
    "JobResultRow",
    "JobState",
    "Store",
    "decode_values",
    "encode_values",
]


class Store(CacheStore, JobStore, JobRowStore, SourceStore):
    """SQLite store. Use as a context manager or call ``close()``."""
