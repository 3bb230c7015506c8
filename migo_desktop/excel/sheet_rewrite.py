"""Stream-rewrite one worksheet's XML, adding cells to the right of its used range and nothing else.

Every byte of the user's sheet passes through unchanged except: the ``<dimension>`` ref (widened), the
``<cols>`` list (entries for the new columns; an entry that spanned them is clipped, so ranges never
overlap), the ``spans`` hint of the rows that gain cells, and the new cells themselves, placed at the end of
their row. A row that needs cells but is not in the XML (all blank) is created in its place. Formulas, shared
strings, styles, merged cells, validations, conditional formats, drawings and everything after
``</sheetData>`` are untouched. Works on bytes, a chunk at a time: memory does not grow with the sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import IO

from .xlsx_stream import column_letters

__all__ = ["Collision", "SheetRewrite", "column_number", "scan_extent"]

_CHUNK = 1 << 20
_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
_ROW_R = re.compile(rb'\br="(\d+)"')
_SPANS = re.compile(rb'\bspans="(\d+):(\d+)"')


class Collision(Exception):
    """A row already has a cell where a new column was meant to go (the dimension under-reported)."""


def column_number(letters: bytes | str) -> int:
    """'A' -> 1, 'AD' -> 30."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


def scan_extent(stream: IO[bytes]) -> tuple[int, int]:
    """(last column, last row) of every cell reference in a sheet's XML, by a streamed scan."""
    max_col = max_row = 0
    tail = b""
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        cut = data.rfind(b"<")
        data, tail = data[:cut], data[cut:]
        letters = {m.group(1) for m in _REF.finditer(data)}
        if letters:
            max_col = max(max_col, max(column_number(x) for x in letters))
        rows = _ROW_R.findall(data)
        if rows:
            max_row = max(max_row, max(int(r) for r in rows))
    return max_col, max_row


