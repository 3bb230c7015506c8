"""The reader child's transport (batches one ahead, row numbers once per batch, the first sheet parsed while
the file's checks run) gives exactly what reading in-process gives: the same rows and the same ImportPlan."""

from __future__ import annotations

import multiprocessing
import struct
import zipfile
from datetime import date
from pathlib import Path

import pytest

from migo_desktop.core.errors import InputError
from migo_desktop.excel import isolated, reader_child, sources
from migo_desktop.excel.guards import FileKind, Limits
from migo_desktop.excel.isolated import IsolatedSource
from migo_desktop.excel.reader import build_plan
from migo_desktop.excel.workbook_sources import open_workbook

from .corpus import BAD_CHECK, R1, R2, R3, R4, inline, raw_xlsx, ruc, xlsx

DATA = Path(__file__).parent / "data"
CHILD = Limits(inprocess_bytes=0)  # every .xlsx is read by a child, started before the checks


def _big(path: Path) -> Path:
    """More rows than two batches, of every kind of cell: numbers, text, dates, blanks, junk, totals,
    duplicates, a DNI, rows with fewer cells than the header."""
    rows: list[list[object]] = [["Reporte de compras"], [], ["Item", "RUC", "Proveedor", "Fecha", "Monto"]]
    for i in range(9_100):
        number: object = ruc(f"20{i:08d}")
        if i % 3 == 0:
            number = int(str(number))
        elif i % 7 == 0:
            number = float(str(number))
        if i % 97 == 0:
            number = None
        elif i % 89 == 0:
            number = BAD_CHECK
        elif i % 83 == 0:
            number = "sin ruc"
        elif i % 50 == 0:
            number = R1  # duplicates
        row: list[object] = [i + 1, number, f"PROVEEDOR {i}", date(2024, 1 + i % 12, 1 + i % 28), i * 1.5]
        if i % 101 == 0:
            row = row[:2]
        if i % 997 == 0:
            row = []
        rows.append(row)
    rows.append(["TOTAL", None, None, None, 12345.5])
    return xlsx(path, {"Compras": rows})


def _workbooks(tmp: Path) -> list[Path]:
    return [
        DATA / "compras_libreoffice.xlsx",
        _big(tmp / "grande.xlsx"),
        xlsx(
            tmp / "hojas.xlsx",
            {"Notas": [["nada"]], "Clientes": [["RUC", "Nombre"], [R1, "A"], [R2, "B"], [R1, "A otra vez"]]},
        ),
        xlsx(
            tmp / "combinadas.xlsx",
            {"S": [["Título"], ["RUC", "Factura"], [R1, "F1"], [None, "F2"], [R3, "F3"]]},
            merges={"S": ["A1:B1", "A3:A4"]},
        ),
        raw_xlsx(  # data from C3: the first rows and columns are empty
            tmp / "desplazada.xlsx",
            f'<row r="3">{inline("C3", "RUC")}{inline("D3", "Nombre")}</row>'
            f'<row r="4">{inline("C4", R4)}{inline("D4", "x")}</row>'
            f'<row r="6"><c r="C6"><v>{R2}</v></c>{inline("D6", "y")}</row>',
        ),
        raw_xlsx(  # an identifier formula without a cached value
            tmp / "formulas.xlsx",
            f'<row r="1">{inline("A1", "RUC")}{inline("B1", "Nota")}</row>'
            f'<row r="2"><c r="A2"><f>C2&amp;""</f><v>{R1}</v></c>{inline("B2", "con valor")}</row>'
            f'<row r="3"><c r="A3"><f>1/0</f></c>{inline("B3", "sin valor")}</row>',
        ),
    ]


def test_the_plan_read_through_the_child_equals_the_plan_read_in_process(tmp_path: Path) -> None:
    for path in _workbooks(tmp_path):
        assert sources._cleared_in_process(path, Limits()), path.name  # the old, in-process route
        assert sources._surely_isolated(path, CHILD) is FileKind.XLSX, path.name  # the child, started early
        in_process = build_plan(path)
        through_child = build_plan(path, limits=CHILD)
        assert through_child == in_process, path.name
        assert in_process.rows, path.name
    isolated.shutdown_idle()


def test_rows_through_the_child_equal_the_readers_rows_even_after_an_abandoned_stream(tmp_path: Path) -> None:
    for path in _workbooks(tmp_path)[1:]:
        local = open_workbook(path, FileKind.XLSX, Limits())
        child = IsolatedSource.open(path, FileKind.XLSX, Limits())
        try:
            for sheet in local.sheet_names:
                expected = list(local.rows(sheet))
                stream = child.rows(sheet)
                assert [next(stream, None) for _ in range(3)] == (expected + [None] * 3)[:3]
                # abandoned mid-batch, with the next batch already asked for: the next answers are still right
                assert child.height(sheet) == local.height(sheet)
                assert child.merged(sheet) == local.merged(sheet)
                assert list(child.rows(sheet)) == expected, (path.name, sheet)
        finally:
            local.close()
            child.discard()


def test_batches_hold_consecutive_rows_and_carry_row_numbers_once() -> None:
    numbered = [(1, ["a"]), (2, ["b"]), (3, ["c"]), (7, ["d"]), (8, ["e"]), (20, ["f"])]
    rows = iter(numbered)
    pending: list[tuple[int, list[object]]] = []
    batches = []
    while batch := reader_child._batch(rows, pending, 2):
        if not batch[1]:
            break
        batches.append(batch)
    assert batches == [(1, [["a"], ["b"]]), (3, [["c"]]), (7, [["d"], ["e"]]), (20, [["f"]])]
    assert [(n, c) for first, cells in batches for n, c in enumerate(cells, first)] == numbered


def _corrupt_crc(path: Path, member: str) -> Path:
    """Change ``member``'s CRC in the central directory: the content no longer matches it."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    name = member.encode()
    at = -1
    while True:
        at = data.find(b"PK\x01\x02", at + 1)
        if data[at + 46 : at + 46 + len(name)] == name:
            break
    struct.pack_into("<I", data, at + 16, info.CRC ^ 0xFFFF)
    path.write_bytes(bytes(data))
    return path


def test_a_file_the_checks_refuse_has_its_early_child_stopped_and_their_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _corrupt_crc(
        xlsx(tmp_path / "roto.xlsx", {"S": [["RUC"], [R1], [R2]]}), "xl/worksheets/sheet1.xml"
    )
    started: list[IsolatedSource] = []
    real_start = IsolatedSource.start.__func__  # type: ignore[attr-defined]

    def spy(cls: type[IsolatedSource], *args: object) -> IsolatedSource:
        source = real_start(cls, *args)
        started.append(source)
        return source

    monkeypatch.setattr(IsolatedSource, "start", classmethod(spy))
    isolated.shutdown_idle()
    with pytest.raises(InputError, match="está dañado o incompleto"):
        build_plan(path, limits=CHILD)
    assert len(started) == 1 and not started[0]._proc_alive()
    assert not [p for p in multiprocessing.active_children() if p.name == "migo-lector"]
