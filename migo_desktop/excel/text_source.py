"""CSV/TXT as a streamed row source: bounded memory whatever the file holds.

Reading a whole text file at once let one 200 MB line of ``x,`` reach 5.6 GB, and 10 M short rows 1.8 GB
before the row limit was checked. Here the file is read in 1 MB chunks, twice:

1. a survey, line by line without keeping any: a line longer than ``Limits.max_line_bytes`` fails after
   reading that much, NUL bytes mean a binary file, far more lines than a sheet can hold fail
   at once, and the encodings of the lines are counted — a file mixing UTF-8 and cp1252 lines gets a
   warning naming one line of each (every line is decoded with its own encoding, so neither turns into
   mojibake); the first lines give the delimiter;
2. ``rows()``: lines are split (``\\r\\n``, ``\\n`` or a lone ``\\r`` — Excel for Mac), decoded one by one and
   parsed by ``csv.reader``; a row wider than ``Limits.max_columns`` (Excel's 16,384) or a runaway quoted
   field is refused with the line number, before anything is paid for.
"""

from __future__ import annotations

import codecs
import csv
import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, AnyStr

from ..core.errors import InputError
from ..core.numbers import plural
from .guards import Limits
from .text import decode_line, sniff_delimiter

__all__ = ["TextSource"]

log = logging.getLogger(__name__)

_CHUNK = 1 << 20
_SAMPLE_LINES = 60
_EOL_B = re.compile(rb"\r\n|\r|\n")
_EOL_S = re.compile(r"\r\n|\r|\n")
_HINT = re.compile(r"sep=(.)\r?\n?$")


def _too_long(name: str, line: int, limit: int) -> InputError:
    return InputError(
        f"La línea {line:,} de «{name}» mide más de {limit // 2**20} MB: no parece un CSV ni una lista "
        "de RUC. Revisa que sea el archivo correcto o guárdalo otra vez desde Excel como CSV.",
        detail=f"line {line} longer than {limit} bytes",
    )


def _lines(chunks: Iterable[AnyStr], eol: re.Pattern[AnyStr], limit: int, name: str) -> Iterator[AnyStr]:
    """Lines with their ends, split on CRLF, LF or a lone CR; none longer than ``limit``."""
    buf: AnyStr | None = None
    number = 0
    for chunk in chunks:
        buf = chunk if buf is None else buf + chunk
        start = 0
        for m in eol.finditer(buf):
            if m.end() == len(buf) and len(m.group()) == 1 and m.group() in ("\r", b"\r"):
                break  # a CR at the end of the chunk may be the first half of CRLF
            number += 1
            yield buf[start : m.end()]
            start = m.end()
        buf = buf[start:]
        if len(buf) > limit:
            raise _too_long(name, number + 1, limit)
    if buf:
        yield buf


def _chunks(path: Path, skip: int = 0) -> Iterator[bytes]:
    with path.open("rb") as fh:  # closed when the generator ends or is dropped
        fh.seek(skip)
        while chunk := fh.read(_CHUNK):
            yield chunk


