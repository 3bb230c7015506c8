"""«Mi archivo con columnas nuevas»: the user's workbook comes back with every original cell, format, style
and part as it was, and the answers on each RUC's own row. Checked with openpyxl, python-calamine and the
zip."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from migo_desktop.core.jobs import ExportKind, default_output, export_job
from migo_desktop.core.models import LookupStatus, Taxpayer
from migo_desktop.core.store import Store
from migo_desktop.excel.output import ExportError
from migo_desktop.excel.own_workbook import export_own_workbook
from migo_desktop.excel.plan import ImportPlan
from migo_desktop.excel.reader import build_plan
from migo_desktop.excel.results import OWN_HEADERS, ExportRow, ExportSummary

from . import own_fixtures
from .corpus import R1, R2, xlsx

DATA = Path(__file__).parent / "data"
LIBREOFFICE = DATA / "compras_libreoffice.xlsx"
NOW = datetime(2026, 11, 30, 17, 45)
EVIL = '=HYPERLINK("http://malo.example","clic")'
CHANGED_PARTS = {"xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}


def answers(plan: ImportPlan) -> list[ExportRow]:
    """What a finished job gives the exporter: every data row with its answer (duplicates copy the first)."""
    out = []
    by_index = {r.index: r for r in plan.rows}
    for r in plan.rows:
        status = r.local_status or LookupStatus.OK
        number = r.number if r.duplicate_of is None else by_index[r.duplicate_of].number
        data = None
        if number is not None and status in (LookupStatus.OK, LookupStatus.DUPLICATE):
            name = EVIL if number == R1 else f"EMPRESA {number} S.A.C."
            data = Taxpayer(
                ruc=number, razon_social=name, estado="ACTIVO", condicion="HABIDO", actualizado_en=NOW
            )
        reason = r.reason or ""
        if r.duplicate_of is not None:
            reason = f"Repite la fila {by_index[r.duplicate_of].source_row}"
        out.append(ExportRow(r.values, r.number, status, reason, data, NOW, r.source_row))
    return out


def export(src: Path, out: Path, **kw) -> tuple[ImportPlan, Path]:
    plan = build_plan(src)
    summary = ExportSummary(src.name, NOW, api_calls=3, cache_hits=0)
    path = export_own_workbook(out, src, plan.sheet, answers(plan), summary, header_row=plan.header_row,
                               data_width=len(plan.headers), source_hash=plan.source_hash, **kw)  # fmt: skip
    return plan, path


def cell_facts(cell) -> tuple:
    styles = [repr(x) for x in (cell.font, cell.fill, cell.border, cell.alignment, cell.protection)]
    return (cell.value, cell.data_type, cell.number_format, *styles, cell.quotePrefix,
            cell.comment.text if cell.comment else None)  # fmt: skip


def assert_original_preserved(before: Path, after: Path) -> None:
    """Every original cell of every sheet: value, formula text, number format, style; the sheets' set-up."""
    a = openpyxl.load_workbook(before)
    b = openpyxl.load_workbook(after)
    try:
        assert b.sheetnames[: len(a.sheetnames)] == a.sheetnames
        for ws in a.worksheets:
            other = b[ws.title]
            for row in ws.iter_rows():
                for cell in row:
                    assert cell_facts(other[cell.coordinate]) == cell_facts(cell), cell.coordinate
            assert {str(r) for r in other.merged_cells.ranges} == {str(r) for r in ws.merged_cells.ranges}
            assert other.freeze_panes == ws.freeze_panes
            assert other.auto_filter.ref == ws.auto_filter.ref
            for letter, dim in ws.column_dimensions.items():
                assert (other.column_dimensions[letter].width, other.column_dimensions[letter].hidden) == (
                    dim.width,
                    dim.hidden,
                ), letter
            assert [(str(v.sqref), v.type, v.formula1) for v in other.data_validations.dataValidation] == [
                (str(v.sqref), v.type, v.formula1) for v in ws.data_validations.dataValidation
            ]
            assert [str(c.sqref) for c in other.conditional_formatting] == [
                str(c.sqref) for c in ws.conditional_formatting
            ]
            assert len(other._charts) == len(ws._charts)
        assert {n: d.attr_text for n, d in b.defined_names.items()} == {
            n: d.attr_text for n, d in a.defined_names.items()
        }
    finally:
        a.close()
        b.close()
    ca = python_calamine.CalamineWorkbook.from_path(str(before))
    cb = python_calamine.CalamineWorkbook.from_path(str(after))
    try:  # cached values as another reader sees them (formula results included)
        for name in ca.sheet_names:
            old = ca.get_sheet_by_name(name).to_python()
            new = cb.get_sheet_by_name(name).to_python()
            width = max((len(r) for r in old), default=0)
            assert [r[:width] for r in new[: len(old)]] == old, name
            assert all(v == "" for r in new[len(old) :] for v in r[:width])
    finally:
        ca.close()
        cb.close()
    with zipfile.ZipFile(before) as za, zipfile.ZipFile(after) as zb:
        sheet_parts = {n for n in za.namelist() if n.startswith("xl/worksheets/sheet")}
        for name in za.namelist():  # charts, drawings, images, comments, other sheets: the same bytes
            if name not in CHANGED_PARTS and name not in sheet_parts:
                assert zb.read(name) == za.read(name), name
        changed = [n for n in sheet_parts if zb.read(n) != za.read(n)]
        assert len(changed) == 1, changed  # only the imported sheet


