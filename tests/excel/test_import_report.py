"""The import report accounts for every row of the sheet, exactly once: looked up, duplicate, invalid (with a
reason) or skipped (with a reason) — title, header, blank, total and formula-without-value rows included."""

from __future__ import annotations

from pathlib import Path

from migo_desktop.core.ids import parse_identifier
from migo_desktop.core.models import IdKind
from migo_desktop.excel.plan import PlanRow, Skip, fold_duplicates
from migo_desktop.excel.reader import build_plan

from . import own_fixtures
from .corpus import BAD_CHECK, R1, R2


def test_every_row_of_a_messy_sheet_appears_exactly_once(tmp_path: Path) -> None:
    plan = build_plan(own_fixtures.build(tmp_path / "compras.xlsx"))
    report = plan.report()
    rows = [line.source_row for line in report.lines]
    assert rows == list(range(1, own_fixtures.TOTAL_ROW + 1))  # 1..14, each once, in order
    by_row = {line.source_row: (line.category, line.reason) for line in report.lines}
    assert by_row[1] == ("omitida", Skip.TITLE)
    assert by_row[2] == ("omitida", Skip.BLANK)
    assert by_row[3] == ("omitida", Skip.HEADER)
    assert by_row[6] == ("consultar", "")  # =CONCATENATE(...) with a cached value is looked up
    assert by_row[7] == ("omitida", Skip.FORMULA)  # ... and without one it is said so, not dropped
    assert by_row[8] == ("omitida", Skip.BLANK)
    assert by_row[9] == ("invalida", "Dígito verificador incorrecto")
    assert by_row[10] == ("duplicada", "Repite la fila 4")
    assert by_row[11] == ("consultar", "")  # 2.0100070970E+10 carries all 11 digits
    assert by_row[12][0] == "invalida" and "notación científica" in by_row[12][1]
    assert by_row[14] == ("omitida", Skip.TOTAL)
    counts = report.counts()
    assert sum(counts.values()) == own_fixtures.TOTAL_ROW
    assert counts == {"consultar": 5, "duplicada": 1, "invalida": 2, "omitida": 6}
    as_json = report.to_dict()
    assert as_json["consultar"] == [4, 5, 6, 11, 13]
    assert as_json["omitida"]["Fila en blanco"] == [2, 8]


def test_text_file_report_counts_every_line(tmp_path: Path) -> None:
    path = tmp_path / "lista.csv"
    lines = ["Listado de proveedores", "", "RUC;Nombre", f"{R1};uno", "", f"{BAD_CHECK};malo",
             f"{R1};otra vez", f"{R2};dos", "TOTAL;2", "2.01313E+10;perdido"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build_plan(path).report()
    assert [line.source_row for line in report.lines] == list(range(1, len(lines) + 1))
    cats = [line.category for line in report.lines]
    assert cats == ["omitida", "omitida", "omitida", "consultar", "omitida", "invalida", "duplicada",
                    "consultar", "omitida", "invalida"]  # fmt: skip
    assert report.lines[8].reason == Skip.TOTAL


def test_exact_scientific_notation_is_read_and_lossy_is_refused() -> None:
    assert parse_identifier("2.0100070970E+10").number == "20100070970"
    assert parse_identifier("2,0100070970e10").number == "20100070970"
    assert parse_identifier("2.01313E+10").number is None
    assert parse_identifier("2.010007097E+10").number is None  # the last 0 might be a lost digit


def test_repeats_point_at_the_first_row_of_the_same_kind_and_number() -> None:
    dni, ruc = IdKind.DNI, IdKind.RUC
    cells = [(R1, ruc), ("12345678", dni), (R1, ruc), ("12345678", dni), (None, None), (None, None),
             (R2, ruc), ("12345678", ruc), (R2, ruc)]  # fmt: skip
    rows = [PlanRow(i, i + 2, (), n, k, n, None if n else "vacía") for i, (n, k) in enumerate(cells)]
    fold_duplicates(rows)
    assert [r.duplicate_of for r in rows] == [None, None, 0, 1, None, None, None, None, 6]
