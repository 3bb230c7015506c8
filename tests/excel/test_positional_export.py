"""«Mi archivo con columnas nuevas» for .csv/.xls/.ods sources: a new .xlsx whose every row sits at its
original row number (title and blank rows included), dates as dates, results on the right."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from migo_desktop.excel.positional import export_positional
from migo_desktop.excel.reader import build_plan
from migo_desktop.excel.results import OWN_HEADERS, ExportSummary

from .corpus import BAD_CHECK, R1, R2, ods
from .test_own_workbook import NOW, answers


def run(src: Path, out: Path) -> list[tuple]:
    plan = build_plan(src)
    export_positional(out, src, plan.sheet, answers(plan), ExportSummary(src.name, NOW, 1, 0),
                      header_row=plan.header_row, data_width=len(plan.headers))  # fmt: skip
    wb = openpyxl.load_workbook(out)
    try:
        assert wb.sheetnames[-1] == "Resumen Migo"
        ws = wb.worksheets[0]
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)
        return [tuple(c.value for c in row) for row in ws.iter_rows()]
    finally:
        wb.close()


def test_csv_rows_keep_their_positions(tmp_path: Path) -> None:
    src = tmp_path / "lista.csv"
    src.write_text(
        f"Proveedores 2026\n\nRUC;Nombre\n{R1};uno\n\n{BAD_CHECK};malo\n{R2};=dos\n", encoding="utf-8"
    )
    rows = run(src, tmp_path / "lista_resultados.xlsx")
    assert rows[0][0] == "Proveedores 2026"
    assert rows[1][:2] == (None, None) and rows[4][:2] == (None, None)  # blank lines stay blank
    assert rows[2][:4] == ("RUC", "Nombre", OWN_HEADERS[0], OWN_HEADERS[1])
    assert rows[3][:4] == (R1, "uno", R1, "OK")
    assert rows[5][2:4] == (None, "INVÁLIDO")
    assert rows[6][:4] == (R2, "=dos", R2, "OK")  # the user's text stays text, never a formula
    assert all(v is None for v in rows[4][2:])


def test_ods_dates_stay_dates(tmp_path: Path) -> None:
    src = ods(
        tmp_path / "compras.ods",
        [["RUC", "Fecha"], [R1, date(2026, 11, 3)], [None, None], [R2, date(2026, 11, 4)]],
    )
    out = tmp_path / "compras_resultados.xlsx"
    rows = run(src, out)
    assert [r[0] for r in rows[:4]] == ["RUC", R1, None, R2]
    assert rows[1][1] in (date(2026, 11, 3), datetime(2026, 11, 3))
    wb = openpyxl.load_workbook(out)
    try:
        assert wb.worksheets[0]["B2"].number_format.startswith("dd/mm/yyyy")
    finally:
        wb.close()


def test_refuses_other_extensions_and_a_missing_source(tmp_path: Path) -> None:
    from migo_desktop.excel.output import ExportError

    src = tmp_path / "l.csv"
    src.write_text(f"RUC\n{R1}\n", encoding="utf-8")
    plan = build_plan(src)
    summary = ExportSummary(src.name, NOW, 1, 0)
    with pytest.raises(ExportError, match=".xlsx"):
        export_positional(tmp_path / "o.csv", src, None, answers(plan), summary, header_row=1)
    src.unlink()
    with pytest.raises(ExportError, match="No se encontró"):
        export_positional(tmp_path / "o.xlsx", src, None, answers(plan), summary, header_row=1)
