"""Issue 9, «Crashes and runaway memory from files»: generated hostile shapes never take the process down.

Each case checks the outcome (a Spanish InputError or a correct plan) and that this process's peak RSS did
not grow past a bound — what would have happened without the guard is noted next to it.
"""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from migo_desktop.core.errors import InputError
from migo_desktop.excel.guards import Limits
from migo_desktop.excel.reader import build_plan, preview
from migo_desktop.excel.sheet_scan import scan_xlsx

from . import hostile_gen as gen

CHILD = Limits(inprocess_bytes=0)  # force the memory-capped child, whatever the in-process scan would say


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def refused(path: Path, **kw) -> str:
    with pytest.raises(InputError) as info:
        build_plan(path, **kw)
    return info.value.user_message


@pytest.mark.parametrize("shape", sorted(gen.XLSX_BYPASSES))
def test_xlsx_bypass_shapes_are_refused_by_the_xml_scan(tmp_path: Path, shape: str) -> None:
    path = gen.xlsx_bypass(tmp_path / f"{shape}.xlsx", shape)
    before = peak_mb()
    assert path.stat().st_size < 5_000
    assert "posiciones desmedidas" in refused(path)  # calamine alone: abort, «allocation of 549 GB failed»
    with pytest.raises(InputError, match="posiciones desmedidas"):
        preview(path)  # the GUI's import preview takes the same road
    assert peak_mb() - before < 50


@pytest.mark.parametrize("shape", ["comilla_simple", "fila_8_digitos", "fuera_de_worksheets"])
def test_a_native_abort_in_the_child_is_a_message(tmp_path: Path, shape: str) -> None:
    # Skip the scan: calamine itself meets the shape, inside the capped child, and aborts there.
    path = gen.xlsx_bypass(tmp_path / f"{shape}.xlsx", shape)
    before = peak_mb()
    message = refused(path, limits=CHILD)
    assert "necesitaría demasiada memoria" in message and "copia solo los datos" in message
    assert peak_mb() - before < 50


def test_a_sheet_outside_worksheets_is_found_through_the_relationships(tmp_path: Path) -> None:
    path = gen.xlsx_bypass(tmp_path / "fuera.xlsx", "fuera_de_worksheets")
    parts = {e.part: e for e in scan_xlsx(path)}
    assert set(parts) == {"xl/datos/hoja.xml"}
    assert (parts["xl/datos/hoja.xml"].max_row, parts["xl/datos/hoja.xml"].max_col) == (1_048_576, 16_384)


def test_a_long_single_column_is_judged_by_its_real_cells(tmp_path: Path) -> None:
    # 700,001 × 1 used to be refused as «700,001 filas × 26 columnas» (a padded guess). Here its first and
    # last cells (the same grid for calamine) go end to end; the full 700,001-row file is in bench/hostile.py.
    first = '<row r="1"><c r="A1" t="inlineStr"><is><t>RUC</t></is></c></row>'
    last = f'<row r="700001"><c r="A700001"><v>{gen.R1}</v></c></row>'
    path = gen.xlsx_part(tmp_path / "columna.xlsx", first + last)
    (extent,) = scan_xlsx(path)
    assert (extent.rows, extent.cols, extent.cells) == (700_001, 1, 2)
    plan = build_plan(path)
    assert [(r.source_row, r.number) for r in plan.rows] == [(700_001, gen.R1)]
    small = gen.xlsx_column(tmp_path / "columna_chica.xlsx", 2_001)
    for limits in (Limits(), CHILD):
        plan = build_plan(small, limits=limits)
        assert len(plan.rows) == 2_000 and plan.rows[-1].source_row == 2_001
        assert plan.rows[1].duplicate_of == 0


def test_xls_declaring_iv65536_is_refused_without_growing_this_process(tmp_path: Path) -> None:
    path = gen.xls_far_cell(tmp_path / "iv65536.xls")
    assert path.stat().st_size < 10_000
    before = peak_mb()
    message = refused(path)  # calamine in-process: ~1 GB
    assert "demasiado grande" in message or "demasiada memoria" in message
    assert peak_mb() - before < 50


