"""Parse an untrusted workbook in a child process with a memory cap, so no file can take the app down.

python-calamine is native code: a crafted .xlsx asks it for 549 GB and the allocation failure *aborts* the
process (no MemoryError to catch); 2 of 700 randomly corrupted .xls abort inside its BIFF reader; a 5.6 KB
.xls declaring IV65536 costs 1 GB and a 918 KB .ods 1.4 GB. None of that can be ruled out by looking at the
bytes first, so .xls, .ods and every .xlsx the streamed check (``excel.sheet_scan``) did not clear are read
here: a ``spawn``-ed child (never ``fork``: the GUI has threads) opens the workbook with the ordinary sources
and sends rows back in batches on request. If it dies, runs out of memory or takes too long, the caller gets
an ``InputError`` in Spanish and carries on.

The cap: POSIX ``RLIMIT_AS`` set by the child before it opens the file (so its RSS can never pass it);
Windows: a Job Object with ``JOB_OBJECT_LIMIT_PROCESS_MEMORY`` (and kill-on-close) that the parent assigns
before telling the child to start. Every request also has a wall-clock deadline, after which the child is
killed. Start-up costs ~60–130 ms here (see docs/benchmarks.md), which is why small, cleared .xlsx files are
still parsed in-process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from itertools import islice
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ..core.errors import InputError
from .guards import FileKind, Limits
from .win_job import cap_process_memory

__all__ = ["IsolatedSource"]

log = logging.getLogger(__name__)

_BATCH = 4000
_IDLE_SECONDS = 120.0
_idle_lock = threading.Lock()
_idle: dict[tuple[Any, ...], IsolatedSource] = {}  # at most one child kept after close(), by file key


def _file_key(path: Path, kind: FileKind, limits: Limits) -> tuple[Any, ...]:
    st = path.stat()
    return (str(path.absolute()), st.st_mtime_ns, st.st_size, kind.value, limits)


_CRASHED = (
    "No se pudo leer «{name}»: el archivo está dañado o necesitaría demasiada memoria (más de {mb:,} MB) "
    "para abrirse. Ábrelo en Excel, copia solo los datos a un libro nuevo, guárdalo como .xlsx y vuelve a "
    "importarlo."
)
_TIMEOUT = (
    "Leer «{name}» tardó más de {s:,.0f} segundos y se detuvo: el archivo es demasiado grande o está "
    "dañado. Divide los datos en archivos más pequeños o guárdalo otra vez desde Excel como .xlsx."
)


# ----------------------------------------------------------------- child side
def _limit_memory(limit: int) -> None:
    if sys.platform != "win32":
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _quiet_stderr() -> None:
    """Native aborts print «memory allocation of … failed» on fd 2; the parent logs what happened."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _error_reply(exc: BaseException, name: str, limits: Limits) -> tuple[str, str, str]:
    if isinstance(exc, InputError):
        return ("error", exc.user_message, exc.detail or "")
    mb = limits.child_memory_bytes // 2**20
    return ("error", _CRASHED.format(name=name, mb=mb), f"{type(exc).__name__}: {exc}")


def _serve(conn: Connection, path_text: str, kind_value: str, limits: Limits) -> None:
    """The child: wait for "open" (the parent caps us first), then answer requests until "close"/EOF."""
    _quiet_stderr()
    from .workbook_sources import open_workbook  # here: the parent never loads calamine for this file

    path = Path(path_text)
    rows: Iterator[tuple[int, list[Any]]] = iter(())
    try:
        conn.recv()  # "open"
        _limit_memory(limits.child_memory_bytes)
        source = open_workbook(path, FileKind(kind_value), limits)
        conn.send(("ok", list(source.sheet_names)))
    except EOFError:
        return
    except BaseException as exc:  # noqa: BLE001 - everything becomes one Spanish reply
        conn.send(_error_reply(exc, path.name, limits))
        return
    while True:
        try:
            if not conn.poll(_IDLE_SECONDS):
                return  # kept for a likely next read of the same file (preview, then import); not forever
            op, sheet = conn.recv()
        except EOFError:
            return
        try:
            if op == "close":
                source.close()
                return
            if op == "height":
                reply: Any = source.height(sheet)
            elif op == "merged":
                reply = source.merged(sheet)
            elif op == "rows":
                rows, reply = source.rows(sheet), None
            else:  # "next"
                reply = list(islice(rows, _BATCH))
            conn.send(("ok", reply))
        except BaseException as exc:  # noqa: BLE001
            conn.send(_error_reply(exc, path.name, limits))


