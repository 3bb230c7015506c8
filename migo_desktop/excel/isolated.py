"""Parse an untrusted workbook in a child process with a memory cap, so no file can take the app down.

python-calamine is native code: a crafted .xlsx asks it for 549 GB and the allocation failure *aborts* the
process (no MemoryError to catch); 2 of 700 randomly corrupted .xls abort inside its BIFF reader; a 5.6 KB
.xls declaring IV65536 costs 1 GB and a 918 KB .ods 1.4 GB. None of that can be ruled out by looking at the
bytes first, so .xls, .ods and every .xlsx the streamed check (``excel.sheet_scan``) did not clear are read
here: a ``spawn``-ed child (never ``fork``: the GUI has threads) opens the workbook with the ordinary sources
and sends rows back in batches on request (``excel.reader_child``). If it dies, runs out of memory or takes
too long, the caller gets an ``InputError`` in Spanish and carries on.

The cap: POSIX ``RLIMIT_AS`` set by the child before it opens the file (so its RSS can never pass it);
Windows: a Job Object with ``JOB_OBJECT_LIMIT_PROCESS_MEMORY`` (and kill-on-close) that the parent assigns
before telling the child to start. Every request also has a wall-clock deadline, after which the child is
killed. Start-up costs ~60–130 ms here (see docs/benchmarks.md), which is why small, cleared .xlsx files are
still parsed in-process.

Nothing waits that need not: ``start`` returns at once (the child opens the file and parses its first sheet
while the caller runs its own checks; a refused file's child is discarded), and ``rows`` keeps the next
batches asked for (``AHEAD``) while it hands out the current one, so the child builds and sends rows while
the caller uses them (``excel.row_wire``: column by column, dates as day numbers).
Requests are answered in order, so an abandoned request's reply is read and dropped before the next one.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
from collections.abc import Iterator
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from ..core.errors import InputError
from .guards import FileKind, Limits
from .reader_child import crashed_message, serve
from .row_wire import unpack
from .win_job import cap_process_memory

__all__ = ["IsolatedSource", "shutdown_idle"]

log = logging.getLogger(__name__)

AHEAD = 2  # batches the child is asked for ahead of the one in use (after the first)

_idle_lock = threading.Lock()
_idle: dict[tuple[Any, ...], IsolatedSource] = {}  # at most one child kept after close(), by file key


def _file_key(path: Path, kind: FileKind, limits: Limits) -> tuple[Any, ...]:
    st = path.stat()
    return (str(path.absolute()), st.st_mtime_ns, st.st_size, kind.value, limits)


_TIMEOUT = (
    "Leer «{name}» tardó más de {s:,.0f} segundos y se detuvo: el archivo es demasiado grande o está "
    "dañado. Divide los datos en archivos más pequeños o guárdalo otra vez desde Excel como .xlsx."
)


def shutdown_idle() -> None:
    """Stop the child kept for a next read (benchmarks: so its CPU and memory are counted)."""
    with _idle_lock:
        kept = list(_idle.values())
        _idle.clear()
    for source in kept:
        source._shutdown()


class IsolatedSource:
    """A ``RowSource`` whose workbook lives in a memory-capped child process."""

    @classmethod
    def open(cls, path: Path, kind: FileKind, limits: Limits) -> IsolatedSource:
        """``start``, then wait until the workbook is open (its errors are raised here)."""
        source = cls.start(path, kind, limits)
        try:
            source.wait_open()
        except BaseException:
            source.discard()
            raise
        return source

    @classmethod
    def start(cls, path: Path, kind: FileKind, limits: Limits) -> IsolatedSource:
        """A child for ``path``, without waiting for it: the one kept from the last read of this same file
        (unchanged) if it is still there — the import preview and then the import cost one start-up, not
        two — or a new one, already told to open the file and parse its first sheet."""
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
        self.kind = kind
        self._name = path.name
        self._limits = limits
        self._key = key
        self._closed = self._gone = False
        self._sheet_names: list[str] | None = None
        self._unread = 0  # requests sent whose replies have not been read yet
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(
            target=serve, args=(child, str(path), kind.value, limits), name="migo-lector", daemon=True
        )
        self._proc.start()
        child.close()
        self._job = cap_process_memory(self._proc, limits.child_memory_bytes)
        try:
            self._conn.send("open")
            self._unread += 1
        except BaseException:
            self._shutdown()
            raise
        try:
            self._conn.send(("load", None, None))  # the first sheet: the one detection looks at first
            self._unread += 1
        except OSError:
            pass  # the child already gave up opening the file; its reply to "open" says why
        except BaseException:
            self._shutdown()
            raise

    @property
    def sheet_names(self) -> list[str]:
        return self.wait_open()

    def wait_open(self) -> list[str]:
        """The workbook's sheet names, once the child has opened it; raises its InputError if it could not."""
        if self._sheet_names is None:
            self._sheet_names = self._take()
        return self._sheet_names

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

    def _take(self) -> Any:
        """The reply to the oldest request still unread."""
        self._unread -= 1
        return self._reply()

    def _died(self) -> InputError:
        self._proc.join(5)
        code = self._proc.exitcode
        log.warning("reader child for %s died (exit code %s)", self._name, code)
        return InputError(crashed_message(self._name, self._limits), detail=f"child exit code {code}")

    def _send(self, op: str, sheet: str | None, arg: int | None = None) -> None:
        try:
            self._conn.send((op, sheet, arg))
        except (BrokenPipeError, OSError):
            raise self._died() from None
        self._unread += 1

    def _ask(self, op: str, sheet: str | None, arg: int | None = None) -> Any:
        self.wait_open()
        while self._unread:  # a "load" sent ahead, a batch an abandoned ``rows`` asked for
            try:
                self._take()
            except InputError:
                if not self._proc_alive():
                    raise
                # that request's error is not this one's: the child keeps a sheet's failure for every
                # later request about it
        self._send(op, sheet, arg)
        return self._take()

    def height(self, sheet: str | None) -> int | None:
        height: int | None = self._ask("height", sheet)
        return height

    def merged(self, sheet: str | None) -> list[Any]:
        merged: list[Any] = self._ask("merged", sheet)
        return merged

    def rows(self, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
        for number, cells, _ in self._stream(sheet, None):
            yield number, cells

    def rows_with_ruc(self, sheet: str | None, column: int) -> Iterator[tuple[int, list[Any], str | None]]:
        """``rows`` plus ``core.ruc_fast`` of each row's cell in ``column``, computed by the child."""
        return self._stream(sheet, column)

    def _stream(self, sheet: str | None, column: int | None) -> Iterator[tuple[int, list[Any], str | None]]:
        self._ask("rows", sheet, column)  # every earlier reply is read: what stays unread is our "next"s
        self._send("next", sheet)
        ahead = 1
        while True:
            first, packed, numbers = self._take()
            batch = unpack(packed)
            if not batch:
                return
            # The child builds the next batches while this one is used: one ahead after the first, small
            # batch (detection stops there), two from then on so the child never waits for a request.
            while self._unread < ahead:
                self._send("next", sheet)
            ahead = AHEAD
            if numbers is None:
                numbers = [None] * len(batch)
            yield from zip(range(first, first + len(batch)), batch, numbers, strict=True)

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

    def discard(self) -> None:
        """Stop the child, never keeping it (a file refused by the caller's checks)."""
        self._closed = True
        self._shutdown()

    def _proc_alive(self) -> bool:
        return not self._gone and self._proc.is_alive()

    def _shutdown(self) -> None:
        if self._gone:
            return
        self._gone = True
        if self._proc.is_alive() and not self._unread:  # busy (a parse sent ahead): not worth waiting for
            with contextlib.suppress(OSError):
                self._conn.send(("close", None, None))
            self._proc.join(2)
        self._kill()
        self._conn.close()
        self._proc.close()
        self._job = None
