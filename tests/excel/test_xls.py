"""Legacy .xls (BIFF8), written by xlwt and read by python-calamine (no xlrd)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migo_desktop.core.errors import InputError
from migo_desktop.core.ids import Reasons
from migo_desktop.excel.guards import Limits
from migo_desktop.excel.reader import build_plan, list_sheets

from .corpus import BAD_CHECK, R1, R2, R3

xlwt = pytest.importorskip("xlwt")


def write_xls(path: Path, sheets: dict[str, list[list]], cells: list[tuple[int, int, object]] = ()) -> Path:
    book = xlwt.Workbook()
    for name, rows in sheets.items():
        ws = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
        for r, c, value in cells:
            ws.write(r, c, value)
    book.save(str(path))
    return path


def test_xls_with_title_rows_numeric_rucs_and_two_sheets(tmp_path: Path) -> None:
    path = write_xls(
        tmp_path / "antiguo.xls",
        {
            "Notas": [["Archivo exportado del sistema contable"]],
            "Clientes": [
                ["Listado de clientes"],
                [],
                ["Cliente", "R.U.C.", "Saldo"],
                ["ALFA", int(R1), 10.5],
                ["BETA", R2, 0],
                ["GAMMA", float(R3), 1],
                ["DELTA", BAD_CHECK, 2],
            ],
        },
    )
    assert list_sheets(path) == ["Notas", "Clientes"]
    plan = build_plan(path)
    assert (plan.sheet, plan.header_row, plan.id_column) == ("Clientes", 3, 1)
    assert [r.number for r in plan.rows] == [R1, R2, R3, None]
    assert {r.source_row: r.reason for r in plan.rows if r.reason} == {7: Reasons.CHECK_DIGIT}
    assert plan.rows[0].values == ("ALFA", float(R1), 10.5)


def test_xls_whose_used_range_is_too_big_is_refused(tmp_path: Path) -> None:
    # .xls cannot be pre-scanned like a zip; the sheet's extent is checked right after calamine loads it.
    path = write_xls(tmp_path / "ancho.xls", {"S": [["RUC"], [R1]]}, cells=[(2000, 200, "x")])
    with pytest.raises(InputError) as info:
        build_plan(path, limits=Limits(max_cells=100_000))
    assert "demasiado grande" in info.value.user_message


def test_formats_are_recognised_by_content_not_extension(tmp_path: Path) -> None:
    from .corpus import ods, xlsx

    real_xls = write_xls(tmp_path / "real.xls", {"S": [["RUC"], [R1]]})
    renamed = tmp_path / "xls_con_nombre.xlsx"
    renamed.write_bytes(real_xls.read_bytes())
    modern = xlsx(tmp_path / "modern.xlsx", {"S": [["RUC"], [R2]]})
    as_xls = tmp_path / "sistema_contable.xls"  # what some accounting systems export
    as_xls.write_bytes(modern.read_bytes())
    libre = ods(tmp_path / "libre.ods", [["RUC"], [R3]])
    as_xlsx = tmp_path / "libre.xlsx"
    as_xlsx.write_bytes(libre.read_bytes())
    assert [r.number for r in build_plan(renamed).rows] == [R1]
    assert [r.number for r in build_plan(as_xls).rows] == [R2]
    assert [r.number for r in build_plan(as_xlsx).rows] == [R3]
