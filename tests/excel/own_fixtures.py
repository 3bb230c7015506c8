"""A purchase register as accountants have them, for the own-workbook export tests: written by openpyxl, then
given by hand what openpyxl does not write (cached formula values, as Excel stores them, and a picture).

Sheet «Compras»: merged title, blank row, headers on row 3, dd/mm/yyyy dates, #,##0.00 amounts, IGV and
total formulas, a RUC written as =CONCATENATE(…) with its cached value, one without a cached value, a
blank row inside the table, a wrong check digit, a duplicate, exact and lossy scientific notation, a TOTAL
row of =SUM; freeze panes, widths, a hidden column, autofilter, data validation, conditional format, a
comment. Sheet «Notas» has text and a formula; sheet «Gráfico» a bar chart of the amounts and a picture. A
defined name points at the total.
"""

from __future__ import annotations

import base64
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from .corpus import BAD_CHECK, R1, R2, R3, R4

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
EXACT_SCI = "2.0100070970E+10"  # all 11 digits: RUC 20100070970
LOSSY_SCI = "2.01313E+10"

# row -> (RUC cell, supplier); None rows are blank. Header on row 3, data from row 4.
DATA = {
    4: (R1, "PROVEEDOR UNO"),
    5: (int(R2), "PROVEEDOR DOS"),  # a number, as Excel stores a typed RUC
    6: ('=CONCATENATE("20","600012348")', "FÓRMULA CON VALOR"),  # R3, cached below
    7: ('=CONCATENATE("10","123456781")', "FÓRMULA SIN VALOR"),  # no cached value
    8: None,  # a blank row inside the table
    9: (BAD_CHECK, "DÍGITO MALO"),
    10: (R1, "REPETIDO"),
    11: (EXACT_SCI, "NOTACIÓN EXACTA"),
    12: (LOSSY_SCI, "NOTACIÓN CON PÉRDIDA"),
    13: (R4, "=CUATRO"),  # text that looks like a formula in the user's own cell stays theirs
}
TOTAL_ROW = 14
EXPECTED = {  # row -> (RUC normalizado, Resultado) that the export must put on that row
    4: (R1, "OK"),
    5: (R2, "OK"),
    6: (R3, "OK"),
    9: (None, "INVÁLIDO"),
    10: (R1, "DUPLICADO"),
    11: ("20100070970", "OK"),
    12: (None, "INVÁLIDO"),
    13: (R4, "OK"),
}
UNTOUCHED_ROWS = (1, 2, 7, 8, TOTAL_ROW)  # title, blank, formula without value, blank, total


def build(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Compras"
    ws["A1"] = "REGISTRO DE COMPRAS - NOVIEMBRE 2026"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    headers = ["Fecha", "RUC", "Proveedor", "Base", "IGV", "Total", "Interno"]
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(3, col, text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E78")
    for row, entry in DATA.items():
        if entry is None:
            continue
        ruc, name = entry
        ws.cell(row, 1, date(2026, 11, row)).number_format = "dd/mm/yyyy"
        ws.cell(row, 2, ruc)
        ws.cell(row, 3, name)
        ws.cell(row, 4, 100.5 * row).number_format = "#,##0.00"
        ws.cell(row, 5, f"=ROUND(D{row}*0.18,2)").number_format = "#,##0.00"
        ws.cell(row, 6, f"=D{row}+E{row}").number_format = "#,##0.00"
        ws.cell(row, 7, f"int-{row}")
    ws.cell(TOTAL_ROW, 3, "TOTAL").font = Font(bold=True)
    for col in "DEF":
        ws[f"{col}{TOTAL_ROW}"] = f"=SUM({col}4:{col}13)"
        ws[f"{col}{TOTAL_ROW}"].number_format = "#,##0.00"
    ws.freeze_panes = "A4"
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 30
    ws.column_dimensions["G"].hidden = True
    ws.auto_filter.ref = "A3:G13"
    dv = DataValidation(type="decimal", operator="greaterThan", formula1="0")
    dv.add("D4:D13")
    ws.add_data_validation(dv)
    ws.conditional_formatting.add(
        "F4:F13",
        CellIsRule(operator="greaterThan", formula=["1000"], fill=PatternFill("solid", fgColor="FFC7CE")),
    )
    ws["C4"].comment = Comment("Proveedor principal", "Contador")
    wb.defined_names["TotalCompras"] = DefinedName("TotalCompras", attr_text=f"Compras!$F${TOTAL_ROW}")

    notes = wb.create_sheet("Notas")
    notes["A1"] = "Hoja que no se toca"
    notes["A2"] = "=Compras!F14"
    chart_sheet = wb.create_sheet("Gráfico")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=4, min_row=3, max_row=13), titles_from_data=True)
    chart_sheet.add_chart(chart, "B2")
    wb.save(path)
    _inject(path)
    return path


def _inject(path: Path) -> None:
    """Cached formula values (Excel always writes them; openpyxl never does) and a picture in the drawing."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()

    def cached(ref: str, value: str, text: bool = False) -> None:
        nonlocal sheet
        pattern = re.compile(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>')
        kind = ' t="str"' if text else ""
        sheet, n = pattern.subn(
            lambda m: f'<c r="{ref}"{m.group(1)}{kind}><f>{m.group(2)}</f><v>{value}</v>', sheet
        )
        assert n == 1, ref

    cached("B6", R3, text=True)
    for row, entry in DATA.items():
        if entry is not None:
            base = 100.5 * row
            igv = round(base * 0.18, 2)
            cached(f"E{row}", repr(igv))
            cached(f"F{row}", repr(base + igv))
    rows = [r for r, e in DATA.items() if e is not None]
    cached(f"D{TOTAL_ROW}", repr(sum(100.5 * r for r in rows)))
    cached(f"E{TOTAL_ROW}", repr(sum(round(100.5 * r * 0.18, 2) for r in rows)))
    cached(f"F{TOTAL_ROW}", repr(sum(100.5 * r + round(100.5 * r * 0.18, 2) for r in rows)))
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()

    drawing = next(n for n in parts if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n))
    rels = drawing.replace("drawings/", "drawings/_rels/") + ".rels"
    pic = (
        "<xdr:oneCellAnchor><xdr:from><xdr:col>10</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2</xdr:row>"
        '<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="952500" cy="952500"/><xdr:pic><xdr:nvPicPr>'
        '<xdr:cNvPr id="99" name="Logo"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill>'
        '<a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'r:embed="rIdPng"/>'
        '<a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>"
    )
    text = parts[drawing].decode()
    close = re.search(r"</(\w+:)?wsDr>", text)
    assert close is not None
    pic = pic.replace("xdr:", close.group(1) or "")  # openpyxl writes this namespace as the default one
    if "xmlns:a=" not in text:
        pic = pic.replace(
            "<a:blip ", '<a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        )
        pic = pic.replace(
            "<a:stretch>", '<a:stretch xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        )
        pic = pic.replace(
            "<a:prstGeom", '<a:prstGeom xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        )
    parts[drawing] = (text[: close.start()] + pic + text[close.start() :]).encode()
    rel = (
        '<Relationship Id="rIdPng" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'image" Target="../media/image1.png"/>'
    )
    parts[rels] = parts[rels].decode().replace("</Relationships>", rel + "</Relationships>").encode()
    parts["xl/media/image1.png"] = PNG
    types = parts["[Content_Types].xml"].decode()
    if 'Extension="png"' not in types:
        types = types.replace("<Default ", '<Default Extension="png" ContentType="image/png"/><Default ', 1)
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
