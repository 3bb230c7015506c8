"""One job, one process: an OS lock per job that the kernel releases when its holder dies.

Two ``migo bulk`` of the same file at once paid 2,739 of 3,000 RUCs twice: both read the same pending rows.
``JobLocks.acquire(job_id)`` takes an exclusive, non-blocking lock on ``<database>.locks/job-<id>.lock``
(``fcntl.flock`` on POSIX, ``msvcrt.locking`` on byte 0 on Windows) and writes who holds it (pid, program,
since) after that byte; a second process — CLI or GUI — gets ``JobBusy`` naming the holder, before it pays
for anything. A crash or ``kill -9`` closes the descriptor, so the lock never outlives its process.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import zlib
from pathlib import Path
from typing import IO

from .errors import ConfigError

__all__ = ["JobBusy", "JobLocks", "LookupClaims", "program_name"]

log = logging.getLogger(__name__)

_INFO_OFFSET = 16  # holder info lives after the locked byte (Windows locks forbid reading locked bytes)


class JobBusy(ConfigError):
    default_message = "Esta consulta masiva ya está en curso en otro programa."


def program_name() -> str:
    argv0 = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if "migo-desktop" in argv0 or argv0 == "__main__.py":
        return "Migo Desktop"
    if argv0.startswith("migo"):
        return "migo (línea de comandos)"
    return argv0 or "Python"


def _try_lock(fh: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(0)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class JobLocks:
    """The job locks of one store (one process). ``acquire`` is idempotent; ``release``/``close`` free."""

    def __init__(self, database: Path | None) -> None:
        """``database=None`` (an in-memory store): nothing to share with other processes, no locks."""
        self._dir = database.with_name(database.name + ".locks") if database is not None else None
        self._held: dict[int, IO[bytes]] = {}

    def path(self, job_id: int) -> Path | None:
        return self._dir / f"job-{int(job_id)}.lock" if self._dir is not None else None

    def acquire(self, job_id: int) -> None:
        path = self.path(job_id)
        if job_id in self._held or path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
        fh = path.open("r+b")  # not append mode: the holder info is written at a fixed offset
        if not _try_lock(fh):
            holder = self.holder(job_id, fh)
            fh.close()
            raise JobBusy(_busy_message(job_id, holder), detail=f"job {job_id} lock held: {holder}")
        info = {"pid": os.getpid(), "program": program_name(), "since": time.time()}
        fh.seek(_INFO_OFFSET)
        fh.truncate()
        fh.write(json.dumps(info).encode())
        fh.flush()
        self._held[job_id] = fh
        log.info("job %s locked by this process (%s)", job_id, path.name)

    @staticmethod
    def holder(job_id: int, fh: IO[bytes]) -> dict[str, object]:
        try:
            fh.seek(_INFO_OFFSET)
            data = json.loads(fh.read(4096) or b"{}")
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def release(self, job_id: int) -> None:
        fh = self._held.pop(job_id, None)
        if fh is not None:
            fh.close()  # closing the descriptor drops the lock

    def close(self) -> None:
        for job_id in list(self._held):
            self.release(job_id)


def _busy_message(job_id: int, holder: dict[str, object]) -> str:
    who = str(holder.get("program") or "otro programa")
    pid = holder.get("pid")
    since = holder.get("since")
    when = ""
    if isinstance(since, (int, float)):
        when = time.strftime(", desde las %H:%M", time.localtime(since))
    pid_text = f" (proceso {pid}{when})" if pid else ""
    return (
        f"La consulta masiva n.º {job_id} ya está en curso en {who}{pid_text}. Espera a que termine o "
        "detenla allí; luego vuelve a lanzarla y seguirá donde quedó sin pagar de nuevo lo ya consultado."
    )


class LookupClaims:
    """Numbers being paid for right now, shared by every process on the same database.

    Two jobs on different files that share a RUC must not both pay for it. Before a request the engine
    claims the number: an exclusive byte-range lock on one byte of ``<database>.locks/consultas.lock``
    (offset = CRC32 of kind:number modulo ``SLOTS``). If another process holds it, the engine defers the row
    and, when it comes back to it, finds the answer in the shared cache. The store drops the claim right after
    the answer is committed (``record_answers``/``mark_row``), so the cache is always written first; a crash
    drops every claim of the process. A hash collision only defers a row a little; it never pays twice.
    Within one process claims never conflict (POSIX record locks are per process): one job dedupes itself.
    """

    SLOTS = 1 << 20

    def __init__(self, database: Path | None) -> None:
        self._path = database.with_name(database.name + ".locks") / "consultas.lock" if database else None
        self._fh: IO[bytes] | None = None
        self._held: set[int] = set()

    def _slot(self, kind: str, number: str) -> int:
        return zlib.crc32(f"{kind}:{number}".encode()) % self.SLOTS

    def _file(self) -> IO[bytes] | None:
        if self._fh is None and self._path is not None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._path.touch(exist_ok=True)
            self._fh = self._path.open("r+b")  # kept open: closing any descriptor drops all our locks
        return self._fh

    def claim(self, kind: str, number: str) -> bool:
        fh = self._file()
        slot = self._slot(kind, number)
        if fh is None or slot in self._held:
            return True
        if not _lock_byte(fh, slot, True):
            return False
        self._held.add(slot)
        return True

    def release(self, kind: str, number: str) -> None:
        slot = self._slot(kind, number)
        if self._fh is not None and slot in self._held:
            self._held.discard(slot)
            _lock_byte(self._fh, slot, False)

    def close(self) -> None:
        self._held.clear()
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _lock_byte(fh: IO[bytes], offset: int, lock: bool) -> bool:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(offset)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK if lock else msvcrt.LK_UNLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.lockf(fh.fileno(), (fcntl.LOCK_EX | fcntl.LOCK_NB) if lock else fcntl.LOCK_UN, 1, offset)
    except OSError:
        return False
    return True
