"""Formula cells without a cached value, in one column of an .xlsx/.xlsm sheet.

The readers give a formula's cached result (what Excel last computed) and nothing when the file has none —
files written by some programs (openpyxl, scripts) never store results. The import report must say «formula
without a value» rather than «blank», so the few rows whose identifier cell came back empty are checked
here, by a streamed scan of that sheet's XML. Only called when such rows exist.
"""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path

from .package import Package, PackageError
from .xlsx_stream import column_letters

__all__ = ["uncached_formula_rows"]

log = logging.getLogger(__name__)

_CHUNK = 1 << 20
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")


def uncached_formula_rows(path: Path, sheet: str | None, column: int) -> set[int]:
    """1-based rows whose cell in ``column`` (0-based) holds a formula and no cached value."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = Package(zf).sheet(sheet).part
            letters = column_letters(column).encode()
            cell = re.compile(
                rb'<(?:\w+:)?c\b[^>]*?\br="' + letters + rb'(\d+)"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', re.S
            )
            found: set[int] = set()
            tail = b""
            with zf.open(part) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    data = tail + chunk
                    cut = data.rfind(b"</row>") + len(b"</row>") if chunk else len(data)
                    if chunk and cut < len(b"</row>"):
                        tail = data
                        continue
                    block, tail = data[:cut], data[cut:]
                    for m in cell.finditer(block):
                        body = m.group(2) or b""
                        if b"<f" in body.replace(b"<x:f", b"<f") and not _VALUE.search(body):
                            found.add(int(m.group(1)))
                    if not chunk:
                        return found
    except (OSError, KeyError, PackageError, zipfile.BadZipFile, ValueError) as exc:
        log.info("formula scan of %s skipped: %r", path.name, exc)
        return set()
