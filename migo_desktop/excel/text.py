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
from collections import Counter

__all__ = ["DELIMITERS", "decode_bytes", "decode_line", "sniff_delimiter"]

DELIMITERS = (";", ",", "\t", "|")


def decode_line(line: bytes) -> tuple[str, str]:
    """One line without a BOM: (text, "ascii" | "utf-8" | "cp1252" | "bad"). Per line, so a file that mixes
    UTF-8 and cp1252 lines (two exports pasted together) reads right and can be reported."""
    if line.isascii():
        return line.decode("ascii"), "ascii"
    try:
        return line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return line.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace"), "bad"


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
