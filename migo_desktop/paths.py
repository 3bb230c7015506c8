"""Where things live. ``MIGO_DATA_DIR`` puts config, data, cache and logs under one folder."""

from __future__ import annotations

import errno
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

from . import APP_SLUG

__all__ = ["RESOURCE_DIR", "AppPaths", "app_paths", "folder_problem"]

log = logging.getLogger(__name__)

#: Package data shipped with the app (icons, translations, the example workbook); frozen bundles keep it.
RESOURCE_DIR = Path(__file__).resolve().parent / "resources"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "migo.sqlite3"

    @property
    def settings_file(self) -> Path:
        # distinct file name: on Windows config and data share a folder (DESIGN.md §5)
        return self.config_dir / "preferencias.ini"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "migo-desktop.log"

    @property
    def crash_file(self) -> Path:
        return self.log_dir / "fallos-graves.log"

    def ensure(self) -> AppPaths:
        """Create the folders that can be created. A read-only one is not fatal here: the store and the log
        set-up each diagnose their own folder in Spanish (``StoreReadOnly``, ``logs.logging_problem``)."""
        for d in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            try:
                d.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                log.info("cannot create %s: %s", d, exc.strerror)  # before logging is set up: not WARNING
        return self


def folder_problem(exc: OSError) -> str:
    """Why a folder cannot be used, in Spanish (the OS's own text is English on many systems)."""
    reasons = {
        errno.EACCES: "no tienes permiso de escritura",
        errno.EPERM: "no tienes permiso de escritura",
        errno.EROFS: "está en un disco de solo lectura",
        errno.ENOSPC: "el disco está lleno",
        errno.EEXIST: "hay un archivo con ese nombre en lugar de una carpeta",
        errno.ENOTDIR: "parte de la ruta es un archivo, no una carpeta",
    }
    return reasons.get(exc.errno or 0, "el sistema no permite usarla")


def app_paths(environ: dict[str, str] | None = None) -> AppPaths:
    env = os.environ if environ is None else environ
    override = env.get("MIGO_DATA_DIR")
    if override:
        root = Path(override).expanduser().resolve()
        return AppPaths(root / "config", root / "data", root / "cache", root / "logs")
    dirs = PlatformDirs(APP_SLUG, appauthor=False)
    return AppPaths(
        Path(dirs.user_config_dir),
        Path(dirs.user_data_dir),
        Path(dirs.user_cache_dir),
        Path(dirs.user_log_dir),
    )
