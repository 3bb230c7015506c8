"""`migo bulk` and friends keep their promises: results on stdout and progress on stderr, the same exit codes
in `--help` and the README, Preferencias' range for --concurrencia, progress that never goes backwards, and
`migo resume` writing to the job's own file."""

from __future__ import annotations

import io
import re
from pathlib import Path

from migo_desktop.cli import main
from migo_desktop.cli.bulk import ProgressPrinter
from migo_desktop.cli.common import (
    CONCURRENCY_RANGE,
    EXIT_AUTH,
    EXIT_CODES_TEXT,
    EXIT_ERROR,
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
)
from migo_desktop.core.jobs import default_output
from migo_desktop.core.models import LookupStatus
from migo_desktop.core.progress import Progress
from migo_desktop.core.settings import USER_CONCURRENCY
from migo_desktop.core.store import JobState, Store
from migo_desktop.demo import demo_settings
from migo_desktop.paths import app_paths

from .test_bulk import rucs, write_input

ROOT = Path(__file__).resolve().parents[2]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_help_and_readme_list_the_same_exit_codes(capsys):
    codes = {EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_AUTH, EXIT_INCOMPLETE, EXIT_INTERRUPTED}
    listed = {int(c) for c in re.findall(r"(?:^|· )(\d+) ", _flat(EXIT_CODES_TEXT).split(":", 1)[1].strip())}
    assert listed == codes
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _flat(EXIT_CODES_TEXT) in _flat(readme)
    for argv in (["--help"], ["bulk", "--help"], ["resume", "--help"]):
        assert main(argv) == 0
        assert _flat(EXIT_CODES_TEXT) in _flat(capsys.readouterr().out), argv


def test_concurrency_accepts_the_range_of_preferencias_only(tmp_path, capsys):
    assert CONCURRENCY_RANGE == USER_CONCURRENCY
    low, high = USER_CONCURRENCY
    source = write_input(tmp_path / "pocos.xlsx", rucs(3))
    for bad in (str(low - 1), str(high + 1), "muchas"):
        assert main(["bulk", str(source), "--demo", "--concurrencia", bad]) == EXIT_USAGE
        assert "concurrencia" in capsys.readouterr().err
    assert main(["bulk", str(source), "--demo", "--concurrencia", str(high)]) == EXIT_OK
    assert default_output(source).exists()  # no -o: <entrada>_resultados.xlsx


def _progress(done: int, total: int = 100) -> Progress:
    counts = dict.fromkeys(LookupStatus, 0)
    counts[LookupStatus.OK] = done
    counts[LookupStatus.PENDING] = total - done
    return Progress(job_id=1, total=total, counts=counts, done=done, in_flight=0, requests=done,
                    cache_hits=0, retries=0, rate=1.0, eta_seconds=1.0, concurrency=4,
                    state=JobState.RUNNING, message="", elapsed=1.0)  # fmt: skip


def test_progress_never_goes_backwards():
    stream = io.StringIO()
    printer = ProgressPrinter(stream, tty=False, every=0.0)
    for done in (10, 40, 25, 30, 60):  # rows put back to pending (network pause) make `done` dip
        printer(_progress(done))
    shown = [int(m) for m in re.findall(r" (\d+)/100", stream.getvalue())]
    assert shown == [10, 40, 40, 40, 60]


def test_results_on_stdout_progress_and_notices_on_stderr(tmp_path, capsys):
    source = write_input(tmp_path / "lista.xlsx", rucs(10), extra=["20123456789"])
    out = tmp_path / "r.csv"
    assert main(["bulk", str(source), "-o", str(out), "--demo"]) == EXIT_OK
    captured = capsys.readouterr()
    assert "Consulta masiva n.º 1 (lista.xlsx): Consulta terminada." in captured.out
    assert f"Archivo guardado: {out}" in captured.out
    assert "%" in captured.err and "demostración" in captured.err and "Consulta masiva n.º 1:" in captured.err
    assert "consultas/s" not in captured.out and "Consulta terminada" not in captured.err
    assert main(["export", "1", "-o", str(tmp_path / "otra.xlsx")]) == EXIT_OK
    assert "Archivo guardado" in capsys.readouterr().out


def test_resume_writes_to_the_jobs_own_output(tmp_path, capsys):
    source = write_input(tmp_path / "lista.xlsx", rucs(8))
    out = tmp_path / "mio.xlsx"
    assert main(["bulk", str(source), "-o", str(out), "--demo"]) == EXIT_OK
    out.unlink()
    capsys.readouterr()
    assert main(["resume", "1", "--demo"]) == EXIT_OK
    assert out.exists() and f"Archivo guardado: {out}" in capsys.readouterr().out


def test_resume_of_a_run_started_in_the_app_writes_next_to_its_input(tmp_path, capsys):
    from migo_desktop.excel.reader import build_plan

    source = write_input(tmp_path / "desde_la_app.xlsx", rucs(5))
    with Store(app_paths().ensure().database) as store:
        job_id = store.create_job(build_plan(source), demo_settings())
        assert store.get_job(job_id).output_path is None  # the app never chose a file for it
    assert main(["resume", str(job_id), "--demo"]) == EXIT_OK
    expected = default_output(source)
    assert expected.exists() and f"Archivo guardado: {expected}" in capsys.readouterr().out
