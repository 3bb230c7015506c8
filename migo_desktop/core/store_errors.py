"""What a SQLite failure means for the user: disk full, read-only folder, damaged file — in Spanish.

``sqlite3`` errors carry ``sqlite_errorcode``; ``translate`` turns the ones a user can act on into a
``StoreError`` (a ``MigoError``) that says what happened and what to do, keeping the original as detail.
A failed ROLLBACK after a failed write must never replace the real error (it used to turn «disco lleno»
into «Error inesperado»): ``StoreBase._tx`` swallows the rollback's own error and raises this one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .errors import MigoError

__all__ = ["StoreCorrupt", "StoreError", "StoreFull", "StoreReadOnly", "translate"]

SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = (
    8,
    10,
    11,
    13,
    14,
    26,
)


class StoreError(MigoError):
    default_message = (
        "No se pudo usar la base de datos local. Vuelve a intentarlo en un momento; si el problema sigue, "
        "revisa el registro (carpeta de datos de Migo Desktop, «logs»)."
    )


class StoreFull(StoreError):
    pass


class StoreReadOnly(StoreError):
    pass


class StoreCorrupt(StoreError):
    pass


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF  # extended codes keep the primary in 8 bits


def translate(exc: sqlite3.Error, path: Path) -> StoreError | None:
    """The user-facing error for ``exc`` on the database at ``path``, or None if it is not one of ours."""
    code, text = _code(exc), str(exc).lower()
    detail = f"sqlite: {exc} (code {getattr(exc, 'sqlite_errorcode', '?')})"
    if code == SQLITE_FULL or "disk is full" in text:
        return StoreFull(
            f"Disco lleno: no hay espacio para guardar en la base de datos local («{path.parent}»). "
            "Libera espacio en el disco y vuelve a lanzar la consulta masiva: lo ya consultado está "
            "guardado y no se volverá a pagar.",
            detail=detail,
        )
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN) or "readonly" in text or "unable to open" in text:
        return StoreReadOnly(
            f"No se puede escribir en la carpeta de datos «{path.parent}» (es de solo lectura o no tienes "
            "permiso). Dale permiso de escritura o define la variable MIGO_DATA_DIR con otra carpeta.",
            detail=detail,
        )
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return StoreCorrupt(
            f"La base de datos local «{path.name}» está dañada.",
            detail=detail,
        )
    if code == SQLITE_IOERR:
        return StoreError(
            f"Error de lectura/escritura del disco en la base de datos local («{path.parent}»). Revisa el "
            "disco (¿lleno, desconectado, una memoria USB retirada?) y vuelve a intentarlo.",
            detail=detail,
        )
    return None
