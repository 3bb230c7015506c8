"""Which reader a file gets (``open_source``). csv/txt are read as text; python-calamine may parse a
workbook *in this process* only when it is an .xlsx/.xlsm package of at most ``Limits.inprocess_bytes``
uncompressed whose sheets ``excel.sheet_scan`` read with a real XML parser and found within
``Limits.inprocess_cells``. Everything else (.xls, .ods, bigger or unclear .xlsx) is parsed by a memory-capped
child process (``excel.isolated.IsolatedSource``): native code there can abort without taking the app with it.
The readers themselves are in ``excel.workbook_sources`` and ``excel.text_source``.

``start_early`` lets a caller start that child *before* ``guards.check_file`` when the file's first bytes
and zip directory already say where it will be read (an .xls, an .ods, an .xlsx too big to be read here):
the child's start-up and parse then overlap the checks' decompression pass. The child is the protection
(memory cap, deadline) whether or not the checks have run; a file they refuse has its child discarded, and
their message is the one the user sees.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.ruc_fast import ruc_fast
from .guards import OLE_MAGIC, ZIP_MAGIC, FileKind, Limits, refuse_extent, zip_kind
from .isolated import IsolatedSource
from .sheet_scan import SheetScanError, scan_xlsx
from .text_source import TextSource
from .workbook_sources import RowSource, open_workbook

__all__ = [
    "RowSource",
    "TextSource",
    "open_source",
    "open_workbook",
    "rows_with_ruc",
    "start_early",
]

log = logging.getLogger(__name__)


def _cleared_in_process(path: Path, limits: Limits) -> bool:
    """True when a small .xlsx's sheets were read and are safe for calamine here; raises for absurd ones."""
    with zipfile.ZipFile(path) as zf:
        if sum(i.file_size for i in zf.infolist()) > limits.inprocess_bytes:
            return False
    try:
        extents = scan_xlsx(path)
    except SheetScanError as exc:
        log.info("sheet scan of %s unclear (%s): reading it in a child process", path.name, exc)
        return False
    for extent in extents:
        refuse_extent(path.name, extent.max_row, extent.max_col, extent.grid, limits)
    return all(e.grid <= limits.inprocess_cells for e in extents)


def _surely_isolated(path: Path, limits: Limits) -> FileKind | None:
    """The kind of a file that, if ``check_file`` accepts it, will be read in a child; None when unsure."""
    try:
        if path.stat().st_size > limits.max_file_bytes:
            return None
        with path.open("rb") as fh:
            head = fh.read(len(OLE_MAGIC))
        if head.startswith(OLE_MAGIC):
            return FileKind.XLS
        if not head.startswith(ZIP_MAGIC):
            return None
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            kind = zip_kind({i.filename for i in infos})
            total = sum(i.file_size for i in infos)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return None  # check_file will say what is wrong
    if len(infos) > limits.max_members or total > limits.max_uncompressed_bytes:
        return None
    if kind is FileKind.ODS or (kind is FileKind.XLSX and total > limits.inprocess_bytes):
        return kind
    return None


def start_early(path: Path, limits: Limits) -> IsolatedSource | None:
    """A reader child already opening ``path``, for a file that will surely be read in one (else None).
    Pass it to ``open_source`` after the checks, or ``discard()`` it if they refuse the file."""
    kind = _surely_isolated(path, limits)
    return IsolatedSource.start(path, kind, limits) if kind is not None else None


def open_source(
    path: Path, kind: FileKind, limits: Limits, *, started: IsolatedSource | None = None
) -> RowSource:
    """The source for a file ``guards.check_file`` accepted: in-process only when that is provably safe.
    ``started``: the child ``start_early`` gave for this file, used when the route is a child of that kind."""
    if started is not None and started.kind is not kind:
        started.discard()
        started = None
    if kind is FileKind.TEXT:
        return TextSource(path, limits)
    if kind is FileKind.XLSX and started is None and _cleared_in_process(path, limits):
        return open_workbook(path, kind, limits)
    if started is None:
        return IsolatedSource.open(path, kind, limits)
    try:
        started.wait_open()
    except BaseException:
        started.discard()
        raise
    return started


def rows_with_ruc(
    source: RowSource, sheet: str | None, col: int
) -> Iterator[tuple[int, list[Any], str | None]]:
    """Each row with ``core.ruc_fast`` of its cell in ``col``: worked out by a reader child while the caller
    uses the previous batch, or here for the other sources."""
    if isinstance(source, IsolatedSource):
        return source.rows_with_ruc(sheet, col)
    return ((n, cells, ruc_fast(cells[col]) if col < len(cells) else None) for n, cells in source.rows(sheet))
