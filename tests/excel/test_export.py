"""Exports re-read with openpyxl and python-calamine: columns, text identifiers, inert formulas, Resumen."""

from __future__ import annotations

import csv
import dataclasses
import os
import shutil
import subprocess
import threading
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from migo_desktop.core.models import LookupStatus, Person, Taxpayer
from migo_desktop.excel import output
from migo_desktop.excel.reader import build_plan
from migo_desktop.excel.writer import (
    ENRICHMENT_HEADERS,
    ExportCancelled,
    ExportError,
    ExportRow,
    ExportSummary,
    export_csv,
    export_xlsx,
)

from .corpus import R1, R2, R3, R4, xlsx

NOW = datetime(2026, 3, 1, 10, 30, 0)
EVIL = '=HYPERLINK("http://malo.example/x","Haz clic")'


def payer(ruc: str, name: str, estado="ACTIVO", condicion="HABIDO") -> Taxpayer:
    return Taxpayer(
        ruc=ruc,
        razon_social=name,
        estado=estado,
        condicion=condicion,
        ubigeo="010101",
        distrito="CHACHAPOYAS",
        provincia="CHACHAPOYAS",
        departamento="AMAZONAS",
        direccion="JR. AMAZONAS 123",
        actualizado_en=datetime(2026, 2, 1, 8, 0),
    )


def sample_rows() -> tuple[list[str], list[ExportRow]]:
    headers = ["Item", "RUC", "Monto"]
    rows = [
        ExportRow((1, float(R1), 10.5), R1, LookupStatus.OK, "", payer(R1, EVIL), NOW),
        ExportRow(
            (2, R2, 20), R2, LookupStatus.OK, "", payer(R2, "BAJA SAC", "BAJA DE OFICIO", "NO HABIDO"), NOW
        ),
        ExportRow(
            (3, "2.01313E+10", None), None, LookupStatus.INVALID, "Número en notación científica", None, None
        ),
        ExportRow(
            (4, float(R1), "+cmd|' /C calc'!A0"),
            R1,
            LookupStatus.DUPLICATE,
            "Repite la fila 2",
            payer(R1, EVIL),
            NOW,
        ),
        ExportRow(
            (5, "01234567", "@SUM(1)"),
            "01234567",
            LookupStatus.OK,
            "",
            Person("01234567", "PÉREZ\x07 ANA"),
            NOW,
        ),
        ExportRow((6, R3, "-5"), R3, LookupStatus.NOT_FOUND, "No figura en SUNAT", None, NOW),
        ExportRow((7, R4, None), R4, LookupStatus.ERROR, "Servicio no disponible", None, None),
        ExportRow((8, R4, None), R4, LookupStatus.PENDING, "", None, None),
    ]
    source_rows = [5, 6, 7, 8, 10, 11, 12, 14]  # rows 9 and 13 of the sheet were blank
    return headers, [dataclasses.replace(r, source_row=n) for r, n in zip(rows, source_rows, strict=True)]


def summary(**kw) -> ExportSummary:
    return ExportSummary(source_name="compras.xlsx", created_at=NOW, api_calls=5, cache_hits=2, **kw)


