"""`migo padron …`, `migo ruc --fuente padron` and `migo bulk --fuente …` with the padrón on this machine."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl

from migo_desktop.cli import main

from ..core.padron.fixture import write_zip
from .test_bulk import rucs, write_input

EMPTY = "|".join(["-"] * 10)


def _import_fixture(tmp_path: Path, capsys) -> None:
    assert main(["padron", "importar", str(write_zip(tmp_path)), "--fecha", "2026-11-28"]) == 0
    out = capsys.readouterr().out
    assert "Padrón del 28/11/2026 importado" in out and "Contribuyentes importados: 8" in out
    assert "Líneas con formato no válido (omitidas): 2" in out and "línea 8: faltan campos" in out


def test_import_status_search_and_remove(tmp_path: Path, capsys) -> None:
    assert main(["padron", "estado"]) == 0
    assert "No hay padrón SUNAT" in capsys.readouterr().out
    _import_fixture(tmp_path, capsys)
    assert main(["padron", "estado", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["instalado"] and status["fecha"] == "2026-11-28" and status["registros"] == 8
    assert main(["padron", "buscar", "garcia", "carlos"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "10452159428  ACTIVO                HABIDO      GARCIA CHANCO CARLOS AUGUSTO"
    ]
    assert "padrón del 28/11/2026" in captured.err
    assert main(["padron", "buscar", "nuñez", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["numero"] == "10412345671" and found[0]["fuente"] == "Padrón 28/11/2026"
    assert found[0]["datos"]["departamento"] == "CUSCO"
    assert main(["padron", "eliminar"]) == 0 and "eliminado" in capsys.readouterr().out
    assert main(["padron", "buscar", "garcia"]) == 2


def test_a_broken_file_is_an_error_and_keeps_the_padron(tmp_path: Path, capsys) -> None:
    _import_fixture(tmp_path, capsys)
    broken = tmp_path / "roto.zip"
    broken.write_bytes(write_zip(tmp_path).read_bytes()[:300])
    assert main(["padron", "importar", str(broken)]) == 1
    assert "Error:" in capsys.readouterr().err
    assert main(["padron", "estado", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["fecha"] == "2026-11-28"


def test_ruc_from_the_padron_needs_no_token(tmp_path: Path, capsys) -> None:
    _import_fixture(tmp_path, capsys)
    assert main(["ruc", "20330033313", "20100070970", "20131312955", "--fuente", "padron"]) == 0
    out = capsys.readouterr().out
    assert "PERUANA DE ESTACIONES DE SERVICIOS S.A.C" in out and "SANTIAGO DE SURCO" in out
    assert "(fuente: Padrón 28/11/2026, sin conexión)" in out
    assert main(["ruc", "20100047218", "--fuente", "padron", "--json"]) == 0
    missing = json.loads(capsys.readouterr().out)[0]
    assert missing["resultado"] == "NO ENCONTRADO" and missing["mensaje"] == "No figura en el padrón SUNAT"


def _padron_for(tmp_path: Path, numbers: list[str]) -> None:
    text = "\n".join(
        f"{n}|EMPRESA PADRON {i} S.A.C.|ACTIVO|HABIDO|150101|{EMPTY}|" for i, n in enumerate(numbers)
    )
    source = tmp_path / "padron.txt"
    source.write_bytes(text.encode("cp1252") + b"\n")
    assert main(["padron", "importar", str(source), "--fecha", date.today().isoformat()]) == 0


def test_bulk_sources_count_the_paid_calls(tmp_path: Path, capsys) -> None:
    numbers = rucs(20)
    _padron_for(tmp_path, numbers[:15])
    book = write_input(tmp_path / "clientes.xlsx", numbers)
    out = tmp_path / "resultado.xlsx"
    capsys.readouterr()
    assert main(["bulk", str(book), "-o", str(out), "--demo", "--fuente", "hibrido"]) == 0
    captured = capsys.readouterr()
    assert "Consultas a la API: 5" in captured.out  # the summary is the result: stdout
    assert "Respondidas con el padrón SUNAT (gratis): 15" in captured.err
    wb = openpyxl.load_workbook(out, read_only=True)
    try:
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()
    fuente = rows[0].index("Fuente (Migo)")  # the person's own workbook, with the result columns added
    assert [r[fuente] for r in rows[1:]].count("Migo, en vivo") == 5
    assert rows[1][fuente] == f"Padrón {date.today():%d/%m/%Y}"


def test_bulk_from_the_padron_only_needs_no_token_and_pays_nothing(tmp_path: Path, capsys) -> None:
    numbers = rucs(6)
    _padron_for(tmp_path, numbers[:4])
    book = write_input(tmp_path / "clientes.xlsx", numbers)
    capsys.readouterr()
    code = main(["bulk", str(book), "-o", str(tmp_path / "r.csv"), "--fuente", "padron"])
    captured = capsys.readouterr()
    out, err = captured.out, captured.err
    assert code == 0 and "Consultas a la API: 0" in out and "OK: 4 · NO ENCONTRADO: 2" in out
    assert "demostración" not in err


def test_bulk_from_the_padron_without_one_is_a_usage_error(tmp_path: Path, capsys) -> None:
    book = write_input(tmp_path / "clientes.xlsx", rucs(3))
    assert main(["bulk", str(book), "-o", str(tmp_path / "r.csv"), "--fuente", "padron"]) == 2
    assert "No hay un padrón SUNAT" in capsys.readouterr().err
