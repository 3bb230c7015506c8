"""Issue 9: two `migo bulk` of the same file at once — the second is refused (naming the holder) before it
pays for anything, and the fake server's per-RUC count shows nothing paid twice. Real processes; sync by
polling the SQLite file, never by sleeping blindly."""

from __future__ import annotations

import subprocess
import time

from migo_desktop.core.settings import DEMO_TOKEN
from tests.support.harness import fetch_stats, server_process

from .test_bulk import rucs, write_input
from .test_bulk_crash import answered_rows, env_for, migo, run

ROOT_ROWS = 300


def test_second_process_on_the_same_job_is_refused_and_nothing_is_paid_twice(tmp_path):
    numbers = rucs(ROOT_ROWS, start=7_000_000)
    source = write_input(tmp_path / "clientes.xlsx", numbers)
    data_dir = tmp_path / "data"
    db = data_dir / "data" / "migo.sqlite3"
    with server_process(latency=0.05) as (_proc, base_url):

        def cmd(out: str) -> list[str]:
            return migo("bulk", str(source), "-o", str(tmp_path / out), "--base-url", base_url,
                        "--token-stdin", "--concurrencia", "4", data_dir=data_dir)  # fmt: skip

        first = subprocess.Popen(cmd("uno.csv"), env=env_for(data_dir), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, stdin=subprocess.PIPE, text=True)  # fmt: skip
        first.stdin.write(DEMO_TOKEN + "\n")  # the token never appears in the process list
        first.stdin.close()
        try:
            deadline = time.monotonic() + 90
            while answered_rows(db) < 20:  # the first run holds the job and is paying
                assert first.poll() is None, "the first run ended early"
                assert time.monotonic() < deadline
                time.sleep(0.02)  # polling the store, not a sleep-as-sync
            second = subprocess.run(cmd("dos.csv"), env=env_for(data_dir), capture_output=True, text=True,
                                    input=DEMO_TOKEN + "\n", timeout=120)  # fmt: skip
            assert first.poll() is None, "the first run must still be running for this test to mean anything"
            assert second.returncode == 2, second.stderr
            assert "ya está en curso" in second.stderr and f"proceso {first.pid}" in second.stderr
            assert "Traceback" not in second.stderr
        finally:
            first.stdin = None  # already written and closed
            _, first_err = first.communicate(timeout=120)
        assert first.returncode == 0, first_err
        stats = fetch_stats(base_url)
    assert set(stats.answered) == set(numbers)
    assert not stats.answered_more_than_once()
    assert not (tmp_path / "dos.csv").exists()


def test_output_equal_to_the_input_is_refused_before_reading_or_paying(tmp_path):
    source = write_input(tmp_path / "clientes.xlsx", rucs(5))
    before = source.read_bytes()
    data_dir = tmp_path / "data"
    done = run(migo("bulk", str(source), "-o", str(source), "--demo", data_dir=data_dir), data_dir)
    assert done.returncode == 2 and "mismo archivo de entrada" in done.stderr
    assert source.read_bytes() == before
    assert not (data_dir / "data" / "migo.sqlite3").exists()  # refused before a job was even created


def test_migo_jobs_on_a_damaged_database_sets_it_aside_and_says_so(tmp_path):
    data_dir = tmp_path / "data"
    (data_dir / "data").mkdir(parents=True)
    (data_dir / "data" / "migo.sqlite3").write_bytes(b"basura" * 1000)
    done = run(migo("jobs", data_dir=data_dir), data_dir)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "estaba dañada" in done.stderr
    assert list((data_dir / "data").glob("migo.sqlite3.dañada-*"))


def test_two_jobs_on_different_files_sharing_rucs_pay_each_ruc_once(tmp_path):
    shared = rucs(120, start=7_500_000)
    only_a, only_b = rucs(30, start=7_600_000), rucs(30, start=7_700_000)
    file_a = write_input(tmp_path / "a.xlsx", shared + only_a)  # the shared RUCs first in both files:
    file_b = write_input(tmp_path / "b.xlsx", shared + only_b)  # both runs reach them at the same moment
    data_dir = tmp_path / "data"
    with server_process(latency=0.05) as (_proc, base_url):
        procs = [
            subprocess.Popen(
                migo(
                    "bulk",
                    str(src),
                    "-o",
                    str(tmp_path / f"{src.stem}_res.csv"),
                    "--base-url",
                    base_url,
                    "--token",
                    DEMO_TOKEN,
                    "--concurrencia",
                    "4",
                    data_dir=data_dir,
                ),
                env=env_for(data_dir),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for src in (file_a, file_b)
        ]
        errors = [p.communicate(timeout=180)[1] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], errors
        stats = fetch_stats(base_url)
    assert set(stats.answered) == set(shared + only_a + only_b)
    assert not stats.answered_more_than_once()


def test_token_from_stdin_or_a_descriptor_never_from_the_command_line(monkeypatch):
    import io
    import os

    import pytest

    from migo_desktop.cli.command import build_parser
    from migo_desktop.cli.common import resolve_settings
    from migo_desktop.core.errors import ConfigError

    parser, _ = build_parser()
    monkeypatch.delenv("MIGO_TOKEN", raising=False)
    monkeypatch.delenv("MIGO_DEMO", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("tok-desde-stdin-123\nsiguiente\n"))
    assert resolve_settings(parser.parse_args(["ruc", "20131312955", "--token-stdin"])).token == (
        "tok-desde-stdin-123"
    )
    read, write = os.pipe()
    os.write(write, b"tok-desde-fd-456\n")
    os.close(write)
    assert resolve_settings(parser.parse_args(["ruc", "20131312955", "--token-fd", str(read)])).token == (
        "tok-desde-fd-456"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(ConfigError, match="No se recibió ningún token por la entrada estándar"):
        resolve_settings(parser.parse_args(["ruc", "20131312955", "--token-stdin"]))
    help_text = parser.format_help() + build_parser()[1].choices["ruc"].format_help()
    assert "--token-stdin" in help_text and "desaconsejado" in help_text


def test_migo_jobs_with_an_unwritable_data_folder_is_a_spanish_diagnosis(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "data").write_text("un archivo donde va la carpeta de datos")  # unwritable, even for root
    (data_dir / "logs").write_text("y otro donde va la de registros")
    done = run(migo("jobs", data_dir=data_dir), data_dir)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "carpeta de datos" in done.stderr and "MIGO_DATA_DIR" in done.stderr
    assert "Aviso: No se puede escribir en la carpeta de registros" in done.stderr
