"""Where exports land: never over the source file, always via a temp file renamed into place, with clear
Spanish messages for a locked (open in Excel) or read-only target, and cancellable progress."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from ..core.errors import MigoError

__all__ = ["ExportCancelled", "ExportError", "Progress", "Ticker", "atomic_file", "check_target", "file_mode"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]


class ExportError(MigoError):
    default_message = "No se pudo guardar el archivo de resultados."


class ExportCancelled(ExportError):
    default_message = "Se canceló la exportación; no se guardó ningún archivo."


def check_target(path: Path, source_path: str | Path | None) -> Path:
    path = Path(path)
    if source_path is not None:
        src = Path(source_path)
        same = path.resolve() == src.resolve()
        if not same and path.exists() and src.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(path, src)
        if same:
            raise ExportError(
                "No se pueden guardar los resultados sobre el archivo de origen. "
                "Elige otro nombre de archivo.",
                detail="target is the source file",
            )
    if path.is_dir():
        raise ExportError(f"«{path}» es una carpeta. Escribe un nombre de archivo.", detail="target is a dir")
    return path


def _locked(path: Path, exc: OSError) -> ExportError:
    log.warning("export to %s failed: %r", path, exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExportError(
            f"No se pudo guardar «{path.name}»: el disco está lleno (disco lleno en «{path.parent}»). "
            "Libera espacio o elige otra ubicación y vuelve a exportar; los resultados ya consultados "
            "siguen guardados.",
            detail=f"{type(exc).__name__}: {exc}",
        )
    return ExportError(
        f"No se pudo guardar «{path.name}»: el archivo está abierto en otro programa (¿Excel?) o la carpeta "
        "no permite escribir. Ciérralo o elige otra ubicación y vuelve a intentarlo.",
        detail=f"{type(exc).__name__}: {exc}",
    )


def _umask() -> int:
    """The process umask, read without changing it where the OS allows (os.umask is process-wide)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode(path: Path) -> int:
    """The permissions a new file at ``path`` should get: the old file's when replacing one, else 0666 minus
    the umask (0644 typically) — not mkstemp's 0600, which shared folders cannot read."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A temp file beside ``path`` with ordinary permissions; renamed over it only if the block succeeds."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError as exc:
        raise ExportError(
            f"La carpeta «{path.parent}» no existe. Elige otra ubicación.", detail=str(exc)
        ) from exc
    except OSError as exc:
        raise _locked(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        if os.name != "nt":  # Windows has no such permission bits
            os.chmod(tmp, file_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _locked(path, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Ticker:
    def __init__(self, progress: Progress | None, cancel: threading.Event | None, total: int | None) -> None:
        self.progress, self.cancel, self.total = progress, cancel, total

    def tick(self, done: int) -> None:
        if done % 1000 == 0:
            if self.cancel is not None and self.cancel.is_set():
                raise ExportCancelled()
            if self.progress is not None and done % 5000 == 0:
                self.progress(done, self.total)
