"""CSV and TXT: encoding detection and delimiter sniffing.

Encodings, in order: a BOM (UTF-8, UTF-16 — Excel's "Unicode text"), strict UTF-8, strict cp1252 (what
Spanish-locale Excel writes), and last cp1252 with replacement characters and a warning. Never latin-1: it
decodes anything and silently turns cp1252's curly quotes and dashes into control characters.
Delimiters: ``,`` ``;`` tab ``|`` — the one that splits the first lines most consistently into more than one
field; none of them means one value per line (a .txt list of RUCs).
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputError

__all__ = ["DELIMITERS", "TextTable", "decode_bytes", "read_text_table", "sniff_delimiter"]

log = logging.getLogger(__name__)

DELIMITERS = (";", ",", "\t", "|")
_SAMPLE_LINES = 60


@dataclass(slots=True)
class TextTable:
    rows: list[list[str]]
    encoding: str
    delimiter: str | None
    warnings: list[str] = field(default_factory=list)
    skipped_lines: int = 0  # leading lines that are not data ("sep=;"), kept out of rows


def decode_bytes(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding name, warnings)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig", []
        except UnicodeDecodeError:
            text = data[3:].decode("utf-8", errors="replace")
            return text, "utf-8-sig", ["El archivo tiene caracteres dañados; se reemplazaron por «�»."]
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[2:].decode(name, errors="replace"), "utf-16", []
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252", []
    except UnicodeDecodeError:
        warning = (
            "El archivo no está en UTF-8 ni en Windows-1252; algunos caracteres se reemplazaron por «�». "
            "Si los nombres salen mal, guárdalo desde Excel como «CSV UTF-8»."
        )
        return data.decode("cp1252", errors="replace"), "cp1252", [warning]


def sniff_delimiter(lines: list[str]) -> str | None:
    """The delimiter that splits ``lines`` most consistently into ≥ 2 fields, or None (one column)."""
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        return None
    best: tuple[float, int, str] | None = None
    for delim in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        mode, hits = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        consistency = hits / len(counts)
        if consistency < 0.6:
            continue
        key = (consistency, mode, delim)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def read_text_table(path: Path, *, max_bytes: int) -> TextTable:
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"«{path.name}» pesa {size / 2**20:,.0f} MB; el máximo es {max_bytes / 2**20:,.0f} MB. "
            "Divide los datos en archivos más pequeños.",
            detail=f"text size {size}",
        )
    text, encoding, warnings = decode_bytes(path.read_bytes())
    if "\x00" in text:
        raise InputError(
            f"«{path.name}» no es un archivo de texto (tiene datos binarios). Elige un CSV o TXT.",
            detail="NUL characters in decoded text",
        )
    hint = re.match(r"sep=(.)\r?\n", text[:8])  # Excel's own hint line: "sep=;"
    if hint:
        text = text[hint.end() :]
    head = text[:65536].splitlines()[:_SAMPLE_LINES]
    delimiter = hint.group(1) if hint else sniff_delimiter(head)
    if delimiter is None:
        rows = [[line] for line in text.splitlines()]
    else:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    log.info("text import: encoding=%s delimiter=%r rows=%d", encoding, delimiter, len(rows))
    return TextTable(rows, encoding, delimiter, warnings, 1 if hint else 0)