def test_corrupted_xls_files_never_take_the_process_down(tmp_path: Path) -> None:
    good = gen.xls_far_cell(tmp_path / "bueno.xls", row=300, col=3)
    outcomes = set()
    for seed in range(6):
        path = gen.xls_corrupted(tmp_path / f"roto{seed}.xls", good, seed)
        try:
            plan = build_plan(path)
            outcomes.add("plan")
            assert plan.rows  # whatever survived the damage, it is rows, not a crash
        except InputError as exc:
            outcomes.add("refused")
            assert "«roto" in exc.user_message
    assert outcomes  # every file got an answer; this process is still here to count them


def test_ods_at_calamines_row_cap_is_refused_not_cut(tmp_path: Path) -> None:
    path = gen.ods_rows(tmp_path / "diez_millones.ods", 2_000_000)
    message = refused(path)  # calamine stops at 1,048,576 rows without a word
    assert "1,048,576 filas o más" in message and "se perderían" in message


def test_csv_with_one_huge_line_fails_early(tmp_path: Path) -> None:
    path = gen.csv_one_line(tmp_path / "linea.csv", megabytes=40)
    before = peak_mb()
    message = refused(path)  # before: 5.6 GB and still running at 240 s (for 200 MB)
    assert "La línea 2 de «linea.csv» mide más de 4 MB" in message
    assert peak_mb() - before < 100


def test_csv_wider_than_excel_is_refused_at_import(tmp_path: Path) -> None:
    ok = gen.csv_wide(tmp_path / "ancho_ok.csv", 16_384)
    plan = build_plan(ok)
    assert len(plan.headers) == 16_384 and [r.number for r in plan.rows] == [gen.R1] * 3
    wide = gen.csv_wide(tmp_path / "ancho.csv", 16_385)
    message = refused(wide)  # before: accepted, paid for, then the xlsx export crashed (IndexError)
    assert "tiene 16,385 columnas; el máximo es 16,384" in message


def test_csv_with_far_too_many_lines_fails_before_building_rows(tmp_path: Path) -> None:
    path = gen.csv_many_rows(tmp_path / "filas.csv", 50_000)
    message = refused(path, limits=Limits(max_rows=10_000, max_sheet_rows=10_000))
    assert "más de 21,000 líneas" in message


def test_csv_mixing_utf8_and_cp1252_lines_reads_both_and_warns(tmp_path: Path) -> None:
    path = gen.csv_mixed_encodings(tmp_path / "mezcla.csv")
    plan = build_plan(path)
    assert [r.values[0] for r in plan.rows] == ["Compañía Ñandú", "Pérez – hermanos"]
    assert plan.encoding == "utf-8+cp1252"
    (warning,) = [w for w in plan.warnings if "mezcla dos codificaciones" in w]
    assert "(p. ej. la 1)" in warning and "(p. ej. la 3)" in warning


def test_runaway_quoted_field_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "comillas.csv"
    path.write_text("RUC;Nombre\n" + f'{gen.R1};"abierta\n' + "sigue;y sigue\n" * 20_000, encoding="utf-8")
    assert "comillas sin cerrar" in refused(path)


def test_the_child_is_kept_for_the_next_read_of_the_same_unchanged_file(tmp_path: Path) -> None:
    # The import preview and then the import read the same file: one child start-up, not two.
    from migo_desktop.excel.guards import FileKind
    from migo_desktop.excel.isolated import IsolatedSource

    path = gen.xlsx_column(tmp_path / "columna.xlsx", 50)
    first = IsolatedSource.open(path, FileKind.XLSX, Limits())
    pid = first._proc.pid
    assert len(list(first.rows(None))) == 50
    first.close()
    again = IsolatedSource.open(path, FileKind.XLSX, Limits())
    assert again is first and again._proc.pid == pid and len(list(again.rows(None))) == 50
    again.close()
    gen.xlsx_column(path, 60)  # the file changed: a fresh child reads the new content
    fresh = IsolatedSource.open(path, FileKind.XLSX, Limits())
    assert fresh._proc.pid != pid and len(list(fresh.rows(None))) == 60
    fresh.close()
    fresh._shutdown()
    assert not first._proc_alive()
