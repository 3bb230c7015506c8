"""Import over generated files people really have: exact RUCs found and exact rejection reasons."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from migo_desktop.core.ids import Reasons
from migo_desktop.core.models import IdKind, LookupStatus
from migo_desktop.excel import workbook_sources as sources
from migo_desktop.excel.plan import Skip
from migo_desktop.excel.reader import build_plan, list_sheets, preview

from .corpus import BAD_CHECK, R1, R2, R3, R4, R5, R6, inline, raw_xlsx, xlsx


def numbers(plan) -> list[str | None]:
    return [r.number for r in plan.rows]


def reasons(plan) -> dict[int, str]:
    """source_row -> reason, for rejected rows."""
    return {r.source_row: r.reason for r in plan.rows if r.reason and r.number is None}


def test_numeric_rucs_title_rows_and_column_not_first(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "proveedores.xlsx",
        {
            "Proveedores": [
                ["Reporte de proveedores 2024 — área contable"],
                ["Generado el 01/02/2024"],
                [],
                ["Item", "Razón social", "Nro. RUC", "Monto"],
                [1, "ALFA SAC", int(R1), 100.5],
                [2, "BETA SRL", float(R2), 200],
                [3, "GAMMA EIRL", R3, 300],
                [4, "DELTA", BAD_CHECK, 1],
            ]
        },
        merges={"Proveedores": ["A1:D1"]},
    )
    plan = build_plan(path)
    assert plan.source == path.absolute() and plan.source.is_absolute()
    assert plan.source_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert plan.sheet == "Proveedores"
    assert plan.header_row == 4
    assert plan.id_column == 2
    assert plan.headers == ["Item", "Razón social", "Nro. RUC", "Monto"]
    assert numbers(plan) == [R1, R2, R3, None]
    assert [r.source_row for r in plan.rows] == [5, 6, 7, 8]
    assert reasons(plan) == {8: Reasons.CHECK_DIGIT}
    assert plan.rows[0].values == (1.0, "ALFA SAC", float(R1), 100.5)  # every original column kept
    assert plan.rows[2].raw == R3
    t = plan.totals
    assert (t.rows, t.valid_unique_ruc, t.invalid, t.duplicates, t.blank) == (4, 3, 1, 0, 0)
    assert t.invalid_by_reason == {Reasons.CHECK_DIGIT: 1}


def test_messy_text_duplicates_dnis_and_blanks(tmp_path: Path) -> None:
    rows = [
        ["N° R.U.C.", "Nombre"],
        [f"'{R1}", "apóstrofo"],
        [f"{R2}\u00a0", "NBSP al final"],
        [f" {R3[:2]}-{R3[2:10]}-{R3[10]} ", "con guiones"],
        [R1, "repetido"],
        [int(R1), "repetido como número"],
        ["12345678", "un DNI"],
        ["12345678", "el mismo DNI"],
        [None, "sin RUC pero con datos"],
        [None, None],  # fully blank: skipped
        ["2.01313E+10", "notación científica"],
        ["2013131295", "diez dígitos"],
        ["ABC", "texto"],
        [R4, "persona natural"],
    ]
    plan = build_plan(xlsx(tmp_path / "sucio.xlsx", {"Hoja1": rows}))
    assert plan.header_row == 1 and plan.id_column == 0
    assert numbers(plan) == [R1, R2, R3, R1, R1, "12345678", "12345678", None, None, None, None, R4]
    assert [r.duplicate_of for r in plan.rows] == [
        None,
        None,
        None,
        0,
        0,
        None,
        5,
        None,
        None,
        None,
        None,
        None,
    ]
    assert [r.kind for r in plan.rows][5] is IdKind.DNI
    assert reasons(plan) == {
        9: Reasons.EMPTY,
        11: Reasons.SCIENTIFIC.format(text="2.01313E+10"),
        12: Reasons.LENGTH.format(n=10),
        13: Reasons.NOT_A_NUMBER.format(text="«ABC»"),
    }
    assert [r.source_row for r in plan.rows][-1] == 14  # the blank row 10 is not a data row
    assert plan.rows[7].blank and plan.rows[7].local_status is LookupStatus.INVALID
    assert plan.rows[3].local_status is LookupStatus.DUPLICATE
    assert plan.rows[0].local_status is None
    t = plan.totals
    assert (t.rows, t.valid_unique_ruc, t.valid_unique_dni, t.invalid, t.duplicates, t.blank) == (
        12,
        4,
        1,
        4,
        3,
        1,
    )
    assert t.invalid_by_reason == {
        "Celda vacía": 1,
        "Número en notación científica: Excel perdió dígitos. Escribe el número completo como texto": 1,
        "Tiene 10 dígitos; un RUC tiene 11": 1,
        "Es texto, no un RUC ni un DNI": 1,
    }
    assert plan.unique_lookups() == [
        (IdKind.RUC, R1),
        (IdKind.RUC, R2),
        (IdKind.RUC, R3),
        (IdKind.DNI, "12345678"),
        (IdKind.RUC, R4),
    ]
    assert any("notación científica" in w for w in plan.warnings)


def test_dni_column_pads_lost_leading_zero(tmp_path: Path) -> None:
    plan = build_plan(
        xlsx(tmp_path / "dni.xlsx", {"S": [["Nombre", "DNI"], ["Ana", 1234567], ["Luis", "87654321"]]})
    )
    assert plan.id_column == 1
    assert numbers(plan) == ["01234567", "87654321"]
    assert all(r.kind is IdKind.DNI for r in plan.rows)


def test_several_sheets_prefers_the_one_with_rucs_and_lists_all(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "libro.xlsx",
        {
            "Instrucciones": [["Llene la hoja Datos"], ["No modifique los títulos"]],
            "Datos": [["Código", "Proveedor"], [R1, "A"], [R2, "B"], [R3, "C"]],
            "Otros": [["RUC"], [R5], ["texto"], ["más texto"]],
        },
    )
    assert list_sheets(path) == ["Instrucciones", "Datos", "Otros"]
    plan = build_plan(path)
    assert plan.sheet == "Datos" and plan.sheets == ["Instrucciones", "Datos", "Otros"]
    assert numbers(plan) == [R1, R2, R3]
    assert plan.headers[plan.id_column] == "Código"  # found by content although the header says nothing
    chosen = build_plan(path, sheet="Otros")
    assert numbers(chosen) == [R5, None, None]


def test_misleading_header_loses_to_content(tmp_path: Path) -> None:
    rows = [["RUC", "Documento"], ["ALFA SAC", R1], ["BETA SAC", R2], ["GAMMA", R6]]
    plan = build_plan(xlsx(tmp_path / "enganoso.xlsx", {"S": rows}))
    assert plan.id_column == 1
    assert numbers(plan) == [R1, R2, R6]
    assert any("«RUC»" in w for w in plan.warnings)


def test_no_header_at_all(tmp_path: Path) -> None:
    rows = [["ALFA", R1, 10], ["BETA", R2, 20], ["GAMMA", BAD_CHECK, 30]]
    plan = build_plan(xlsx(tmp_path / "sin.xlsx", {"S": rows}))
    assert plan.header_row is None
    assert plan.headers == ["Columna A", "Columna B", "Columna C"]
    assert numbers(plan) == [R1, R2, None]
    assert reasons(plan) == {3: Reasons.CHECK_DIGIT}


def test_caller_overrides_column_and_header_row(tmp_path: Path) -> None:
    rows = [["Cliente", "RUC cliente", "RUC proveedor"], ["A", R1, R2], ["B", R3, R5]]
    path = xlsx(tmp_path / "dos.xlsx", {"S": rows})
    assert numbers(build_plan(path, column="C")) == [R2, R5]
    assert numbers(build_plan(path, column="ruc PROVEEDOR")) == [R2, R5]
    assert numbers(build_plan(path, column=1)) == [R1, R3]
    no_header = build_plan(path, header_row=0, column="B")
    assert no_header.header_row is None
    assert numbers(no_header) == [None, R1, R3]
    assert reasons(no_header) == {1: Reasons.NOT_A_NUMBER.format(text="«RUC cliente»")}
    with pytest.raises(Exception, match="No existe la columna"):
        build_plan(path, sheet="S", column="Z")


def test_formula_cells_use_their_cached_values(tmp_path: Path) -> None:
    data = (
        f'<row r="1">{inline("A1", "RUC")}{inline("B1", "Nombre")}</row>'
        f'<row r="2"><c r="A2"><f>C2&amp;""</f><v>{R1}</v></c>{inline("B2", "con valor")}</row>'
        f'<row r="3"><c r="A3" t="str"><f>TEXT(C3,"0")</f><v>{R2}</v></c>{inline("B3", "texto")}</row>'
        f'<row r="4"><c r="A4"><f>1/0</f></c>{inline("B4", "sin valor")}</row>'
    )
    plan = build_plan(raw_xlsx(tmp_path / "formulas.xlsx", data))
    assert numbers(plan) == [R1, R2]
    # No cached value: not «Celda vacía», not dropped in silence — skipped, and the report says why.
    assert [(s.source_row, s.reason) for s in plan.skipped] == [(1, Skip.HEADER), (4, Skip.FORMULA)]


def test_vertically_merged_ruc_cell_repeats_for_the_rows_it_covers(tmp_path: Path) -> None:
    rows = [["RUC", "Factura"], [R1, "F001-1"], [None, "F001-2"], [R2, "F001-3"]]
    plan = build_plan(xlsx(tmp_path / "combinadas.xlsx", {"S": rows}, merges={"S": ["A2:A3"]}))
    assert numbers(plan) == [R1, R1, R2]
    assert plan.rows[1].duplicate_of == 0
    assert any("combinadas" in w for w in plan.warnings)


def test_openpyxl_fallback_reads_ints(tmp_path: Path, monkeypatch) -> None:
    path = xlsx(tmp_path / "fallback.xlsx", {"S": [["RUC"], [int(R1)], [R2]]})

    def refuse(*_args):
        raise RuntimeError("calamine refuses")

    monkeypatch.setattr(sources, "CalamineSource", refuse)
    plan = build_plan(path)
    assert numbers(plan) == [R1, R2]
    assert plan.rows[0].raw == int(R1) and isinstance(plan.rows[0].raw, int)


def test_preview_for_the_import_dialog(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "p.xlsx",
        {"Vacía": [["nada"]], "Datos": [["Título"], ["Nombre", "RUC"], ["A", float(R1)], ["B", R2]]},
    )
    p = preview(path, rows=3)
    assert p.sheets == ["Vacía", "Datos"] and p.sheet == "Datos"
    assert p.rows == [["Título", ""], ["Nombre", "RUC"], ["A", R1]]
    assert (p.header_row, p.id_column, p.headers) == (2, 1, ["Nombre", "RUC"])
    other = preview(path, sheet="Vacía")
    assert other.id_column is None and other.rows == [["nada"]]
    assert any("Elige la columna" in w for w in other.warnings)


def test_progress_and_cancel(tmp_path: Path) -> None:
    import threading

    from migo_desktop.excel.reader import ImportCancelled

    path = xlsx(tmp_path / "p.xlsx", {"S": [["RUC"]] + [[R1]] * 12_000})
    calls: list[tuple[int, int | None]] = []
    plan = build_plan(path, progress=lambda done, total: calls.append((done, total)))
    assert len(plan.rows) == 12_000
    assert calls[0] == (0, None) and calls[1] == (0, 12_001) and calls[-1] == (12_000, 12_000)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ImportCancelled) as info:
        build_plan(path, cancel=cancel)
    assert "cancel" in info.value.user_message


def test_ods_with_numeric_rucs(tmp_path: Path) -> None:
    from .corpus import ods

    path = ods(tmp_path / "libre.ods", [["Proveedor", "RUC"], ["A", float(R1)], ["B", R2], ["C", BAD_CHECK]])
    plan = build_plan(path)
    assert plan.sheets == ["Hoja1"] and plan.headers == ["Proveedor", "RUC"]
    assert numbers(plan) == [R1, R2, None]
    assert reasons(plan) == {4: Reasons.CHECK_DIGIT}


def test_document_type_and_number_columns_and_ruc_beats_dni(tmp_path: Path) -> None:
    rows = [
        ["Tipo de Documento", "Número de Documento", "Nombre o Razón Social", "DNI representante"],
        [6, R1, "ALFA", "12345678"],
        [6, int(R2), "BETA", "87654321"],
        [1, "12345678", "PEREZ ANA", "11223344"],
    ]
    plan = build_plan(xlsx(tmp_path / "sire.xlsx", {"S": rows}))
    assert plan.id_column == 1 and plan.header_row == 1
    assert numbers(plan) == [R1, R2, "12345678"]
    assert [r.kind for r in plan.rows] == [IdKind.RUC, IdKind.RUC, IdKind.DNI]


def test_pipe_delimited_txt_without_header(tmp_path: Path) -> None:
    path = tmp_path / "ple.txt"
    path.write_text(f"20240100|{R1}|ALFA|100.00|\n20240100|{R2}|BETA|50.00|\n", encoding="utf-8")
    plan = build_plan(path)
    assert plan.delimiter == "|" and plan.header_row is None and plan.id_column == 1
    assert numbers(plan) == [R1, R2]
    assert plan.rows[0].values == ("20240100", R1, "ALFA", "100.00", None)


def test_data_that_starts_away_from_a1_keeps_its_letters_and_rows(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r, (a, b) in enumerate([("Nombre", "RUC"), ("ALFA", R1), ("BETA", R2)], start=3):
        ws.cell(r, 3, a)
        ws.cell(r, 4, b)
    wb.save(tmp_path / "lejos.xlsx")
    plan = build_plan(tmp_path / "lejos.xlsx")
    assert (plan.header_row, plan.id_column) == (3, 3)
    assert plan.headers == ["Columna A", "Columna B", "Nombre", "RUC"]
    assert [r.source_row for r in plan.rows] == [4, 5] and numbers(plan) == [R1, R2]
    assert numbers(build_plan(tmp_path / "lejos.xlsx", column="D")) == [R1, R2]
