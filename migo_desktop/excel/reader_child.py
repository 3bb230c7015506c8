"""The memory-capped reader child's side of ``excel.isolated``: open the workbook once the parent says so,
then answer its requests in order until "close", EOF or ``IDLE_SECONDS`` without one.

Requests are ``(op, sheet, arg)``; every request gets exactly one reply, ``("ok", value)`` or
``("error", user_message, detail)``, so the parent may send several before reading (it does: "load" right
after "open", and the next batch of rows while it works on the current one). Ops:

- "load": parse the sheet now (the first one when ``sheet`` is None), so the parse overlaps the parent's own
  checks; a failure is kept and becomes the reply to every later request about that sheet (never parsed
  twice).
- "height", "merged": as ``RowSource``.
- "rows": restart the sheet's rows (``arg``: the identifier column, or None); "next": the next batch as
  ``(first_row, packed, numbers)``: ``packed`` the rows (consecutive from ``first_row``, none at the end) as
  ``excel.row_wire.pack`` sends them, ``numbers`` the ``core.ruc_fast`` answer for each row's identifier cell
  when "rows" named a column (else None), so the app does not compute it on its busy side. A stream's first
  batch is small (detection reads 330 rows).
  Sending row numbers once per batch instead of once per row keeps 100k (int, list) pairs out of the
  pickle.

This module is the spawn target, so it imports as little as possible: the child's start-up is on the critical
path of every big import.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..core.errors import InputError
from ..core.ruc_fast import ruc_fast
from .guards import FileKind, Limits
from .row_wire import column_as_is, pack

__all__ = ["BATCH", "FIRST_BATCH", "IDLE_SECONDS", "crashed_message", "serve"]

BATCH = 4000
FIRST_BATCH = 500  # detection samples 330 rows and stops: its stream need not build and send 4,000
IDLE_SECONDS = 120.0

_CRASHED = (
    "No se pudo leer «{name}»: el archivo está dañado o necesitaría demasiada memoria (más de {mb:,} MB) "
    "para abrirse. Ábrelo en Excel, copia solo los datos a un libro nuevo, guárdalo como .xlsx y vuelve a "
    "importarlo."
)


def crashed_message(name: str, limits: Limits) -> str:
    return _CRASHED.format(name=name, mb=limits.child_memory_bytes // 2**20)


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
    return ("error", crashed_message(name, limits), f"{type(exc).__name__}: {exc}")


def _batch(
    rows: Iterator[tuple[int, list[Any]]], pending: list[tuple[int, list[Any]]], size: int = BATCH
) -> tuple[int, list[Any]]:
    """Up to ``size`` consecutive rows; a row that does not follow the previous one starts the next batch
    (``pending`` holds it meanwhile)."""
    head = pending.pop() if pending else next(rows, None)
    if head is None:
        return 0, []
    first, cells = head
    out: list[Any] = [cells]
    expected = first + 1
    for number, cells in rows:
        if number != expected:
            pending.append((number, cells))
            break
        out.append(cells)
        expected += 1
        if len(out) >= size:
            break
    return first, out


def _numbers(batch: list[list[Any]], packed: tuple[str, Any], column: int) -> list[str | None]:
    as_is = column_as_is(packed, column)  # the column as sent: one pass, no per-row indexing
    if as_is is not None:
        return list(map(ruc_fast, as_is))
    return [ruc_fast(cells[column]) if column < len(cells) else None for cells in batch]


def serve(conn: Connection, path_text: str, kind_value: str, limits: Limits) -> None:
    """The child: wait for "open" (the parent caps us first), then answer requests until "close"/EOF."""
    _quiet_stderr()
    # Nothing here makes reference cycles worth collecting, and a collection pass over the 1M+ cells a big
    # sheet holds cost ~0.1-0.4 s per read; the memory cap bounds the child whatever happens.
    gc.disable()
    from .workbook_sources import open_workbook  # here: the parent never loads calamine for this file

    path = Path(path_text)
    rows: Iterator[tuple[int, list[Any]]] = iter(())
    pending: list[tuple[int, list[Any]]] = []
    size = BATCH
    column: int | None = None
    failed: dict[str, tuple[str, str, str]] = {}
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
            if not conn.poll(IDLE_SECONDS):
                return  # kept for a likely next read of the same file (preview, then import); not forever
            op, sheet, arg = conn.recv()
        except EOFError:
            return
        if op == "close":
            source.close()
            return
        key = sheet or (source.sheet_names[0] if source.sheet_names else "")
        if key in failed and op != "next":
            conn.send(failed[key])
            continue
        try:
            if op == "load":
                source.height(sheet)
                reply: Any = None
            elif op == "height":
                reply = source.height(sheet)
            elif op == "merged":
                reply = source.merged(sheet)
            elif op == "rows":
                rows, reply, column = source.rows(sheet), None, arg
                pending.clear()
                size = FIRST_BATCH
            else:  # "next"
                first, cells = _batch(rows, pending, size)
                size = BATCH
                packed = pack(cells)
                reply = (first, packed, None if column is None else _numbers(cells, packed, column))
            conn.send(("ok", reply))
        except BaseException as exc:  # noqa: BLE001
            error = _error_reply(exc, path.name, limits)
            if op == "load":
                failed[key] = error  # reported when the sheet is asked for (maybe never: another sheet)
                conn.send(("ok", None))
            else:
                conn.send(error)
