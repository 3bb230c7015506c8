"""A small streaming .xlsx writer: rows go straight to disk, memory stays flat.

Why not openpyxl's write-only mode: measured here it needed ~70 s (≈18 µs per cell in its cell writer, with
or without lxml) for 100k rows × 26 columns, against a 25 s budget. The SpreadsheetML we need is small —
inline strings, numbers, dates, a fixed style sheet, frozen header, autofilter, column widths — so we write
it directly (~1 µs per cell). openpyxl and python-calamine both re-read these files in the tests.

A sheet's rows are streamed to a temporary file first, so that its head can carry a true ``<dimension>``
(readers size their grid from it) before the rows are copied into the zip. The package also gets a theme
part and document properties, like a workbook Excel saves. ``COMPRESS_LEVEL`` was chosen by measurement
(docs/benchmarks.md, «Excel»).
"""

from __future__ import annotations

import contextlib
import math
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from .cells import MAX_CELL_CHARS, clean_text, is_formula_like
from .detect import column_letter
from .styles import STYLES_XML, Style

__all__ = ["COMPRESS_LEVEL", "SheetPart", "XlsxBook", "cell_xml", "column_letters", "text_cell", "write_part"]

_EPOCH = datetime(1899, 12, 30)
_LETTERS = [column_letter(i) for i in range(16384)]
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_INLINE = ' t="inlineStr"><is><t>'
_INLINE_KEEP = ' t="inlineStr"><is><t xml:space="preserve">'  # only when the text starts or ends with spaces
_INFINITIES = (math.inf, -math.inf)
_FORMULA_FIRST = frozenset("=+-@\t\r＝＋－＠")
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
COMPRESS_LEVEL = 3  # measured: 16 % smaller than 1 for +0.2 s on 117 MB; 6 is 3x the CPU of 1 (benchmarks.md)


def column_letters(index: int) -> str:
    """0 -> 'A' (a table lookup; Excel's 16,384 columns)."""
    return _LETTERS[index]


def _s(style: int, base: int) -> str:
    return f' s="{style + base}"' if style else ""


def _text_cell(ref: str, text: str, style: int, base: int = 0) -> str:
    if not text.isprintable() or len(text) > MAX_CELL_CHARS:  # isprintable: a C-speed pre-check
        text = clean_text(text)
    if text[:1] in _FORMULA_FIRST and style in (Style.DEFAULT, Style.TEXT) and is_formula_like(text):
        style = Style.QUOTED
    if "&" in text or "<" in text or ">" in text:
        text = escape(text)
    inline = _INLINE_KEEP if text[:1].isspace() or text[-1:].isspace() else _INLINE
    return f'<c r="{ref}"{_s(style, base)}{inline}{text}</t></is></c>'


text_cell = _text_cell  # one text cell (formula-looking text is quote-prefixed): the common case, direct