# ----------------------------------------------------------------- parent side
class IsolatedSource:
    """A ``RowSource`` whose workbook lives in a memory-capped child process."""

    @classmethod
    def open(cls, path: Path, kind: FileKind, limits: Limits) -> IsolatedSource:
        """A child for ``path``: the one kept from the last read of this same file (unchanged) if it is still
        there — the import preview and then the import cost one start-up, not two — or a new one."""
        key = _file_key(path, kind, limits)
        with _idle_lock:
            kept = _idle.pop(key, None)
            others = list(_idle.values())
            _idle.clear()
        for other in others:
            other._shutdown()
        if kept is not None and not kept._gone and kept._proc.is_alive():
            kept._closed = False
            return kept
        if kept is not None:
            kept._shutdown()
        return cls(path, kind, limits, key=key)

    def __init__(
        self, path: Path, kind: FileKind, limits: Limits, *, key: tuple[Any, ...] | None = None
    ) -> None:
        self._name = path.name
        self._limits = limits
        self._key = key
        self._closed = self._gone = False
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(
            target=_serve, args=(child, str(path), kind.value, limits), name="migo-lector", daemon=True
        )
        self._proc.start()
        child.close()
        self._job = cap_process_memory(self._proc, limits.child_memory_bytes)
        try:
            self._conn.send("open")
            self.sheet_names: list[str] = self._reply()
        except BaseException:
            self._shutdown()
            raise

    def _reply(self) -> Any:
        timeout = self._limits.child_timeout
        ready = wait([self._conn, self._proc.sentinel], timeout)
        if not ready:
            self._kill()
            log.warning("reader child for %s timed out after %.0f s", self._name, timeout)
            raise InputError(_TIMEOUT.format(name=self._name, s=timeout), detail="child timeout")
        try:
            reply = self._conn.recv()
        except (EOFError, OSError):
            raise self._died() from None
        if reply[0] == "error":
            raise InputError(reply[1], detail=f"child: {reply[2]}")
        return reply[1]

    def _died(self) -> InputError:
        self._proc.join(5)
        code = self._proc.exitcode
        log.warning("reader child for %s died (exit code %s)", self._name, code)
        mb = self._limits.child_memory_bytes // 2**20
        return InputError(_CRASHED.format(name=self._name, mb=mb), detail=f"child exit code {code}")

    def _ask(self, op: str, sheet: str | None) -> Any:
        try:
            self._conn.send((op, sheet))
        except (BrokenPipeError, OSError):
            raise self._died() from None
        return self._reply()

    def height(self, sheet: str | None) -> int | None:
        height: int | None = self._ask("height", sheet)
        return height

    def merged(self, sheet: str | None) -> list[Any]:
        merged: list[Any] = self._ask("merged", sheet)
        return merged

    def rows(self, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
        self._ask("rows", sheet)
        while batch := self._ask("next", sheet):
            yield from batch

    def _kill(self) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join(5)

    def close(self) -> None:
        """Keep a healthy child (opened through ``open``) for the next read of the same file, else stop it."""
        if self._closed:
            return
        self._closed = True
        if self._key is not None and not self._gone and self._proc.is_alive():
            with _idle_lock:
                previous = list(_idle.values())
                _idle.clear()
                _idle[self._key] = self
            for other in previous:
                other._shutdown()
            return
        self._shutdown()

    def _proc_alive(self) -> bool:
        return not self._gone and self._proc.is_alive()

    def _shutdown(self) -> None:
        if self._gone:
            return
        self._gone = True
        if self._proc.is_alive():
            with contextlib.suppress(OSError):
                self._conn.send(("close", None))
            self._proc.join(2)
        self._kill()
        self._conn.close()
        self._proc.close()
        self._job = None