class TextSource:
    """A ``RowSource`` over a CSV/TXT file; ``rows()`` re-reads the file each time (streamed)."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.sheet_names: list[str] = []
        self._path, self._limits, self._name = path, limits, path.name
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise InputError(
                f"«{path.name}» pesa {size / 2**20:,.0f} MB; el máximo es "
                f"{limits.max_file_bytes / 2**20:,.0f} MB. Divide los datos en archivos más pequeños.",
                detail=f"text size {size}",
            )
        with path.open("rb") as fh:
            head = fh.read(4)
        self._bom, self._utf16, self.encoding = 0, False, "utf-8"
        if head.startswith(codecs.BOM_UTF8):
            self._bom, self.encoding = 3, "utf-8-sig"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self._bom, self._utf16, self.encoding = 0, True, "utf-16"
        self.warnings: list[str] = []
        sample = self._survey()
        hint = _HINT.match(sample[0]) if sample else None
        self._skipped = 1 if hint else 0
        self.delimiter = hint.group(1) if hint else sniff_delimiter(sample[self._skipped :])
        log.info("text import: encoding=%s delimiter=%r", self.encoding, self.delimiter)

    # -- survey
    def _survey(self) -> list[str]:
        counts = {"ascii": 0, "utf-8": 0, "cp1252": 0, "bad": 0, "utf-16": 0}
        first: dict[str, int] = {}
        sample: list[str] = []
        max_lines = 2 * self._limits.max_sheet_rows + 1000  # quoted multi-line fields make lines > rows
        for lines, (text, enc) in enumerate(self._decoded_lines(), start=1):
            counts[enc] += 1
            first.setdefault(enc, lines)
            if len(sample) < _SAMPLE_LINES:
                sample.append(text)
            if "\x00" in text:
                raise InputError(
                    f"«{self._name}» no es un archivo de texto (tiene datos binarios). Elige un CSV o TXT.",
                    detail="NUL characters in text",
                )
            if lines > max_lines:
                raise InputError(
                    f"«{self._name}» tiene más de {max_lines:,} líneas, mucho más que el máximo de "
                    f"{self._limits.max_rows:,} filas de datos. Divide los datos en varios archivos.",
                    detail=f"more than {max_lines} lines",
                )
        if not self._utf16 and not self._bom:
            self.encoding = "cp1252" if counts["cp1252"] + counts["bad"] and not counts["utf-8"] else "utf-8"
        if counts["utf-8"] and counts["cp1252"]:
            self.encoding = "utf-8+cp1252"
            self.warnings.append(
                f"«{self._name}» mezcla dos codificaciones: "
                f"{plural(counts['utf-8'], 'línea', 'líneas')} en UTF-8 "
                f"(p. ej. la {first['utf-8']:,}) y {counts['cp1252']:,} en Windows-1252 "
                f"(p. ej. la {first['cp1252']:,}). "
                "Se leyó cada línea con la suya; revisa que los nombres con tildes y eñes se vean bien."
            )
        if counts["bad"]:
            self.warnings.append(
                f"{plural(counts['bad'], 'línea', 'líneas')} de «{self._name}» (p. ej. la {first['bad']:,}) "
                f"{'tiene' if counts['bad'] == 1 else 'tienen'} "
                "caracteres que no son UTF-8 ni Windows-1252; se reemplazaron por «�». Si los nombres salen "
                "mal, guárdalo desde Excel como «CSV UTF-8»."
            )
        return sample

    def _decoded_lines(self) -> Iterator[tuple[str, str]]:
        limit = self._limits.max_line_bytes
        if self._utf16:
            decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
            texts = (decoder.decode(c) for c in _chunks(self._path))
            for line in _lines(texts, _EOL_S, limit, self._name):
                yield line, "utf-16"
            return
        for raw in _lines(_chunks(self._path, self._bom), _EOL_B, limit, self._name):
            yield decode_line(raw)

    # -- RowSource
    def height(self, sheet: str | None) -> int | None:
        return None  # unknown until read: the reader shows indeterminate progress

    def merged(self, sheet: str | None) -> list[Any]:
        return []

    def rows(self, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
        texts = (text for text, _ in self._decoded_lines())
        for i in range(self._skipped):  # keep line numbers true: row n is line n of the file
            next(texts, None)
            yield i + 1, []
        if self.delimiter is None:
            for i, text in enumerate(texts, start=self._skipped + 1):
                value = text.rstrip("\r\n")
                yield i, [value if value.strip() else None]
            return
        reader = csv.reader(texts, delimiter=self.delimiter)
        width = self._limits.max_columns
        try:
            for i, row in enumerate(reader, start=self._skipped + 1):
                if len(row) > width:
                    raise InputError(
                        f"La fila {i:,} de «{self._name}» tiene {len(row):,} columnas; el máximo es "
                        f"{width:,} (el de Excel). Revisa el separador o divide el archivo.",
                        detail=f"row {i} has {len(row)} fields",
                    )
                yield i, [v if v.strip() else None for v in row]
        except csv.Error as exc:
            raise InputError(
                f"«{self._name}» tiene un campo demasiado largo o unas comillas sin cerrar cerca de la línea "
                f"{reader.line_num:,}. Ábrelo en Excel, revisa esa fila y guárdalo otra vez como CSV.",
                detail=f"csv: {exc}",
            ) from exc

    def close(self) -> None:
        pass  # every pass opens and closes the file itself
