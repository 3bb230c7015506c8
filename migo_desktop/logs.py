"""One logging set-up at the edge: rotating file, token redaction, faulthandler for hard crashes."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import re
import sys
from pathlib import Path
from typing import IO

from .paths import folder_problem

__all__ = ["RedactingFilter", "logging_problem", "register_secret", "setup_logging", "redact"]

_SECRETS: set[str] = set()
_TOKEN_FIELD = re.compile(r'("?(?:token|authorization)"?\s*[:=]\s*"?)(?:Bearer\s+)?[^",\s}]+', re.IGNORECASE)
_crash_stream: IO[str] | None = None
_problem: str | None = None


def logging_problem() -> str | None:
    """Spanish diagnosis when the log folder could not be written (the app goes on without a log file)."""
    return _problem


def register_secret(secret: str | None) -> None:
    """Remember a value (the API token) that must never appear in a log line."""
    if secret and len(secret) >= 4:
        _SECRETS.add(secret)


def redact(text: str) -> str:
    for secret in _SECRETS:
        if secret in text:
            text = text.replace(secret, "***")
    return _TOKEN_FIELD.sub(r"\1***", text)


class RedactingFilter(logging.Filter):
    """Masks registered secrets and any ``token=…``/``"token": "…"``/``Authorization: Bearer …``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


def setup_logging(log_dir: Path, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Configure the root logger once. Returns the log file path.

    A log folder that cannot be written is not fatal: ``logging_problem()`` then says so in Spanish, and a
    redacting null handler stands in for the file — without any handler, Python's last-resort handler would
    print records (tracebacks included, unredacted) to stderr. Logging's own errors are never printed.
    """
    global _problem
    log_file = log_dir / "migo-desktop.log"
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_migo", False):
            root.removeHandler(handler)
            handler.close()
    logging.raiseExceptions = False  # a failing write must not dump a traceback (and the record) to stderr
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = []
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
            )
        )
        _problem = None
    except OSError as exc:
        handlers.append(logging.NullHandler())
        _problem = (
            f"No se puede escribir en la carpeta de registros «{log_dir}» ({folder_problem(exc)}). La "
            "aplicación funciona, pero no guardará el registro de errores. Dale permiso de escritura a esa "
            "carpeta o define la variable MIGO_DATA_DIR con otra carpeta."
        )
    if console and sys.stderr is not None:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler._migo = True  # type: ignore[attr-defined]
        handler.setFormatter(fmt)
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO; keep it at WARNING (the token is never in a URL anyway).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    if _problem is None:
        _enable_faulthandler(log_dir / "fallos-graves.log")
    return log_file


def _enable_faulthandler(path: Path) -> None:
    global _crash_stream
    if _crash_stream is not None:
        return
    try:
        _crash_stream = open(path, "a", encoding="utf-8")  # noqa: SIM115 - must outlive this function
        faulthandler.enable(_crash_stream)
    except OSError:
        logging.getLogger(__name__).warning("No se pudo activar faulthandler en %s", path)
