"""The connection half of the local store: opening and migrating SQLite (WAL), the lock, transactions.

``StoreBase`` is the part every query group of ``core.store.Store`` shares (``CacheStore``, ``JobStore``,
``JobRowStore``); see ``core/store.py`` for the threading and durability rules.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Self

from ..paths import folder_problem
from .migrations import migrate
from .store_errors import StoreCorrupt, StoreError, StoreReadOnly, translate
from .store_locks import JobLocks, LookupClaims

log = logging.getLogger(__name__)
AUTOCHECKPOINT_PAGES = 1000  # SQLite's default

__all__ = ["StoreBase", "write_transaction"]


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``. On failure: ROLLBACK (whose own error never hides the cause), and
    SQLite's errors become the store's Spanish ones (disco lleno, solo lectura, dañada) where known."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        known = translate(exc, path)
        if known is None:
            raise
        log.error("database write failed: %s", known.detail)
        raise known from exc


class StoreBase:
    """One SQLite connection guarded by a re-entrant lock. Use as a context manager or call ``close()``."""

    def __init__(self, path: str | Path, *, recover: bool = True) -> None:
        """Open (creating) the database. A damaged file is set aside and a new one made when ``recover``:
        ``set_aside`` then names the old file and ``notice`` says so in Spanish. A read-only folder, a full
        disk or (with ``recover=False``) a damaged file raise a ``StoreError`` with the diagnosis."""
        self.path = Path(path)
        self.set_aside: Path | None = None
        self.notice: str | None = None
        self._lock = threading.RLock()
        memory = str(path) == ":memory:"
        if not memory:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreReadOnly(
                    f"No se puede crear la carpeta de datos «{self.path.parent}» ({folder_problem(exc)}). "
                    "Dale permiso de escritura o define la variable MIGO_DATA_DIR con otra carpeta.",
                    detail=repr(exc),
                ) from exc
        try:
            self._conn = self._open()
        except StoreCorrupt:
            if memory or not recover:
                raise
            self._set_aside()
            self._conn = self._open()
        self.job_locks = JobLocks(None if memory else self.path)
        self.claims = LookupClaims(None if memory else self.path)

    def _open(self) -> sqlite3.Connection:
        try:
            conn = self._connect()
        except sqlite3.Error as exc:
            raise (translate(exc, self.path) or StoreError(detail=repr(exc))) from exc
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            migrate(conn)
        except BaseException as exc:
            conn.close()  # e.g. a database from a newer app: do not leak the connection
            if isinstance(exc, sqlite3.Error):
                raise (translate(exc, self.path) or StoreError(detail=repr(exc))) from exc
            raise
        return conn

    def _set_aside(self) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.dañada-{stamp}")
        self.path.replace(target)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            with contextlib.suppress(OSError):
                side.replace(target.with_name(target.name + suffix))
        self.set_aside = target
        self.notice = (
            f"La base de datos local estaba dañada: se guardó aparte como «{target.name}» y se creó una "
            "nueva. El historial de ejecuciones anteriores y la caché se perdieron; lo que consultes ahora "
            "se guarda con normalidad."
        )
        log.warning("damaged database set aside as %s", target)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    # -- checkpoints during a bulk run
    def defer_checkpoints(self) -> None:
        """A bulk run commits often from the event loop, and SQLite's automatic checkpoint (copying the log
        into the database, with an fsync: 20-30 ms here) would run inside one of those commits. Until
        ``restore_checkpoints`` the log is checkpointed by ``checkpoint()`` from a worker thread instead."""
        if str(self.path) != ":memory:":
            with self._lock:
                self._conn.execute("PRAGMA wal_autocheckpoint=0")

    def restore_checkpoints(self) -> None:
        if str(self.path) != ":memory:":
            with self._lock:
                self._conn.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database, from a worker thread: on a connection of its own, so it
        takes neither the store's lock nor waits for readers or the writer (PASSIVE). A failure only logs:
        the next checkpoint does the work."""
        if str(self.path) == ":memory:":
            return
        try:
            conn = sqlite3.connect(str(self.path), timeout=5, isolation_level=None)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                conn.close()
        except sqlite3.Error:
            log.warning("background checkpoint of %s failed", self.path.name, exc_info=True)

    # -- lifecycle
    def close(self) -> None:
        with self._lock:
            self.job_locks.close()
            self.claims.close()
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _tx(self, statements: Iterable[tuple[str, Any]]) -> None:
        with self._lock, write_transaction(self._conn, self.path) as conn:
            for sql, params in statements:
                conn.execute(sql, params)
