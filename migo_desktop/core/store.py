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

import logging
from pathlib import Path

from .store_cache import CacheStore
from .store_errors import StoreError
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
    "open_store",
]

log = logging.getLogger(__name__)


class Store(CacheStore, JobStore, JobRowStore, SourceStore):
    """SQLite store. Use as a context manager or call ``close()``."""


def open_store(path: str | Path) -> Store:
    """The app's store, whatever state its folder is in: a damaged file is set aside (``Store``); a folder
    that cannot be written, or a full disk, gives an in-memory store for this session. Either way
    ``store.notice`` holds the Spanish diagnosis to show the user."""
    try:
        return Store(path)
    except StoreError as exc:
        log.error("store unavailable, using memory for this session: %s", exc.detail)
        store = Store(":memory:")
        store.notice = (
            f"{exc.user_message} Mientras tanto la aplicación funciona, pero en esta sesión no se guardan el "
            "historial ni la caché."
        )
        return store
