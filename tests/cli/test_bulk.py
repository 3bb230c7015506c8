"""`migo bulk/jobs/resume/export` in-process with --demo: outputs, Spanish summary, exit codes, reruns."""

from __future__ import annotations

import json

import openpyxl
import pytest
from stdnum.pe import ruc as stdnum_ruc

from migo_desktop.cli import main
from migo_desktop.cli.bulk import ProgressPrinter, summary_text
from migo_desktop.core.models import LookupStatus
from migo_desktop.core.progress import JobSummary, Progress
from migo_desktop.core.store import JobState


def rucs(n: int, start: int = 100_000) -> list[str]:
    out = []
    for i in range(start, start + n):
        base = "20" + f"{i:08d}"
        out.append(base + stdnum_ruc.calc_check_digit(base))
    return out


def write_input(path, numbers, extra=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Clientes"
    ws.append(["Nombre", "RUC", "Monto"])
    for i, number in enumerate([*numbers, *extra]):
        ws.append([f"Cliente {i}", number, i * 1.5])
    wb.save(path)
    return path


@pytest.fixture
def workbook(tmp_path):
    numbers = rucs(40)
    return write_input(tmp_path / "clientes.xlsx", numbers, extra=["20123456789", numbers[0]])


def test_bulk_demo_writes_the_output_and_a_spanish_summary(workbook, tmp_path, capsys):
    out = tmp_path / "resultado.xlsx"
    assert main(["bulk", str(workbook), "-o", str(out), "--demo", "--concurrencia", "4"]) == 0
    captured = capsys.readouterr()
    out_text, err = captured.out, captured.err
    # the result and the summary on stdout; progress and notices on stderr
    assert "Consulta terminada" in out_text and "Consultas a la API: 40" in out_text
    assert "INVÁLIDO: 1" in out_text and "Archivo guardado" in out_text
    assert "demostración" in err and "100.0 %" in err and "Consulta terminada" not in err
    assert "%" not in out_text
    wb = openpyxl.load_workbook(out, read_only=True)
    try:
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()
    header = rows[0]  # the user's own workbook: their columns, then ours
    assert header[:3] == ("Nombre", "RUC", "Monto") and header[3] == "RUC normalizado (Migo)"
    status_col = header.index("Resultado (Migo)")
    statuses = [r[status_col] for r in rows[1:] if r[0] is not None]
    assert len(statuses) == 42
    assert statuses[-2:] == ["INVÁLIDO", "DUPLICADO"]
    assert set(statuses[:40]) <= {"OK", "NO ENCONTRADO"}
    assert "Informe de importación: Se consultarán: 40" in err and "Omitidas: 1" in err

    # the same command again: a new run served entirely from the cache
    assert main(["bulk", str(workbook), "-o", str(out), "--demo"]) == 0
    assert "Consultas a la API: 0 · desde caché: 40" in capsys.readouterr().out

    assert main(["jobs", "--json"]) == 0
    jobs = json.loads(capsys.readouterr().out)
    assert (
        [j["id"] for j in jobs] == [2, 1] and jobs[1]["consultas_api"] == 40 and jobs[0]["desde_cache"] == 40
    )
    assert all(j["estado"] == "completed" and j["salida"].endswith("resultado.xlsx") for j in jobs)
    assert main(["jobs"]) == 0
    table = capsys.readouterr().out
    assert "terminado" in table and "clientes.xlsx" in table

    csv_path = tmp_path / "r.csv"
    assert main(["export", "1", "-o", str(csv_path), "--separador", ";"]) == 0
    text = csv_path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Fila;Nombre;RUC;Monto;") and "DUPLICADO" in text
    assert text.splitlines()[1].startswith("2;Cliente 0;\t")  # «Fila» = the sheet row; the RUC stays text
    assert main(["resume", "1", "--demo"]) == 0  # nothing left: no calls, file rewritten
    assert "Consultas a la API: 0" in capsys.readouterr().out


def test_bad_usage_and_unreadable_input_exit_2(workbook, tmp_path, capsys):
    assert main(["bulk", str(tmp_path / "no-existe.xlsx"), "-o", str(tmp_path / "o.xlsx"), "--demo"]) == 2
    assert "No se encontró" in capsys.readouterr().err
    assert main(["bulk", str(workbook), "-o", str(tmp_path / "o.pdf"), "--demo"]) == 2
    assert ".xlsx o .csv" in capsys.readouterr().err
    garbage = tmp_path / "roto.xlsx"
    garbage.write_bytes(b"esto no es un excel")
    assert main(["bulk", str(garbage), "-o", str(tmp_path / "o.xlsx"), "--demo"]) == 2
    assert main(["resume", "99", "--demo"]) == 2
    assert "No existe la consulta masiva n.º 99" in capsys.readouterr().err
    assert main(["bulk", str(workbook), "-o", str(tmp_path / "o.xlsm"), "--demo"]) == 2
    assert ".xlsm" in capsys.readouterr().err
    assert main(["bulk", str(workbook), "--concurrencia", "51", "--demo"]) == 2  # beyond Preferencias' range


def test_no_token_refuses_without_demo(workbook, tmp_path, capsys):
    assert main(["bulk", str(workbook), "-o", str(tmp_path / "o.xlsx")]) == 3
    assert "token" in capsys.readouterr().err.lower()


def _progress(done: int, state=JobState.RUNNING, message="") -> Progress:
    counts = {s: 0 for s in LookupStatus}
    counts[LookupStatus.PENDING] = 100 - done
    counts[LookupStatus.OK] = done
    return Progress(1, 100, counts, done, 2, done, 0, 1, 25.0, (100 - done) / 25, 10, state, message)


def test_progress_printer_bar_on_tty_and_sparse_lines_otherwise(tmp_path):
    import io

    tty = io.StringIO()
    printer = ProgressPrinter(tty, tty=True)
    printer(_progress(50))
    printer.close()
    assert "\r" in tty.getvalue() and "50.0 %" in tty.getvalue() and "consultas/s" in tty.getvalue()
    assert "quedan 0:02" in tty.getvalue()
    plain = io.StringIO()
    printer = ProgressPrinter(plain, tty=False, every=3600)
    for done in (10, 20, 30):
        printer(_progress(done))
    printer(_progress(100, JobState.COMPLETED, "Consulta terminada."))
    lines = plain.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in plain.getvalue() and lines[-1].lstrip().startswith("100.0 %")


def test_summary_mentions_how_to_continue_when_incomplete():
    counts = {s: 0 for s in LookupStatus} | {LookupStatus.PENDING: 7, LookupStatus.ERROR: 2}
    summary = JobSummary(5, JobState.PAUSED, 9, counts, 3, 0, 4, 1.5, "Se agotó el margen.", "budget",
                         {"Servicio de Migo no disponible": 2})  # fmt: skip
    text = summary_text(summary, None, None)
    assert "migo resume 5" in text and "PENDIENTE: 7" in text and "ERROR × 2" in text


def test_default_output_kinds_and_json_import_report(workbook, tmp_path, capsys):
    assert main(["bulk", str(workbook), "--demo", "--json", "--concurrencia", "4"]) == 0
    data = json.loads(capsys.readouterr().out)
    own = tmp_path / "clientes_resultados.xlsx"  # -o omitted: beside the source
    assert data["salida"] == str(own) and own.exists()
    report = data["informe_importacion"]
    assert report["conteos"] == {"consultar": 40, "duplicada": 1, "invalida": 1, "omitida": 1}
    assert report["omitida"] == {"Fila de encabezados": [1]} and report["duplicada"] == {
        "Repite la fila 2": [43]
    }
    assert report["invalida"] == {"Dígito verificador incorrecto": [42]}
    table = tmp_path / "tabla.xlsx"
    assert main(["export", str(data["ejecucion"]), "-o", str(table), "--como", "tabla"]) == 0
    wb = openpyxl.load_workbook(table, read_only=True)
    try:
        assert wb.sheetnames == ["Resultados", "Resumen", "Requieren atención"]
        first = next(wb["Resultados"].iter_rows(min_row=2, values_only=True))
        assert first[:2] == (2, "Cliente 0")  # «Fila» is the sheet row, the same number as in the report
    finally:
        wb.close()
    own.unlink()
    assert main(["export", str(data["ejecucion"])]) == 0  # -o omitted again: the own workbook
    assert own.exists()
