"""Hostile-file checks that run before any parser sees the bytes (DESIGN.md §5).

python-calamine materialises a sheet's whole cell range: one cell at AD1048576 in a 5 KB file costs ~1 GB.
So before parsing we look at what the file *is* (magic bytes, not the extension), its size, the zip's
central directory (member count, total uncompressed size), and, for every worksheet, the declared
``<dimension>`` and the real extent of the cell references, streamed through a bounded-size decompressor
(which also verifies each member's CRC, so a lying central directory is caught as a corrupt file).
"""

from __future__ import annotations

import enum
import logging
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..core.errors import InputError

__all__ = ["FileKind", "Limits", "check_file", "column_index", "sniff"]

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
    """Bounds for one import. The defaults let a full Excel sheet of ~14 columns through."""

    max_file_bytes: int = 256 * 1024 * 1024
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_members: int = 10_000
    max_cells: int = 16_000_000
    max_columns: int = 2_000
    max_rows: int = 1_048_576


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


_DIMENSION = re.compile(rb"<dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")
# One pass finds the references that matter: columns AA and beyond, and rows 100,000 and beyond. A sheet
# with neither is under 100k × 26 cells; only a wide sheet without big rows needs the exact row scan.
_BIG_REF = re.compile(rb' r="(?:([A-Z]{2,3})(\d+)|[A-Z]?(\d{6,7}))"')  # also <row r="…"> (cells without r)
_CELL_ROW = re.compile(rb' r="[A-Z]{1,3}(\d+)"')
_SMALL_ROWS = 99_999
_CHUNK = 4 * 1024 * 1024


def _absurd(name: str, rows: int, cols: int, limits: Limits) -> InputError | None:
    if rows * cols > limits.max_cells or cols > limits.max_columns:
        return _fail(
            f"La hoja de «{name}» declara un tamaño desmedido ({rows:,} filas × {cols:,} columnas). "
            "Puede ser un archivo dañado o malicioso. Copia solo los datos a un libro nuevo, guárdalo "
            "y vuelve a importarlo.",
            f"sheet extent {rows}x{cols} over limits",
        )
    return None


def _scan_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: Limits) -> None:
    """Stream one worksheet: check <dimension> and the real extent of the cell references."""
    max_row = max_col = 0
    tail = b""
    first = True
    with zf.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            buf = tail + chunk
            if first:
                first = False
                m = _DIMENSION.search(buf[:65536])
                if m and m.group(3):
                    rows, cols = int(m.group(4)), column_index(m.group(3).decode())
                    if err := _absurd(path.name, rows, cols, limits):
                        raise err
            for letters, row, big_row in _BIG_REF.findall(buf):
                if letters:
                    max_col = max(max_col, column_index(letters.decode()))
                    max_row = max(max_row, int(row))
                else:
                    max_row = max(max_row, int(big_row))
            cut = buf.rfind(b"<")
            tail = buf[cut:] if cut >= 0 and len(buf) - cut < 256 else b""
    max_col = max(max_col, 26)
    if max_row < _SMALL_ROWS:
        if _SMALL_ROWS * max_col <= limits.max_cells:
            return
        max_row = _exact_max_row(zf, info)
    if err := _absurd(path.name, max_row, max_col, limits):
        raise err


def _exact_max_row(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    max_row, tail = 0, b""
    with zf.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            buf = tail + chunk
            found = _CELL_ROW.findall(buf)
            if found:
                max_row = max(max_row, max(map(int, found)))
            cut = buf.rfind(b"<")
            tail = buf[cut:] if cut >= 0 and len(buf) - cut < 256 else b""
    return max_row


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"


def _scan_ods(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: Limits) -> None:
    """ODS repeats rows and cells by attribute: 1 KB can declare 200k × 100 filled cells (calamine: 2.4 GB).

    Stream content.xml and compute each table's extent up to its last non-empty cell, repeats included.
    """
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    row_tag, cell_tags = (
        _ODS_TABLE + "table-row",
        (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell"),
    )
    rows_rep = _ODS_TABLE + "number-rows-repeated"
    cols_rep = _ODS_TABLE + "number-columns-repeated"
    row_pos = col_pos = last_col = max_row = max_col = repeat = 0
    with zf.open(info) as stream:
        while chunk := stream.read(1 << 20):
            parser.feed(chunk)
            for event, elem in parser.read_events():
                tag = elem.tag
                if event == "start":
                    if tag == _ODS_TABLE + "table":
                        row_pos = max_row = max_col = 0
                    elif tag == row_tag:
                        repeat = int(elem.get(rows_rep, "1") or 1)
                        col_pos = last_col = 0
                    continue
                if tag in cell_tags:
                    n = int(elem.get(cols_rep, "1") or 1)
                    if elem.get(_ODS_VALUE_TYPE) or len(elem):
                        last_col = col_pos + n
                    col_pos += n
                    elem.clear()
                elif tag == row_tag:
                    if last_col:
                        max_row, max_col = row_pos + repeat, max(max_col, last_col)
                        if err := _absurd(path.name, max_row, max_col, limits):
                            raise err
                    row_pos += repeat
                    elem.clear()
    parser.close()


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
            if "[Content_Types].xml" in names:
                kind = FileKind.XLSX
            elif "content.xml" in names and "mimetype" in names:
                kind = FileKind.ODS
            else:
                raise _fail(
                    f"«{path.name}» es un archivo comprimido (.zip) pero no un libro de Excel. "
                    "Extrae su contenido o elige el archivo correcto.",
                    "zip without [Content_Types].xml or an OpenDocument mimetype",
                )
            if kind is FileKind.XLSX and not any(n.startswith("xl/") for n in names):
                raise _fail(
                    f"«{path.name}» no es un libro de Excel (parece un documento de Word u otro formato). "
                    "Elige el archivo de Excel correcto.",
                    "OOXML package without xl/",
                )
            log.debug("zip container holds %s", kind.value)
            for info in infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    _scan_sheet(zf, info, path, limits)
                elif kind is FileKind.ODS and info.filename == "content.xml":
                    _scan_ods(zf, info, path, limits)
                else:
                    with zf.open(info) as stream:  # CRC and size check of every other part
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
        ElementTree.ParseError,
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
