"""Which reader a file gets (``open_source``). csv/txt are read as text; python-calamine may parse a
workbook *in this process* only when it is an .xlsx/.xlsm package of at most ``Limits.inprocess_bytes``
uncompressed whose sheets ``excel.sheet_scan`` read with a real XML parser and found within
``Limits.inprocess_cells``. Everything else (.xls, .ods, bigger or unclear .xlsx) is parsed by a memory-capped
child process (``excel.isolated.IsolatedSource``): native code there can abort without taking the app with it.
The readers themselves are in ``excel.workbook_sources`` and ``excel.text_source``.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from .guards import FileKind, Limits, refuse_extent
from .isolated import IsolatedSource
from .sheet_scan import SheetScanError, scan_xlsx
from .text_source import TextSource
from .workbook_sources import RowSource, open_workbook

__all__ = ["RowSource", "TextSource", "open_source", "open_workbook"]

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


def open_source(path: Path, kind: FileKind, limits: Limits) -> RowSource:
    """The source for a file ``guards.check_file`` accepted: in-process only when that is provably safe."""
    if kind is FileKind.TEXT:
        return TextSource(path, limits)
    if kind is FileKind.XLSX and _cleared_in_process(path, limits):
        return open_workbook(path, kind, limits)
    return IsolatedSource.open(path, kind, limits)