class SheetRewrite:
    """Copy ``source`` (a sheet's XML) to ``out`` with ``cells[row]`` appended to each row.

    ``cells`` yields (1-based row, XML of the new cells) in ascending row order; ``first_col`` is the 1-based
    column of the first new cell, ``n_cols`` how many there are, ``widths`` their widths.
    """

    def __init__(self, first_col: int, n_cols: int, widths: Sequence[float], last_row: int) -> None:
        self.first_col = first_col
        self.last_col = first_col + n_cols - 1
        self.widths = widths
        self.last_row = last_row
        self.rows_done = 0

    # -- head: everything before <sheetData> -------------------------------------------------------------
    def _head(self, head: bytes, p: bytes) -> bytes:
        last = column_letters(self.last_col - 1).encode()

        def dimension(m: re.Match[bytes]) -> bytes:
            start = m.group(2).split(b":")[0]
            end = m.group(2).split(b":")[-1]
            end_row = int(re.sub(rb"[A-Z$]", b"", end) or b"1")
            row = max(end_row, self.last_row)
            return m.group(1) + start.replace(b"$", b"") + b":" + last + str(row).encode() + m.group(3)

        head = re.sub(rb"(<" + p + rb'dimension\b[^>]*?\bref=")([^"]*)(")', dimension, head, count=1)
        new_cols = b"".join(
            b'<%scol min="%d" max="%d" width="%.1f" customWidth="1"/>' % (p, c, c, w)
            for c, w in zip(range(self.first_col, self.last_col + 1), self.widths, strict=True)
        )
        close = b"</" + p + b"cols>"
        if close in head:
            start = head.index(b"<" + p + b"cols")
            end = head.index(close)
            body = re.sub(rb"<" + p + rb"col\b[^>]*?/>", self._clip_col, head[start:end])
            return head[:start] + body + new_cols + head[end:]
        return head + b"<" + p + b"cols>" + new_cols + close  # the head ends where <sheetData> starts

    def _clip_col(self, m: re.Match[bytes]) -> bytes:
        """A <col min max …/> entry cut so it does not cover the new columns (split if it spans them)."""
        element = m.group(0)
        lo_m, hi_m = re.search(rb'\bmin="(\d+)"', element), re.search(rb'\bmax="(\d+)"', element)
        if lo_m is None or hi_m is None:
            return element
        lo, hi = int(lo_m.group(1)), int(hi_m.group(1))
        if hi < self.first_col or lo > self.last_col:
            return element

        def ranged(a: int, b: int) -> bytes:
            e = re.sub(rb'\bmin="\d+"', b'min="%d"' % a, element)
            return re.sub(rb'\bmax="\d+"', b'max="%d"' % b, e)

        out = b""
        if lo < self.first_col:
            out += ranged(lo, self.first_col - 1)
        if hi > self.last_col:
            out += ranged(self.last_col + 1, hi)
        return out

    # -- rows --------------------------------------------------------------------------------------------
    def _widen(self, start_tag: bytes) -> bytes:
        return _SPANS.sub(lambda m: m.group(1).join((b'spans="', b":%d" % self.last_col + b'"')), start_tag)

    def _check(self, row_xml: bytes) -> None:
        """Cells come in column order: the row's last cell tells whether a new column is already taken."""
        at = max(row_xml.rfind(b"<c "), row_xml.rfind(b":c "))
        if at < 0:
            return
        m = _REF.match(row_xml, at if row_xml[at] == 60 else row_xml.rfind(b"<", 0, at))
        if m is not None and column_number(m.group(1)) >= self.first_col:
            raise Collision(column_number(m.group(1)))

    def run(self, source: IO[bytes], out: IO[bytes], cells: Iterator[tuple[int, bytes]]) -> None:
        pending = next(cells, None)
        data = b""
        while b"<sheetData" not in data and b":sheetData" not in data:
            chunk = source.read(_CHUNK)
            if not chunk:
                raise ValueError("no sheetData")
            data += chunk
        root = re.search(rb"<(\w+:)?worksheet\b", data)
        p = (root.group(1) or b"") if root else b""
        open_m = re.search(rb"<" + p + rb"sheetData\b[^>]*?(/?)>", data)
        while open_m is None:
            chunk = source.read(_CHUNK)
            if not chunk:
                raise ValueError("unterminated sheetData")
            data += chunk
            open_m = re.search(rb"<" + p + rb"sheetData\b[^>]*?(/?)>", data)
        self_closed = bool(open_m.group(1))
        out.write(self._head(data[: open_m.start()], p))
        out.write(b"<" + p + b"sheetData>")
        data = data[open_m.end() :]
        row_end = b"</" + p + b"row>"
        data_end = b"</" + p + b"sheetData>"
        row_start = re.compile(rb"<" + p + rb"row\b([^>]*?)(/?)>")
        prev = 0

        def emit_missing(before: int) -> list[bytes]:
            nonlocal pending
            made = []
            while pending is not None and pending[0] < before:
                made.append(b'<%srow r="%d">%s</%srow>' % (p, pending[0], pending[1], p))
                pending = next(cells, None)
            return made

        def piece_out(piece: bytes, closed_by_end: bool) -> list[bytes]:
            """One stretch of XML ending at a </row> (or at </sheetData> when ``closed_by_end`` is False)."""
            nonlocal prev, pending
            parts: list[bytes] = []
            pos = 0
            starts = list(row_start.finditer(piece))
            for i, m in enumerate(starts):
                r_m = _ROW_R.search(m.group(1))
                number = int(r_m.group(1)) if r_m else prev + 1
                prev = number
                parts.append(piece[pos : m.start()])
                parts += emit_missing(number)
                is_open = not m.group(2)
                wanted = pending is not None and pending[0] == number
                if not wanted:
                    parts.append(m.group(0))
                    pos = m.end()
                    continue
                assert pending is not None
                new = pending[1]
                pending = next(cells, None)
                self.rows_done += 1
                if is_open and i == len(starts) - 1 and closed_by_end:
                    body = piece[m.end() :]
                    self._check(body)
                    parts += [self._widen(m.group(0)), body, new]
                    return parts  # the caller appends </row>
                start_tag = self._widen(m.group(0))[: -2 if m.group(2) else -1] + b">"
                parts += [start_tag, new, row_end]
                pos = m.end()
            parts.append(piece[pos:])
            return parts

        if not self_closed:
            while True:
                end = data.find(data_end)
                if end >= 0:
                    body, tail = data[:end], data[end + len(data_end) :]
                    pieces: list[bytes | None] = list(body.split(row_end))
                    out.write(b"".join(_join_rows(pieces, piece_out, row_end)))
                    break
                cut = data.rfind(row_end)
                if cut >= 0:
                    body, data = data[: cut + len(row_end)], data[cut + len(row_end) :]
                    closed: list[bytes | None] = [*body.split(row_end)[:-1], None]
                    out.write(b"".join(_join_rows(closed, piece_out, row_end)))
                chunk = source.read(_CHUNK)
                if not chunk:
                    raise ValueError("unterminated sheetData")
                data += chunk
        else:
            tail = data
        out.write(b"".join(emit_missing(1 << 30)))
        out.write(data_end)
        out.write(tail)
        while chunk := source.read(_CHUNK):
            out.write(chunk)


def _join_rows(
    pieces: list[bytes | None], piece_out: Callable[[bytes, bool], list[bytes]], row_end: bytes
) -> Iterator[bytes]:
    """Pieces split at </row>: each but the last was closed by one (``None`` marks "no open remainder")."""
    last = len(pieces) - 1
    for i, piece in enumerate(pieces):
        if piece is None:
            continue
        closed = i < last
        yield from piece_out(piece, closed)
        if closed:
            yield row_end