def cells(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_xlsx_results_sheet(tmp_path: Path) -> None:
    headers, rows = sample_rows()
    out = export_xlsx(tmp_path / "res.xlsx", headers, rows, summary(), id_column=1)
    assert out == tmp_path / "res.xlsx"
    wb = openpyxl.load_workbook(out)
    try:
        assert wb.sheetnames == ["Resultados", "Resumen", "Requieren atención"]
        ws = wb["Resultados"]
        data = cells(ws)
        assert data[0] == ["Fila", *headers, *ENRICHMENT_HEADERS]
        assert len(data) == 1 + len(rows)
        assert [r[0] for r in data[1:]] == [5, 6, 7, 8, 10, 11, 12, 14]  # the source's own row numbers
        assert [r[1] for r in data[1:]] == [1, 2, 3, 4, 5, 6, 7, 8]  # original order
        assert [r[4] for r in data[1:]] == [R1, R2, None, R1, "01234567", R3, R4, R4]
        assert [r[5] for r in data[1:]] == [
            "OK",
            "OK",
            "INVÁLIDO",
            "DUPLICADO",
            "OK",
            "NO ENCONTRADO",
            "ERROR",
            "PENDIENTE",
        ]
        # Identifier columns are text: no float, no scientific notation, leading zeros kept.
        for r in range(2, 10):
            for col in (3, 5):
                cell = ws.cell(r, col)
                assert cell.value is None or cell.data_type == "s"
        assert ws.cell(2, 3).value == R1 and ws.cell(2, 3).number_format == "@"
        assert ws.cell(6, 3).value == "01234567"
        assert ws.cell(2, 4).value == 10.5 and ws.cell(2, 4).data_type == "n"  # other numbers stay numbers
        # The API's =HYPERLINK(...) is inert text, shown as typed, never a formula.
        name = ws.cell(2, 8)
        assert name.value == EVIL and name.data_type == "s" and name.quotePrefix
        for r in range(2, 10):
            for c in range(1, ws.max_column + 1):
                assert ws.cell(r, c).data_type != "f"
        assert ws.cell(5, 4).quotePrefix and ws.cell(6, 4).quotePrefix and ws.cell(7, 4).quotePrefix
        assert ws.cell(6, 8).value == "PÉREZ ANA"  # Person: name in Razón social; control char stripped
        row2 = data[1]
        assert row2[8:17] == [
            "ACTIVO",
            "HABIDO",
            "Sí",
            "JR. AMAZONAS 123",
            "CHACHAPOYAS",
            "CHACHAPOYAS",
            "AMAZONAS",
            "010101",
            datetime(2026, 2, 1, 8, 0),
        ]
        assert row2[17] == NOW
        assert ws.cell(2, 18).number_format == "dd/mm/yyyy\\ hh:mm"  # dates as an accountant reads them
        assert data[2][10] == "No"
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == "A1:S9"  # through «Fuente»
        assert ws.cell(1, 1).font.b
        assert ws.cell(2, 6).fill.fgColor.rgb == "FFC6EFCE"  # OK green
        assert ws.cell(4, 6).fill.fgColor.rgb == "FFFFC7CE"  # INVÁLIDO red
        assert ws.column_dimensions["H"].width > ws.column_dimensions["A"].width
    finally:
        wb.close()
    with zipfile.ZipFile(out) as z:  # what Excel itself writes: dimension, theme, document properties
        names = set(z.namelist())
        assert {"xl/theme/theme1.xml", "docProps/core.xml", "docProps/app.xml"} <= names
        assert b'<dimension ref="A1:S9"/>' in z.read("xl/worksheets/sheet1.xml")


def test_xlsx_summary_and_attention_sheets(tmp_path: Path) -> None:
    headers, rows = sample_rows()
    out = export_xlsx(tmp_path / "res.xlsx", headers, rows, summary(job_id=7))
    wb = openpyxl.load_workbook(out)
    try:
        resumen = {r[0]: r[1] for r in cells(wb["Resumen"]) if r[0] is not None}
        assert resumen["Archivo de origen"] == "compras.xlsx"
        assert resumen["Fecha de exportación"] == NOW
        assert resumen["Consulta masiva n.º"] == 7
        assert resumen["Filas"] == 8
        assert [resumen[s.label] for s in LookupStatus] == [3, 1, 1, 1, 1, 1]
        assert resumen["ACTIVO"] == 2 and resumen["BAJA DE OFICIO"] == 1
        assert resumen["HABIDO"] == 2 and resumen["NO HABIDO"] == 1
        assert resumen["Consultas a la API"] == 5 and resumen["Respuestas desde la caché"] == 2
        assert resumen["Filas que requieren atención"] == 5
        assert "Datos de demostración" not in resumen
        attention = cells(wb["Requieren atención"])
        assert attention[0] == ["Fila", "Por qué requiere atención", *headers, *ENRICHMENT_HEADERS]
        assert [(r[0], r[1]) for r in attention[1:]] == [  # the source's row, one reason each
            (6, "No apto para facturar (BAJA DE OFICIO / NO HABIDO)"),
            (7, "No es un RUC/DNI válido: Número en notación científica"),
            (11, "No figura en SUNAT"),
            (12, "No se pudo consultar: Servicio no disponible"),
            (14, "Sin consultar: la consulta masiva no terminó (reanúdala)"),
        ]
        assert [r[6] for r in attention[1:]] == ["OK", "INVÁLIDO", "NO ENCONTRADO", "ERROR", "PENDIENTE"]
    finally:
        wb.close()


def test_demo_export_is_marked(tmp_path: Path) -> None:
    headers, rows = sample_rows()
    out = export_xlsx(tmp_path / "demo.xlsx", headers, rows, summary(demo=True))
    wb = openpyxl.load_workbook(out)
    try:
        ws = wb["Resumen"]
        assert ws["A1"].value == "Datos de demostración"
        assert "simulados" in ws["A2"].value
        assert ws.sheet_properties.tabColor.rgb == "FFFF0000"
    finally:
        wb.close()


def test_calamine_reads_our_export_and_it_round_trips_through_the_importer(tmp_path: Path) -> None:
    headers, rows = sample_rows()
    out = export_xlsx(tmp_path / "res.xlsx", headers, rows, summary(), id_column=1)
    book = python_calamine.CalamineWorkbook.from_path(str(out))
    try:
        assert book.sheet_names == ["Resultados", "Resumen", "Requieren atención"]
        first = book.get_sheet_by_name("Resultados").to_python()
        assert first[1][2] == R1 and first[1][7] == EVIL
    finally:
        book.close()
    plan = build_plan(out)
    assert plan.sheet == "Resultados" and plan.headers[plan.id_column] in ("RUC", "RUC normalizado")
    assert plan.totals.valid_unique_ruc == 4


def test_overflow_continues_on_a_second_sheet(tmp_path: Path) -> None:
    headers = ["RUC"]
    rows = [ExportRow((R1,), R1, LookupStatus.NOT_FOUND, "x", None, None) for _ in range(7)]
    out = export_xlsx(tmp_path / "big.xlsx", headers, rows, summary(), max_sheet_rows=4)
    wb = openpyxl.load_workbook(out)
    try:
        assert wb.sheetnames == [
            "Resultados",
            "Resultados (2)",
            "Resultados (3)",
            "Resumen",
            "Requieren atención",
            "Requieren atención (2)",
            "Requieren atención (3)",
        ]
        assert [wb[n].max_row for n in wb.sheetnames[:3]] == [4, 4, 2]
        assert wb["Resultados (2)"]["B1"].value == "RUC"  # each part has its header
        resumen = {r[0]: r[1] for r in cells(wb["Resumen"]) if r[0] is not None}
        assert resumen["Filas"] == 7
    finally:
        wb.close()
    exact = export_xlsx(tmp_path / "exact.xlsx", headers, rows[:6], summary(), max_sheet_rows=4)
    wb = openpyxl.load_workbook(exact)
    try:  # 6 rows = two full sheets: no empty third one
        assert [n for n in wb.sheetnames if n.startswith("Resultados")] == ["Resultados", "Resultados (2)"]
    finally:
        wb.close()


def test_never_overwrites_the_source_and_keeps_old_file_on_failure(tmp_path: Path) -> None:
    src = xlsx(tmp_path / "entrada.xlsx", {"S": [["RUC"], [R1]]})
    before = src.read_bytes()
    headers, rows = sample_rows()
    with pytest.raises(ExportError, match="archivo de origen"):
        export_xlsx(src, headers, rows, summary(), source_path=src)
    with pytest.raises(ExportError, match="archivo de origen"):
        export_csv(tmp_path / "." / "entrada.xlsx", headers, rows, source_path=src)
    assert src.read_bytes() == before

    target = tmp_path / "salida.xlsx"
    target.write_bytes(b"previous")

    def broken():
        yield rows[0]
        raise RuntimeError("engine failed mid-way")

    with pytest.raises(RuntimeError):
        export_xlsx(target, headers, broken(), summary())
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entrada.xlsx", "salida.xlsx"]  # no temp left


def test_locked_or_read_only_target_gives_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    headers, rows = sample_rows()

    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used")

    monkeypatch.setattr(output.os, "replace", locked)
    with pytest.raises(ExportError) as info:
        export_xlsx(tmp_path / "abierto.xlsx", headers, rows, summary())
    assert "abierto en otro programa" in info.value.user_message
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()

    def no_write(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", no_write)
    with pytest.raises(ExportError, match="no permite escribir"):
        export_csv(tmp_path / "x.csv", headers, rows)
    with pytest.raises(ExportError, match="no existe"):
        monkeypatch.undo()
        export_csv(tmp_path / "nope" / "x.csv", headers, rows)


def test_cancel_and_progress(tmp_path: Path) -> None:
    rows = [ExportRow((R1,), R1, LookupStatus.OK, "", None, None) for _ in range(6000)]
    seen: list[tuple[int, int | None]] = []
    export_xlsx(
        tmp_path / "p.xlsx", ["RUC"], rows, summary(), progress=lambda d, t: seen.append((d, t)), total=6000
    )
    assert seen == [(5000, 6000), (6000, 6000)]
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ExportCancelled):
        export_xlsx(tmp_path / "c.xlsx", ["RUC"], rows, summary(), cancel=cancel)
    assert not (tmp_path / "c.xlsx").exists()
    assert sorted(os.listdir(tmp_path)) == ["p.xlsx"]


def test_csv_utf8_bom_semicolon_and_injection(tmp_path: Path) -> None:
    headers, rows = sample_rows()
    out = export_csv(tmp_path / "res.csv", headers, rows, delimiter=";", id_column=1)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert table[0] == ["Fila", *headers, *ENRICHMENT_HEADERS]
    # Identifiers carry a leading tab: Excel opens them as text (no 2.01313E+10, no lost zero), no formula.
    assert table[1][:7] == ["5", "1", "\t" + R1, "10,5", "\t" + R1, "OK", ""]
    assert table[1][7] == "'" + EVIL
    assert table[4][3] == "'+cmd|' /C calc'!A0" and table[5][3] == "'@SUM(1)" and table[6][3] == "'-5"
    assert table[5][2] == "\t01234567" and table[5][7] == "PÉREZ ANA"
    assert not any(cell.startswith("=") for row in table for cell in row)
    assert table[1][15] == "\t010101"  # Ubigeo keeps its leading zero too
    assert len(table) == 9
    comma = export_csv(tmp_path / "res2.csv", headers, rows)
    first = next(csv.reader(comma.read_text(encoding="utf-8-sig").splitlines()[1:2]))
    assert first[3] == "10.5"
    with pytest.raises(ExportError):
        export_csv(tmp_path / "x.csv", headers, rows, delimiter="x")
    plan = build_plan(out)  # our own importer reads the tabbed identifiers back
    assert [r.number for r in plan.rows][:2] == [R1, R2]


def test_exports_get_ordinary_permissions(tmp_path: Path) -> None:
    headers, rows = sample_rows()
    old = os.umask(0o022)
    try:
        xlsx_out = export_xlsx(tmp_path / "res.xlsx", headers, rows, summary())
        csv_out = export_csv(tmp_path / "res.csv", headers, rows)
        assert xlsx_out.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
        assert csv_out.stat().st_mode & 0o777 == 0o644
        os.umask(0o027)
        assert export_csv(tmp_path / "group.csv", headers, rows).stat().st_mode & 0o777 == 0o640
        csv_out.chmod(0o664)  # replacing a file keeps the permissions it had
        assert export_csv(csv_out, headers, rows).stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(old)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_export_and_keeps_text_as_text(tmp_path: Path) -> None:
    """An independent reader of our hand-written SpreadsheetML (runs where LibreOffice is installed)."""
    headers, rows = sample_rows()
    src = export_xlsx(tmp_path / "res.xlsx", headers, rows, summary(demo=True), id_column=1)
    out = tmp_path / "lo"
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(src),
        ],
        env={**os.environ, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    converted = out / "res.xlsx"
    with zipfile.ZipFile(converted) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    wb = openpyxl.load_workbook(converted)
    try:
        assert wb.sheetnames == ["Resultados", "Resumen", "Requieren atención"]
        ws = wb["Resultados"]
        assert [c.value for c in ws[2]][:8] == [5, 1, R1, 10.5, R1, "OK", None, EVIL]
        assert ws.cell(6, 3).value == "01234567"
        assert wb["Resumen"]["A1"].value == "Datos de demostración"
    finally:
        wb.close()