def cell_xml(ref: str, value: Any, style: int = 0, base: int = 0) -> str:
    """One <c> element ('' for an empty unstyled cell). ``base`` offsets our style ids (a user's workbook).

    Never a formula: text that looks like one is written as a quote-prefixed string.
    """
    if value is None or value == "":
        return f'<c r="{ref}"{_s(style, base)}/>' if style else ""
    if isinstance(value, str):
        return _text_cell(ref, value, style, base)
    if isinstance(value, bool):
        return f'<c r="{ref}"{_s(style, base)} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        if abs(value) >= 10**15:  # beyond Excel's 15 significant digits: keep every digit as text
            return _text_cell(ref, str(value), style or Style.TEXT, base)
        return f'<c r="{ref}"{_s(style, base)}><v>{value}</v></c>'
    if isinstance(value, float):
        if not math.isfinite(value):
            return _text_cell(ref, str(value), style, base)
        return f'<c r="{ref}"{_s(style, base)}><v>{value!r}</v></c>'
    if isinstance(value, Decimal):
        if value.is_finite():
            return cell_xml(ref, float(value), style, base)
        return _text_cell(ref, str(value), style, base)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        serial = (value - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}"{_s(Style.DATETIME, base)}><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}"{_s(Style.DATE, base)}><v>{(value - _EPOCH.date()).days}</v></c>'
    if isinstance(value, time):
        serial = (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
        return f'<c r="{ref}"{_s(Style.TIME, base)}><v>{serial!r}</v></c>'
    if isinstance(value, timedelta):
        return f'<c r="{ref}"><v>{value.total_seconds() / 86400!r}</v></c>'
    return _text_cell(ref, str(value), style, base)


class SheetPart:
    """One worksheet: rows are written to ``stream`` (the sheetData body); ``head()``/``tail()`` wrap it."""

    def __init__(
        self,
        stream: IO[bytes],
        *,
        widths: Sequence[float] = (),
        freeze_header: bool = True,
        autofilter: bool = True,
        tab_color: str | None = None,
        selected: bool = False,
        base: int = 0,
    ) -> None:
        self._stream = stream
        self._base = base  # offset of our style ids (a sheet added to a user's workbook)
        self._buf: list[str] = []
        self.rows = 0
        self.columns = 0
        self._widths = list(widths)
        self._freeze = freeze_header
        self._autofilter = autofilter
        self._tab_color = tab_color
        self._selected = selected
        self.autofilter_ref: str | None = None

    def append(self, cells: Iterable[tuple[Any, int]]) -> None:
        """One row of (value, style) pairs, from column A."""
        self.rows += 1
        r = str(self.rows)
        parts = [f'<row r="{r}">']
        n = 0
        letters = _LETTERS
        base = self._base
        for n, (value, style) in enumerate(cells, start=1):  # noqa: B007 - n is used after the loop
            kind = type(value)
            if kind is str:  # the common case, inlined
                if value:
                    parts.append(_text_cell(letters[n - 1] + r, value, style, base))
                elif style:
                    parts.append(f'<c r="{letters[n - 1]}{r}" s="{style + base}"/>')
            elif kind is float and style == 0 and value == value and value not in _INFINITIES:
                parts.append(f'<c r="{letters[n - 1]}{r}"><v>{value!r}</v></c>')
            elif value is not None or style:
                parts.append(cell_xml(letters[n - 1] + r, value, style, base))
        self.columns = max(self.columns, n)
        parts.append("</row>")
        self._buf.append("".join(parts))
        if len(self._buf) >= 500:
            self.flush()

    def extend(self, rows: Iterable[Iterable[tuple[Any, int]]]) -> None:
        for cells in rows:
            self.append(cells)

    def flush(self) -> None:
        if self._buf:
            self._stream.write("".join(self._buf).encode("utf-8", "replace"))
            self._buf.clear()

    def finish(self) -> str | None:
        """Flush the rows; returns the autofilter range (A1:Z9) or None."""
        self.flush()
        if self._autofilter and self.rows and self.columns:
            self.autofilter_ref = f"A1:{_LETTERS[self.columns - 1]}{self.rows}"
        return self.autofilter_ref

    def head(self) -> bytes:
        head = [f"{_XML_HEAD}<worksheet {_NS} {_NS_R}>"]
        if self._tab_color:
            head.append(f'<sheetPr><tabColor rgb="FF{self._tab_color}"/></sheetPr>')
        last = f"{_LETTERS[max(self.columns, 1) - 1]}{max(self.rows, 1)}"
        head.append(f'<dimension ref="{"A1" if last == "A1" else "A1:" + last}"/>')
        sel = ' tabSelected="1"' if self._selected else ""
        if self._freeze:
            head.append(
                f'<sheetViews><sheetView workbookViewId="0"{sel}><pane ySplit="1" topLeftCell="A2" '
                'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" '
                'sqref="A2"/></sheetView></sheetViews>'
            )
        else:
            head.append(f'<sheetViews><sheetView workbookViewId="0"{sel}/></sheetViews>')
        if self._widths:
            cols = "".join(
                f'<col min="{i + 1}" max="{i + 1}" width="{w:.1f}" customWidth="1"/>'
                for i, w in enumerate(self._widths)
            )
            head.append(f"<cols>{cols}</cols>")
        head.append("<sheetData>")
        return "".join(head).encode()

    def tail(self) -> bytes:
        tail = ["</sheetData>"]
        if self.autofilter_ref:
            tail.append(f'<autoFilter ref="{self.autofilter_ref}"/>')
        tail.append(
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        )
        tail.append("</worksheet>")
        return "".join(tail).encode()


def write_part(member: IO[bytes], part: SheetPart, body: IO[bytes]) -> None:
    """head + the streamed rows + tail, into one zip member."""
    member.write(part.head())
    body.seek(0)
    shutil.copyfileobj(body, member, 1 << 20)
    member.write(part.tail())


class XlsxBook:
    """The zip container. Sheets are streamed in any order and listed in the order given to ``close``."""

    def __init__(self, stream: IO[bytes] | str, *, title: str = "") -> None:
        self._zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
        self._sheets: dict[str, tuple[int, str | None]] = {}  # name -> (file number, autofilter ref)
        self._title = title

    def _member(self, name: str) -> tuple[int, IO[bytes]]:
        number = len(self._sheets) + 1
        self._sheets[name] = (number, None)
        return number, self._zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True)

    def write_sheet(self, name: str, build: Callable[[SheetPart], Any], **options: Any) -> None:
        """Call ``build(part)`` with a SheetPart; its rows are spooled, then the whole sheet is zipped."""
        with tempfile.TemporaryFile() as body:
            part = SheetPart(body, **options)
            build(part)
            part.finish()
            self.copy_sheet(name, body, part)

    def copy_sheet(self, name: str, body: IO[bytes], part: SheetPart) -> None:
        """Add a sheet whose rows were streamed (by ``part``) into the temporary file ``body``."""
        part.finish()
        number, member = self._member(name)
        with member:
            write_part(member, part, body)
        self._sheets[name] = (number, part.autofilter_ref)

    def close(self, order: Sequence[str]) -> None:
        z = self._zip
        names = [n for n in order if n in self._sheets]
        names += [n for n in self._sheets if n not in names]
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{self._sheets[n][0]}.xml" '
            f'ContentType="{_CT}.spreadsheetml.worksheet+xml"/>'
            for n in names
        )
        z.writestr(
            "[Content_Types].xml",
            f"{_XML_HEAD}"
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/theme/theme1.xml" ContentType="{_CT}.theme+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
            + overrides
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f"{_XML_HEAD}"
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>",
        )
        sheets = "".join(
            f'<sheet name={quoteattr(n)} sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names)
        )
        defined = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(_quote_sheet(n))}!{_absolute(self._sheets[n][1])}</definedName>"
            for i, n in enumerate(names)
            if self._sheets[n][1]
        )
        z.writestr(
            "xl/workbook.xml",
            f"{_XML_HEAD}<workbook {_NS} {_NS_R}>"
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{defined}</definedNames>" if defined else "")
            + "</workbook>",
        )
        n = len(names)
        rels = "".join(
            f'<Relationship Id="rId{i + 1}" Type="{_REL}/worksheet" '
            f'Target="worksheets/sheet{self._sheets[name][0]}.xml"/>'
            for i, name in enumerate(names)
        )
        rels += f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        rels += f'<Relationship Id="rId{n + 2}" Type="{_REL}/theme" Target="theme/theme1.xml"/>'
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f"{_XML_HEAD}"
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            "</Relationships>",
        )
        z.writestr("xl/styles.xml", STYLES_XML)
        z.writestr("xl/theme/theme1.xml", _theme_xml())
        z.writestr("docProps/core.xml", _core_xml(self._title))
        z.writestr("docProps/app.xml", _app_xml(names))
        z.close()

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # best effort on a file we are about to delete
            self._zip.close()


