"""Hostile-file checks that run before any parser sees the bytes (DESIGN.md §5).

We look at what the file *is* (magic bytes, not the extension), its size, and the zip's central directory
(member count, total uncompressed size); every member is streamed through the bounded decompressor once,
which verifies its CRC, so a lying central directory is caught as a corrupt file. What the sheets hold is
judged later, by a real XML parser (``sheet_scan``) or inside a memory-capped child (``isolated``): see
``sources.open_source``.
"""

from __future__ import annotations

import enum
import logging
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError

__all__ = ["FileKind", "Limits", "check_file", "column_index", "refuse_extent", "sniff", "zip_kind"]

log = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_NAMES = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_XLS_NAMES = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))


class FileKind(enum.StrEnum):
    XLSX = "xlsx"  # also .xlsm (OOXML zip)
    XLS = "xls"  # BIFF inside an OLE container
    ODS = "ods"
    TEXT = "text"  # csv / txt


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds for one import (docs/benchmarks.md, «Archivos hostiles», says how they were chosen).

    Sheet limits judge *valued* cells (what calamine allocates: the grid from the first to the last valued
    cell), never ``<dimension>``: a real 700,001 × 1 column passes. ``max_rows`` counts data rows (the
    reader), ``max_sheet_rows``/``max_columns`` are Excel's own grid, ``max_cells`` the grid calamine may
    build (×32 bytes each: 512 MB). A workbook is parsed in-process only when its package is at most
    ``inprocess_bytes`` uncompressed and every sheet's grid at most ``inprocess_cells``; otherwise in a
    child capped at ``child_memory_bytes`` that is killed after ``child_timeout`` seconds per step.
    Text: a line longer than ``max_line_bytes`` or wider than ``max_columns`` fields is refused early.
    """

    max_file_bytes: int = 256 * 1024 * 1024
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_members: int = 10_000
    max_cells: int = 16_000_000
    max_columns: int = 16_384
    max_rows: int = 1_048_576
    max_sheet_rows: int = 1_048_576
    max_line_bytes: int = 4 * 1024 * 1024
    inprocess_bytes: int = 16 * 1024 * 1024
    inprocess_cells: int = 2_000_000
    child_memory_bytes: int = 768 * 1024 * 1024
    child_timeout: float = 90.0


def _fail(message: str, detail: str) -> InputError:
    log.warning("import refused: %s", detail)
    return InputError(message, detail=detail)


def column_index(letters: str) -> int:
    """'A' -> 1, 'AD' -> 30 (1-based, as in a cell reference)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls <= len(head) // 100


def sniff(path: Path, head: bytes, ext: str) -> FileKind:
    """What the file really is. Raises InputError for encrypted, HTML, empty or unknown content."""
    name = path.name
    if not head:
        raise _fail(f"El archivo «{name}» está vacío (0 bytes). Elige otro archivo.", "empty file")
    if head.startswith(ZIP_MAGIC):
        return FileKind.ODS if ext == ".ods" else FileKind.XLSX
    if head.startswith(OLE_MAGIC):
        return FileKind.XLS  # encryption is checked on the whole file in check_file
    if head.startswith(b"PK"):
        raise _fail(
            f"«{name}» parece un archivo comprimido dañado o incompleto. "
            "Vuelve a descargarlo o ábrelo en Excel y guárdalo otra vez.",
            "zip-like magic without a local header",
        )
    lowered = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) and ext not in (".csv", ".txt"):
        raise _fail(
            f"«{name}» no es un libro de Excel sino una página web (HTML/XML) con extensión {ext}. "
            "Ábrelo en Excel y usa «Guardar como» → Libro de Excel (.xlsx), luego impórtalo.",
            "html/xml content with a spreadsheet extension",
        )
    if _looks_like_text(head):
        if ext in (".csv", ".txt", ".tsv", ""):
            return FileKind.TEXT
        raise _fail(
            f"«{name}» tiene extensión {ext} pero es un archivo de texto, no un libro de Excel. "
            "Si es una lista o un CSV, cámbiale la extensión a .csv o .txt y vuelve a importarlo.",
            "text content with a spreadsheet extension",
        )
    raise _fail(
        f"No se reconoce el formato de «{name}». Usa un archivo .xlsx, .xlsm, .xls, .ods, .csv o .txt.",
        f"unknown magic {head[:8].hex()}",
    )


