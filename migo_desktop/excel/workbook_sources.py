"""The in-process workbook readers: python-calamine (xlsx/xlsm/xls/ods) and openpyxl read-only (the
fallback for workbooks calamine refuses), behind ``RowSource``. Every source yields (1-based sheet row, cells)
from row 1 on — the n-th row yielded is row n — with cells aligned to column A and blanks as None or "".

Only ``excel.sources.open_source`` decides whether a file may be read here; a memory-capped child process
(``excel.isolated``) calls ``open_workbook`` for everything else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import python_calamine as calamine

from ..core.errors import InputError
from .guards import FileKind, Limits

__all__ = ["CalamineSource", "OpenpyxlSource", "RowSource", "open_workbook"]

log = logging.getLogger(__name__)

_ENCRYPTED = (
    "«{name}» está protegido con contraseña. Ábrelo en Excel, quita la contraseña, guárdalo y vuelve "
    "a importarlo."
)
_CORRUPT = (
    "No se pudo leer «{name}»: el archivo está dañado o tiene un formato no compatible. "
    "Ábrelo en Excel, guárdalo como .xlsx y vuelve a intentarlo."
)


class RowSource(Protocol):
    @property
    def sheet_names(self) -> list[str]: ...

    def rows(self, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
        """(1-based sheet row, cells) for every row, in order."""
        ...

    def height(self, sheet: str | None) -> int | None: ...

    def merged(self, sheet: str | None) -> list[tuple[tuple[int, int], tuple[int, int]]]: ...

    def close(self) -> None: ...


class CalamineSource:
    def __init__(self, path: Path, limits: Limits | None = None, kind: FileKind | None = None) -> None:
        # From a file object: calamine then detects the format by content, not by the extension
        # (an .xlsx saved as .xls by some accounting systems, a real .xls renamed .xlsx).
        self._fh = path.open("rb")
        try:
            self._book = calamine.CalamineWorkbook.from_filelike(self._fh)
        except BaseException:
            self._fh.close()
            raise
        self._limits = limits or Limits()
        self._name = path.name
        self._kind = kind
        self.sheet_names = [
            m.name for m in self._book.sheets_metadata if str(m.typ).endswith("WorkSheet")
        ] or list(self._book.sheet_names)
        self._cache: tuple[str, Any] | None = None

    def _sheet(self, name: str | None) -> Any:
        name = name or self.sheet_names[0]
        if self._cache is None or self._cache[0] != name:
            self._cache = None  # free the previous sheet's cells first
            sheet = self._book.get_sheet_by_name(name)
            # Second line of defence, for formats the guards cannot pre-scan (.xls: at most 65,536 × 256).
            if sheet.height * sheet.width > self._limits.max_cells:
                raise InputError(
                    f"La hoja «{name}» de «{self._name}» es demasiado grande ({sheet.height:,} filas × "
                    f"{sheet.width:,} columnas). Copia solo los datos a un libro nuevo y vuelve a "
                    "importarlo.",
                    detail=f"calamine extent {sheet.height}x{sheet.width}",
                )
            if self._kind is FileKind.ODS and sheet.height >= self._limits.max_sheet_rows:
                # calamine stops an .ods sheet at 1,048,576 rows without a word: never cut silently.
                raise InputError(
                    f"La hoja «{name}» de «{self._name}» tiene {sheet.height:,} filas o más, el máximo que "
                    "se puede leer; las siguientes se perderían. Divide los datos en varios archivos.",
                    detail=f"ods sheet at the row cap ({sheet.height})",
                )
            self._cache = (name, sheet)
        return self._cache[1]

    def height(self, sheet: str | None) -> int | None:
        end = self._sheet(sheet).end
        return end[0] + 1 if end else 0

    def merged(self, sheet: str | None) -> list[Any]:
        return list(self._sheet(sheet).merged_cell_ranges or [])

    def rows(self, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
        ws = self._sheet(sheet)
        end = ws.end
        if end is None:
            return
        total = ws.height
        # Some calamine versions yield from row 1, others from the first used row; columns start at the
        # first used column. Re-anchor both to A1.
        n_yield = sum(1 for _ in ws.iter_rows()) if total != end[0] + 1 else total
        row_offset = end[0] + 1 - n_yield
        for i in range(row_offset):  # keep row numbers true: the n-th row yielded is sheet row n
            yield i + 1, []
        pad = end[1] + 1 - ws.width  # calamine pads every row to the used width
        if pad <= 0:  # blanks stay "" (converting them costs ~10% of a read)
            yield from enumerate(ws.iter_rows(), start=row_offset + 1)
            return
        filler = [None] * pad
        for i, cells in enumerate(ws.iter_rows(), start=row_offset + 1):
            yield i, filler + cells

    def close(self) -> None:
        self._cache = None
        try:
            self._book.close()
        finally:
            self._fh.close()


class OpenpyxlSource:
    def __init__(self, path: Path) -> None:
        import openpyxl

        self._fh = path.open("rb")  # a file object: openpyxl would refuse a wrong extension
        try:
            self._book = openpyxl.load_workbook(self._fh, read_only=True, data_only=True)
        except BaseException:
            self._fh.close()
            raise
        self.sheet_names = list(self._book.sheetnames)

    def _ws(self, sheet: str | None) -> Any:
        return self._book[sheet or self.sheet_names[0]]

    def height(self, sheet: str | None) -> int | None:
        height: int | None = self._ws(sheet).max_row
        return height

    def merged(self, sheet: str | None) -> list[Any]:
        return []  # read-only mode does not load merged ranges

    def rows(self, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
        for i, row in enumerate(self._ws(sheet).iter_rows(values_only=True)):
            yield i + 1, [None if v == "" else v for v in row]

    def close(self) -> None:
        try:
            self._book.close()
        finally:
            self._fh.close()


def open_workbook(path: Path, kind: FileKind, limits: Limits) -> RowSource:
    """calamine, then openpyxl for an .xlsx calamine refuses. In-process: see ``open_source``."""
    name = path.name
    try:
        return CalamineSource(path, limits, kind)
    except calamine.PasswordError as exc:
        raise InputError(_ENCRYPTED.format(name=name), detail=f"calamine: {exc}") from exc
    except Exception as exc:  # calamine raises CalamineError subclasses and sometimes plain errors
        log.warning("calamine refused %s: %r", name, exc)
        if kind is not FileKind.XLSX:
            raise InputError(_CORRUPT.format(name=name), detail=f"calamine: {exc!r}") from exc
        first = exc
    try:
        return OpenpyxlSource(path)
    except Exception as exc:
        log.warning("openpyxl refused %s too: %r", name, exc)
        raise InputError(
            _CORRUPT.format(name=name), detail=f"calamine: {first!r}; openpyxl: {exc!r}"
        ) from exc
