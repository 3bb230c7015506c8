"""`migo bulk` as a real process against the HTTP fake server: kill -9 and rerun, a bad token, a rerun of a
completed job. Sync is done by polling the SQLite file and the server's /__stats, never by sleeping blindly.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migo_desktop.core.settings import DEMO_TOKEN
from tests.support.harness import fetch_stats, server_process

from .test_bulk import rucs, write_input

ROOT = Path(__file__).resolve().parents[2]
CONCURRENCY = 8


def migo(*args: str, data_dir: Path) -> list[str]:
    return [sys.executable, "-c", "from migo_desktop.cli import main; raise SystemExit(main())", *args]


def env_for(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MIGO_TOKEN", "MIGO_BASE_URL", "MIGO_DEMO")}
    env.update(MIGO_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return env


def run(cmd: list[str], data_dir: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, env=env_for(data_dir), cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def answered_rows(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT COUNT(*) FROM job_rows WHERE state NOT IN ('pending')").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0
    finally:
        conn.close()


@pytest.mark.slow
def test_kill_9_half_way_then_rerun_finishes_without_paying_twice(tmp_path):
    n = 800
    numbers = rucs(n, start=5_000_000)
    source = write_input(tmp_path / "grande.xlsx", numbers)
    out = tmp_path / "resultado.xlsx"
    data_dir = tmp_path / "data"
    db = data_dir / "data" / "migo.sqlite3"
    with server_process(latency=0.02) as (_proc, base_url):
        cmd = migo("bulk", str(source), "-o", str(out), "--base-url", base_url, "--token", DEMO_TOKEN,
                   "--concurrencia", str(CONCURRENCY), data_dir=data_dir)  # fmt: skip
        proc = subprocess.Popen(cmd, env=env_for(data_dir), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while answered_rows(db) < n // 2:
                assert proc.poll() is None, "the run ended before it could be killed"
                assert time.monotonic() < deadline
                time.sleep(0.02)  # polling the store, not a sleep-as-sync
            proc.kill()  # SIGKILL: no cleanup at all
        finally:
            proc.wait(30)
        assert proc.returncode == -9
        persisted = answered_rows(db)
        assert n // 2 <= persisted < n
        assert not out.exists()

        rerun = run(cmd, data_dir)
        assert rerun.returncode == 0, rerun.stderr
        assert "Reanudando la consulta masiva n.º 1" in rerun.stderr and "Consulta terminada" in rerun.stdout
        stats = fetch_stats(base_url)
    assert answered_rows(db) == n and out.exists()
    assert set(stats.answered) == set(numbers)
    # Paid twice at most: the answers received but not yet on disk (the write-behind keeps them ≤ C) and the
    # requests in flight at the kill that the server answered anyway (≤ C).
    assert stats.answered_total <= n + 2 * CONCURRENCY


@pytest.mark.slow
def test_bad_token_stops_fast_exit_3_then_good_token_resumes_and_a_rerun_costs_nothing(tmp_path):
    numbers = rucs(150, start=6_000_000)
    source = write_input(tmp_path / "lista.xlsx", numbers)
    out = tmp_path / "resultado.xlsx"
    data_dir = tmp_path / "data"
    with server_process(latency=0.01) as (_proc, base_url):
        common = ("bulk", str(source), "-o", str(out), "--base-url", base_url, "--concurrencia", "4")
        bad = run(migo(*common, "--token", "token-equivocado-123", data_dir=data_dir), data_dir)
        assert bad.returncode == 3, bad.stderr
        assert "token" in bad.stderr.lower() and "migo resume 1" in bad.stdout
        assert "token-equivocado-123" not in bad.stderr + bad.stdout
        assert fetch_stats(base_url).requests <= 4
        assert out.exists()  # the partial file is written (every row PENDIENTE)

        good = run(migo(*common, "--token", DEMO_TOKEN, data_dir=data_dir), data_dir)
        assert good.returncode == 0, good.stderr
        assert "Reanudando la consulta masiva n.º 1" in good.stderr
        after_good = fetch_stats(base_url)
        assert after_good.answered_total == 150 and not after_good.answered_more_than_once()

        again = run(migo(*common, "--token", DEMO_TOKEN, data_dir=data_dir), data_dir)
        assert again.returncode == 0, again.stderr
        assert "Consultas a la API: 0" in again.stdout
        assert fetch_stats(base_url).requests == after_good.requests  # zero API calls
    db = data_dir / "data" / "migo.sqlite3"
    conn = sqlite3.connect(db)
    try:
        assert b"token-equivocado-123" not in db.read_bytes()
        assert conn.execute("SELECT state FROM jobs ORDER BY id").fetchall() == [
            ("completed",),
            ("completed",),
        ]
    finally:
        conn.close()


@pytest.mark.slow
def test_ctrl_c_drains_saves_state_writes_a_partial_file_and_exits_130(tmp_path):
    """Ctrl-C stores the answers already on their way (none is paid twice), writes the partial file, exits
    130; `migo resume` then finishes into the same file, paying each number once in all."""
    n = 600
    numbers = rucs(n, start=8_000_000)
    source = write_input(tmp_path / "lista.xlsx", numbers)
    out = tmp_path / "parcial.csv"
    data_dir = tmp_path / "data"
    db = data_dir / "data" / "migo.sqlite3"
    with server_process(latency=0.05) as (_proc, base_url):
        cmd = migo("bulk", str(source), "-o", str(out), "--base-url", base_url, "--token", DEMO_TOKEN,
                   "--concurrencia", "4", data_dir=data_dir)  # fmt: skip
        proc = subprocess.Popen(cmd, env=env_for(data_dir), cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while answered_rows(db) < n // 4:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.02)
            proc.send_signal(signal.SIGINT)
            stdout, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        stats = fetch_stats(base_url)
        assert proc.returncode == 130, err
        assert "Interrumpido" in err and "parcial" in err.lower()
        assert "interrumpida" in stdout and "migo resume 1" in stdout  # the summary is the result: stdout
        text = out.read_text(encoding="utf-8-sig")
        assert "PENDIENTE" in text and "OK" in text
        conn = sqlite3.connect(db)
        try:
            state, message, output = conn.execute(
                "SELECT state, last_message, output_path FROM jobs"
            ).fetchone()
            pending = conn.execute("SELECT COUNT(*) FROM job_rows WHERE state='pending'").fetchone()[0]
        finally:
            conn.close()
        assert state == "paused" and "interrumpida" in message and 0 < pending < n
        assert output == str(out)
        # drained: every request the server received was answered and stored
        assert stats.requests == stats.answered_total == n - pending

        out.unlink()
        resumed = run(migo("resume", "1", "--base-url", base_url, "--token", DEMO_TOKEN, data_dir=data_dir),
                      data_dir)  # fmt: skip
        assert resumed.returncode == 0, resumed.stderr
        assert f"Archivo guardado: {out}" in resumed.stdout and out.exists()  # the job's own file
        stats = fetch_stats(base_url)
    assert set(stats.answered) == set(numbers) and stats.answered_total == n  # each number paid once
