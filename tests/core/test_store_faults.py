"""Issue 9, «Local faults», at the store: a damaged database or cache entry, a read-only folder, a full disk,
a killed run's call counter, and the per-job OS lock. Real files; the full-disk and read-only cases mount a
tiny tmpfs (root only; skipped with the reason elsewhere)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from migo_desktop.core.jobs import plan_from_values
from migo_desktop.core.models import IdKind, LookupResult, LookupStatus
from migo_desktop.core.store import JobState, Store
from migo_desktop.core.store_errors import StoreFull, StoreReadOnly
from migo_desktop.core.store_locks import JobBusy

R1, R2 = "20131312955", "20100170095"


def new_job(store: Store, numbers: list[str]) -> int:
    plan = plan_from_values(numbers, source=Path("lista.txt"))
    return store.create_job(plan, {"demo": True})


@contextlib.contextmanager
def tmpfs(where: Path, options: str) -> Iterator[Path]:
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("needs root on Linux to mount a tmpfs (CI runners without it skip this)")
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_damaged_database_is_set_aside_and_a_new_one_made(tmp_path: Path) -> None:
    db = tmp_path / "migo.sqlite3"
    db.write_bytes(b"esto no es una base de datos SQLite" * 200)
    store = Store(db)
    try:
        assert store.set_aside is not None and store.set_aside.exists()
        assert store.set_aside.read_bytes().startswith(b"esto no es")
        assert "dañada" in (store.notice or "") and store.set_aside.name in (store.notice or "")
        assert new_job(store, [R1]) == 1  # the new database works
    finally:
        store.close()
    reopened = Store(db)  # and is not set aside again
    assert reopened.set_aside is None and reopened.get_job(1) is not None
    reopened.close()


def test_damaged_cache_entry_is_dropped_not_fatal(tmp_path: Path) -> None:
    with Store(tmp_path / "m.sqlite3") as store:
        store.cache_put(LookupResult(IdKind.RUC, R1, LookupStatus.OK, None, ""))
        store._conn.execute("UPDATE cache SET payload='{roto', status='OK'")
        assert store.cache_get(IdKind.RUC, R1, ttl_found=1e9, ttl_not_found=1e9) is None
        assert store.cache_count() == 0  # dropped: the next run looks it up once and caches it again
        assert store.recent_lookups() == []


def test_killed_run_counts_calls_from_the_rows(tmp_path: Path) -> None:
    with Store(tmp_path / "m.sqlite3") as store:
        job = new_job(store, [R1, R2])
        store.update_job(job, state=JobState.RUNNING)
        answers = [
            (i, LookupResult(IdKind.RUC, n, LookupStatus.OK, None, "")) for i, n in enumerate([R1, R2])
        ]
        store.record_answers(job, answers)
        # kill -9 here: the engine never added its request counter to the job
        record = store.get_job(job)
        assert record is not None and record.api_calls == 2
        assert store.list_jobs()[0].api_calls == 2
        store.update_job(job, state=JobState.PAUSED, add_api_calls=0)
        assert store.get_job(job).api_calls == 2  # the counter itself is repaired on the next update


def test_one_process_per_job_names_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    with Store(db) as store:
        job = new_job(store, [R1])
        store.lock_job(job)
        holder = subprocess.run(
            [sys.executable, "-c", "import sys; from migo_desktop.core.store import Store;"
             "s = Store(sys.argv[1]); s.lock_job(int(sys.argv[2]))", str(db), str(job)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert holder.returncode != 0
        assert f"La consulta masiva n.º {job} ya está en curso" in holder.stderr
        assert f"(proceso {os.getpid()}" in holder.stderr
        store.unlock_job(job)
        freed = subprocess.run(
            [sys.executable, "-c", "import sys; from migo_desktop.core.store import Store;"
             "s = Store(sys.argv[1]); s.lock_job(int(sys.argv[2]))", str(db), str(job)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert freed.returncode == 0, freed.stderr
        with Store(db) as other:  # a second open file description in this process is refused too
            store.lock_job(job)
            with pytest.raises(JobBusy):
                other.lock_job(job)


def test_read_only_data_folder_gets_its_own_diagnosis(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        folder = tmp_path / "datos"
        folder.mkdir()
        folder.chmod(0o555)
    else:
        folder = tmp_path / "datos"
        with tmpfs(folder, "ro,size=64k"):
            with pytest.raises(StoreReadOnly) as info:
                Store(folder / "migo.sqlite3")
            message = info.value.user_message
            assert "solo lectura" in message and "MIGO_DATA_DIR" in message and "dañada" not in message
        return
    with pytest.raises(StoreReadOnly):
        Store(folder / "migo.sqlite3")


def test_full_disk_says_disco_lleno_and_keeps_what_was_paid(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "lleno", f"size=2m,mode=0700,uid={os.getuid()}") as where:
        store = Store(where / "migo.sqlite3")
        job = new_job(store, [R1, R2])
        store.record_answers(job, [(0, LookupResult(IdKind.RUC, R1, LookupStatus.OK, None, "ok"))])
        filler = where / f"relleno-{uuid.uuid4().hex}"
        with filler.open("wb") as fh, contextlib.suppress(OSError):
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        big = "x" * 200_000
        with pytest.raises(StoreFull) as info:
            for i in range(50):  # WAL pages are preallocated in part: write until the disk refuses
                store.record_answers(
                    job, [(1, LookupResult(IdKind.RUC, R2, LookupStatus.OK, None, big + str(i)))]
                )
        assert info.value.user_message.startswith("Disco lleno")
        filler.unlink()
        assert store.count_states(job)[LookupStatus.OK] >= 1  # the answer paid before is still there
        store.close()


def test_export_to_a_full_disk_says_disco_lleno_not_open_in_excel(tmp_path: Path) -> None:
    from migo_desktop.excel.output import ExportError, atomic_file

    with tmpfs(tmp_path / "lleno", "size=256k") as where:
        target = where / "resultados.xlsx"
        with pytest.raises(ExportError) as info, atomic_file(target) as fh:
            fh.write(b"\0" * 1_000_000)
        message = info.value.user_message
        assert "disco lleno" in message and "abierto" not in message
        assert not target.exists() and list(where.iterdir()) == []  # no half file, no temp left behind