def _theme_xml() -> str:
    from openpyxl.writer.theme import theme_xml  # Office's default theme, as openpyxl ships it

    return str(theme_xml)


def _core_xml(title: str) -> str:
    now = datetime.now().replace(microsecond=0).isoformat() + "Z"
    title_xml = f"<dc:title>{escape(title)}</dc:title>" if title else ""
    return (
        f"{_XML_HEAD}"
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{title_xml}<dc:creator>Migo Desktop</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _app_xml(names: Sequence[str]) -> str:
    titles = "".join(f"<vt:lpstr>{escape(n)}</vt:lpstr>" for n in names)
    return (
        f"{_XML_HEAD}"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<Application>Migo Desktop</Application>"
        '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant>'
        "<vt:lpstr>Hojas de cálculo</vt:lpstr>"
        f"</vt:variant><vt:variant><vt:i4>{len(names)}</vt:i4></vt:variant></vt:vector></HeadingPairs>"
        f'<TitlesOfParts><vt:vector size="{len(names)}" baseType="lpstr">{titles}</vt:vector></TitlesOfParts>'
        "</Properties>"
    )


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _absolute(ref: str | None) -> str:
    start, end = (ref or "A1:A1").split(":")

    def split(s: str) -> tuple[str, str]:
        letters = s.rstrip("0123456789")
        return letters, s[len(letters) :]

    (c0, r0), (c1, r1) = split(start), split(end)
    return f"${c0}${r0}:${c1}${r1}"