def new_columns(path: Path, sheet: str, first_col: int) -> dict[int, dict[str, object]]:
    wb = openpyxl.load_workbook(path)
    try:
        ws = wb[sheet]
        out = {}
        for row in range(1, ws.max_row + 1):
            cells = {OWN_HEADERS[j]: ws.cell(row, first_col + j) for j in range(len(OWN_HEADERS))}
            for cell in cells.values():
                assert cell.data_type != "f", cell.coordinate  # nothing in a new cell is ever a formula
            values = {h: c.value for h, c in cells.items() if c.value is not None}
            if values:
                out[row] = values
        return out
    finally:
        wb.close()


def test_libreoffice_register_comes_back_whole_with_answers_on_their_rows(tmp_path: Path) -> None:
    plan, out = export(LIBREOFFICE, tmp_path / "compras_resultados.xlsx")
    assert_original_preserved(LIBREOFFICE, out)
    added = new_columns(out, "Compras", 9)  # the used range ends at H
    assert added[4]["Resultado (Migo)"] == "Resultado (Migo)"  # the header row gets the headers
    for r in plan.rows:
        got = added[r.source_row]
        assert got.get("RUC normalizado (Migo)") == (
            r.number or (plan.rows[r.duplicate_of].number if r.duplicate_of is not None else None)
        )
    assert 6 in added and added[6]["RUC normalizado (Migo)"] == "20100070970"
    assert added[14]["RUC normalizado (Migo)"] == "20100070970"  # 2.0100070970E+10 carries all 11 digits
    assert added[5]["Razón social (Migo)"] == EVIL  # inert text, shown as typed
    for untouched in (1, 2, 3, 9, 15):  # title, title, blank, blank, TOTAL: no new cells
        assert untouched not in added
    wb = openpyxl.load_workbook(out)
    try:
        ws = wb["Compras"]
        assert ws["L5"].quotePrefix and ws["L5"].data_type == "s"
        assert ws["V5"].value == NOW and ws["V5"].number_format.startswith("dd/mm/yyyy")
        assert ws["I4"].fill.fgColor.rgb != ws["H4"].fill.fgColor.rgb  # our headers: their own fill
        assert wb.sheetnames == ["Compras", "Notas", "Resumen Migo"]  # the summary goes after theirs
    finally:
        wb.close()


def test_messy_register_keeps_chart_picture_comment_validation_and_formulas(tmp_path: Path) -> None:
    src = own_fixtures.build(tmp_path / "compras.xlsx")
    _, out = export(src, tmp_path / "compras_resultados.xlsx")
    assert_original_preserved(src, out)
    added = new_columns(out, "Compras", 8)  # A..G used (G hidden)
    assert set(added[3].values()) == set(OWN_HEADERS)
    for row, (number, result) in own_fixtures.EXPECTED.items():
        assert added[row].get("RUC normalizado (Migo)") == number, row
        assert added[row]["Resultado (Migo)"] == result, row
    for row in own_fixtures.UNTOUCHED_ROWS:
        assert row not in added, row
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/media/image1.png") == own_fixtures.PNG
        assert b"rIdPng" in z.read("xl/drawings/drawing1.xml")
        assert "xl/charts/chart1.xml" in z.namelist() and "xl/comments/comment1.xml" in z.namelist()