def _check_ole(path: Path, data: bytes) -> None:
    if any(n in data for n in _ENCRYPTED_NAMES):
        raise _fail(
            f"«{path.name}» está protegido con contraseña. Ábrelo en Excel, quita la contraseña "
            "(Archivo → Información → Proteger libro → Cifrar con contraseña, déjala en blanco), "
            "guárdalo y vuelve a importarlo.",
            "OLE container with EncryptionInfo/EncryptedPackage streams",
        )
    if not any(n in data for n in _XLS_NAMES):
        raise _fail(
            f"«{path.name}» es un documento de Office antiguo pero no un libro de Excel. "
            "Ábrelo en Excel y guárdalo como .xlsx.",
            "OLE container without a Workbook stream",
        )


_CHUNK = 4 * 1024 * 1024


def refuse_extent(name: str, rows: int, cols: int, grid: int, limits: Limits) -> None:
    """Refuse a sheet whose valued cells reach past Excel's grid or span more than ``limits.max_cells``."""
    if rows > limits.max_sheet_rows or cols > limits.max_columns or grid > limits.max_cells:
        raise _fail(
            f"Una hoja de «{name}» tiene celdas en posiciones desmedidas (hasta la fila {rows:,} y la "
            f"columna {cols:,}). Puede ser un archivo dañado o malicioso. Copia solo los datos a un libro "
            "nuevo, guárdalo y vuelve a importarlo.",
            f"sheet extent up to row {rows} col {cols}, grid {grid} cells",
        )


def zip_kind(names: set[str]) -> FileKind | None:
    """XLSX or ODS by the package's member names (by content: a wrong extension is common), else None."""
    if "[Content_Types].xml" in names:
        return FileKind.XLSX
    if "content.xml" in names and "mimetype" in names:
        return FileKind.ODS
    return None


def _check_zip(path: Path, limits: Limits) -> FileKind:
    """Check a zip container; returns what it holds (by content: a wrong extension is common)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_members:
                raise _fail(
                    f"«{path.name}» contiene demasiadas partes internas ({len(infos):,}); no parece un libro "
                    "de Excel normal. Guárdalo de nuevo desde Excel.",
                    f"{len(infos)} zip members",
                )
            total = sum(i.file_size for i in infos)
            if total > limits.max_uncompressed_bytes:
                raise _fail(
                    f"«{path.name}» se expande a {total / 2**20:,.0f} MB al descomprimirse: es demasiado "
                    "grande o es un archivo malicioso («bomba zip»). "
                    "Divide los datos en archivos más pequeños.",
                    f"uncompressed total {total}",
                )
            names = {i.filename for i in infos}
            found = zip_kind(names)
            if found is None:
                raise _fail(
                    f"«{path.name}» es un archivo comprimido (.zip) pero no un libro de Excel. "
                    "Extrae su contenido o elige el archivo correcto.",
                    "zip without [Content_Types].xml or an OpenDocument mimetype",
                )
            kind = found
            if kind is FileKind.XLSX and not any(n.startswith("xl/") for n in names):
                raise _fail(
                    f"«{path.name}» no es un libro de Excel (parece un documento de Word u otro formato). "
                    "Elige el archivo de Excel correcto.",
                    "OOXML package without xl/",
                )
            log.debug("zip container holds %s", kind.value)
            for info in infos:
                with zf.open(info) as stream:  # CRC and size check of every part
                    while stream.read(_CHUNK):
                        pass
            return kind
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise _fail(
            f"«{path.name}» está dañado o incompleto (no se puede descomprimir). "
            "Vuelve a descargarlo o ábrelo en Excel y guárdalo otra vez.",
            f"zip error: {exc!r}",
        ) from exc


def check_file(path: Path, limits: Limits) -> FileKind:
    """Identify ``path`` and refuse it with a Spanish message if it is hostile, broken or too big."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8192)
    except FileNotFoundError as exc:
        raise _fail(f"No se encontró el archivo «{path}».", "missing") from exc
    except IsADirectoryError as exc:
        raise _fail(f"«{path}» es una carpeta; elige un archivo.", "directory") from exc
    except OSError as exc:
        raise _fail(
            f"No se pudo abrir «{path.name}». Si está abierto en otro programa, ciérralo y reintenta.",
            f"open failed: {exc!r}",
        ) from exc
    if size > limits.max_file_bytes:
        raise _fail(
            f"«{path.name}» pesa {size / 2**20:,.0f} MB; el máximo es "
            f"{limits.max_file_bytes / 2**20:,.0f} MB. Divide los datos en archivos más pequeños.",
            f"file size {size}",
        )
    kind = sniff(path, head, path.suffix.lower())
    if kind is FileKind.XLS:
        _check_ole(path, path.read_bytes())
    elif kind in (FileKind.XLSX, FileKind.ODS):
        kind = _check_zip(path, limits)
    return kind
