"""Generators of hostile inputs (issue 9): used by tests/excel/test_hostile_shapes.py and bench/hostile.py.

Each returns the path it wrote. Shapes, not samples: every one is a class of input the adversarial review
found (quoting and whitespace tricks, huge row numbers, sheets outside ``xl/worksheets/``, BIFF and ODS
bombs, corrupted .xls, CSV with one huge line, thousands of columns, millions of rows, mixed encodings).
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

from .corpus import ods

R1 = "20131312955"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx_part(path: Path, sheet_data: str, *, part: str = "xl/worksheets/sheet1.xml") -> Path:
    """A one-sheet workbook whose sheet lives at ``part`` (found only through xl/_rels/workbook.xml.rels)."""
    sheet = f'<?xml version="1.0"?><worksheet xmlns="{_MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>'
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{_RELS_NS}"><Relationship Id="rId1" '
            f'Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" xmlns:r="{_DOC_REL}"><sheets>'
            '<sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{_RELS_NS}"><Relationship Id="rId1" '
            f'Type="{_DOC_REL}/worksheet" Target="/{part}"/></Relationships>',
        )
        z.writestr(part, sheet)
    return path


def _cell(ref_attr: str) -> str:
    return f'<c {ref_attr} t="inlineStr"><is><t>x</t></is></c>'


def _first() -> str:
    return f'<row r="1"><c r="A1" t="inlineStr"><is><t>{R1}</t></is></c></row>'


# The bypasses of the old regular expressions: each puts a valued cell at XFD1048576 next to A1 (17 G cells).
XLSX_BYPASSES: dict[str, tuple[str, str]] = {
    "comilla_simple": (_first() + "<row r='1048576'>" + _cell("r='XFD1048576'") + "</row>", ""),
    "tabulador": (_first() + '<row\tr="1048576">' + _cell('\tr="XFD1048576"') + "</row>", ""),
    "salto_de_linea": (_first() + '<row\nr = "1048576">' + _cell('\n r\n=\n"XFD1048576"') + "</row>", ""),
    "fila_8_digitos": (_first() + '<row r="99999999">' + _cell('r="AD99999999"') + "</row>", ""),
    "fuera_de_worksheets": (
        _first() + '<row r="1048576">' + _cell('r="XFD1048576"') + "</row>",
        "xl/datos/hoja.xml",
    ),
    "sin_referencias": (
        _first() + '<row r="1048576">' + '<c t="inlineStr"><is><t>x</t></is></c>' * 40 + "</row>",
        "",
    ),
}


def xlsx_bypass(path: Path, shape: str) -> Path:
    data, part = XLSX_BYPASSES[shape]
    return xlsx_part(path, data, part=part or "xl/worksheets/sheet1.xml")


def xlsx_column(path: Path, rows: int) -> Path:
    """A legitimate rows × 1 sheet: header «RUC», then one valid RUC per row."""
    body = ['<row r="1"><c r="A1" t="inlineStr"><is><t>RUC</t></is></c></row>']
    body += [f'<row r="{r}"><c r="A{r}"><v>{R1}</v></c></row>' for r in range(2, rows + 1)]
    return xlsx_part(path, "".join(body))


def xls_far_cell(path: Path, row: int = 65535, col: int = 255) -> Path:
    """A tiny real .xls (BIFF8, via xlwt) with A1 and one cell at (row, col): IV65536 by default."""
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook()
    sheet = book.add_sheet("Hoja1")
    sheet.write(0, 0, "RUC")
    sheet.write(1, 0, R1)
    sheet.write(row, col, "x")
    book.save(str(path))
    return path


def xls_corrupted(path: Path, source: Path, seed: int, flips: int = 8) -> Path:
    """``source`` with ``flips`` random bytes changed after the OLE header (what a bad USB stick does)."""
    data = bytearray(source.read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        i = rng.randrange(512, len(data))
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))
    return path


def ods_bomb(path: Path, rows: int = 200_000, cols: int = 100) -> Path:
    return ods(path, [["RUC"], [R1]], repeat_last=(rows, cols))


def ods_rows(path: Path, rows: int) -> Path:
    """An .ods whose single column repeats a valued row ``rows`` times (1 KB on disk)."""
    return ods(path, [["RUC"], [R1]], repeat_last=(rows, 1))


def csv_one_line(path: Path, megabytes: int) -> Path:
    with path.open("wb") as fh:
        fh.write(b"RUC\n")
        for _ in range(megabytes):
            fh.write(b"x," * (1 << 19))
    return path


def csv_wide(path: Path, columns: int, rows: int = 3) -> Path:
    header = ",".join(["RUC"] + [f"c{i}" for i in range(1, columns)])
    line = ",".join([R1] + ["1"] * (columns - 1))
    path.write_text(header + "\n" + "\n".join([line] * rows) + "\n", encoding="utf-8")
    return path


def csv_many_rows(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("RUC\n")
        block = (R1 + "\n") * 10_000
        for _ in range(rows // 10_000):
            fh.write(block)
    return path


def csv_mixed_encodings(path: Path) -> Path:
    lines = ["Razón social;RUC", f"Compañía Ñandú;{R1}", f"Pérez – hermanos;{R1}"]
    data = (lines[0] + "\r\n" + lines[1] + "\r\n").encode("utf-8") + (lines[2] + "\r\n").encode("cp1252")
    path.write_bytes(data)
    return path