def test_header_keywords_and_inline_strings_without_dimension(tmp_path: Path) -> None:
    for word in ("Resultado", "RUC normalizado", "Razón social", "Estado", "Condición", "Apto para facturar",
                 "Motivo"):  # fmt: skip
        assert any(h.startswith(word) and h.endswith("(Migo)") for h in OWN_HEADERS), word
    from .corpus import inline, raw_xlsx

    data = (  # inline strings, no <dimension>, no styles part, a cell beyond the data (styled blank) in row 2
        f'<row r="1">{inline("A1", "RUC")}{inline("B1", "Nombre")}</row>'
        f'<row r="2">{inline("A2", R1)}{inline("B2", "uno")}<c r="D2" s="0"/></row>'
        f'<row r="4">{inline("A4", R2)}{inline("B4", "dos")}</row>'
    )
    src = raw_xlsx(tmp_path / "inline.xlsx", data)
    _, out = export(src, tmp_path / "inline_resultados.xlsx")
    added = new_columns(out, "Hoja1", 5)  # after D, the styled blank cell
    assert added[2]["RUC normalizado (Migo)"] == R1 and added[4]["RUC normalizado (Migo)"] == R2
    assert 3 not in added


def test_refuses_a_changed_or_missing_source_and_a_wrong_extension(tmp_path: Path) -> None:
    src = xlsx(tmp_path / "c.xlsx", {"S": [["RUC"], [R1]]})
    plan = build_plan(src)
    summary = ExportSummary(src.name, NOW, 1, 0)
    rows = answers(plan)
    with pytest.raises(ExportError, match="misma extensión"):
        export_own_workbook(tmp_path / "c.xlsm", src, "S", rows, summary, header_row=1)
    with pytest.raises(ExportError, match="archivo de origen"):
        export_own_workbook(src, src, "S", rows, summary, header_row=1)
    xlsx(src, {"S": [["RUC"], [R2]]})
    with pytest.raises(ExportError, match="cambió"):
        export_own_workbook(
            tmp_path / "o.xlsx", src, "S", rows, summary, header_row=1, source_hash=plan.source_hash
        )
    src.unlink()
    with pytest.raises(ExportError, match="No se encontró"):
        export_own_workbook(tmp_path / "o.xlsx", src, "S", rows, summary, header_row=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_export_job_writes_both_kinds_and_the_filtered_rows(tmp_path: Path) -> None:
    src = tmp_path / "compras.xlsx"
    shutil.copy(LIBREOFFICE, src)
    plan = build_plan(src)
    with Store(tmp_path / "db.sqlite") as store:
        job = store.create_job(plan, {"demo": True})
        own = export_job(store, job, default_output(src), kind=ExportKind.LIBRO)
        assert own == tmp_path / "compras_resultados.xlsx"
        assert_original_preserved(src, own)
        added = new_columns(own, "Compras", 9)
        assert {r: v["Resultado (Migo)"] for r, v in added.items() if r != 4} == {
            5: "PENDIENTE", 6: "PENDIENTE", 7: "PENDIENTE", 8: "INVÁLIDO", 10: "DUPLICADO", 11: "PENDIENTE",
            12: "PENDIENTE", 13: "PENDIENTE", 14: "DUPLICADO",
        }  # fmt: skip
        first_two = {plan.rows[0].index, plan.rows[3].index}
        table = export_job(store, job, tmp_path / "tabla.xlsx", kind="tabla", only=first_two)
        wb = openpyxl.load_workbook(table)
        try:
            rows = list(wb["Resultados"].iter_rows(values_only=True))
            assert [r[0] for r in rows[1:]] == [5, 8]  # «Fila»: the source's rows, only the filtered ones
        finally:
            wb.close()


def test_exporting_an_exported_workbook_again_keeps_both_and_names_the_summary_apart(tmp_path: Path) -> None:
    _, once = export(LIBREOFFICE, tmp_path / "una.xlsx")
    _, twice = export(once, tmp_path / "dos.xlsx")
    assert_original_preserved(once, twice)
    wb = openpyxl.load_workbook(twice)
    try:
        assert wb.sheetnames == ["Compras", "Notas", "Resumen Migo", "Resumen Migo (2)"]
    finally:
        wb.close()
