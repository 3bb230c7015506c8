"""Streaming parser for SUNAT's ``padron_reducido_ruc.txt`` (the real format, warts included).

One line: 15 ``|``-separated fields and a trailing ``|``; a header line; ``-`` or ``----`` means empty. The
file is cp1252 but not consistently: a few lines arrive in UTF-8, and some bytes decode to nothing. So:

- chunks are decoded as cp1252 with ``errors="replace"`` (never fails); each U+FFFD is a replaced byte;
- a line holding ``Ã``/``Â`` (what UTF-8's lead bytes look like in cp1252) is re-decoded as UTF-8 when that
  works, so «CIRCUNVALACIÓN» written in UTF-8 is not stored as «CIRCUNVALACIÃ“N»;
- ``\\r`` is stripped; missing trailing ``|`` and surplus empty trailing fields are tolerated;
- a name holding a stray ``|`` is recovered from the known field count (the fields after it must still look
  right: estado not a number, ubigeo ``-`` or digits);
- anything else is a malformed line: counted, a few kept as examples, never fatal.

The parser yields batches of store rows ``(ruc, nombre, estado_id, condicion_id, ubigeo, direccion)`` where
``direccion`` is the 10 address fields kept raw (``-`` included, ``|``-joined) or None when all are empty;
:mod:`.records` turns them back into fields when a row is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

__all__ = [
    "ADDRESS_FIELDS",
    "FIELD_COUNT",
    "HEADER",
    "LineStats",
    "Row",
    "Vocabulary",
    "iter_rows",
]

HEADER = (
    "RUC|NOMBRE O RAZÓN SOCIAL|ESTADO DEL CONTRIBUYENTE|CONDICIÓN DE DOMICILIO|UBIGEO|TIPO DE VÍA|"
    "NOMBRE DE VÍA|CÓDIGO DE ZONA|TIPO DE ZONA|NÚMERO|INTERIOR|LOTE|DEPARTAMENTO|MANZANA|KILÓMETRO|"
)
FIELD_COUNT = 15
# The file's columns 6..15 under the Migo API's names (CÓDIGO/TIPO DE ZONA kept in file order, as Migo does).
ADDRESS_FIELDS = ("tipo_de_via", "nombre_de_via", "codigo_de_zona", "tipo_de_zona", "numero", "interior",
                  "lote", "dpto", "manzana", "kilometro")  # fmt: skip
EMPTY_ADDRESS = "|".join(["-"] * len(ADDRESS_FIELDS))
CHUNK_BYTES = 1 << 20
BATCH_ROWS = 20_000
MAX_EXAMPLES = 10

Row = tuple[int, str, int, int, int | None, str | None]


def _is_empty(value: str) -> bool:
    return not value.strip("- ")


class Vocabulary:
    """Small dictionary of repeated texts (estado, condición) → integer ids; 0 is the empty text."""

    def __init__(self, texts: list[str] | None = None) -> None:
        self.texts: list[str] = list(texts) if texts else [""]
        self._by_clean = {text: i for i, text in enumerate(self.texts)}
        self._ids: dict[str, int] = {"": 0, "-": 0, "----": 0, **self._by_clean}
        self.known = self._ids  # read-only view for the parser's fast path

    def id_for(self, text: str) -> int:
        found = self._ids.get(text)
        if found is None:
            cleaned = " ".join(text.split()).upper()
            found = 0 if _is_empty(cleaned) else self._by_clean.get(cleaned)
            if found is None:
                found = len(self.texts)
                self.texts.append(cleaned)
                self._by_clean[cleaned] = found
            self._ids[text] = found
        return found


@dataclass
class LineStats:
    """What the parser saw. ``rows`` counts good lines (duplicates included: the store keeps the last one)."""

    lines: int = 0
    header_lines: int = 0
    blank_lines: int = 0
    rows: int = 0
    malformed: int = 0
    replaced_bytes: int = 0
    utf8_lines: int = 0
    recovered_names: int = 0
    examples: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, reason, text)

    def bad(self, number: int, reason: str, text: str) -> None:
        self.malformed += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append((number, reason, text[:200]))


def _decode(chunk: bytes, stats: LineStats) -> list[str]:
    text = chunk.decode("cp1252", errors="replace")
    lines = text.split("\n")
    if "Ã" in text or "Â" in text:  # maybe UTF-8 lines: line i of the text is line i of the bytes
        raw = chunk.split(b"\n")
        for i, line in enumerate(lines):
            if "Ã" in line or "Â" in line:
                try:
                    lines[i] = raw[i].decode("utf-8")
                except UnicodeDecodeError:
                    continue
                stats.utf8_lines += 1
    stats.replaced_bytes += sum(line.count("\ufffd") for line in lines) if "\ufffd" in text else 0
    return lines


def _parse(line: str, number: int, vocab: Vocabulary, stats: LineStats) -> Row | None:
    if line.startswith("RUC|"):
        stats.header_lines += 1
        return None
    fields = (line[:-1] if line.endswith("|") else line).split("|")  # the trailing '|' is optional
    while len(fields) > FIELD_COUNT and fields[-1].strip() == "":
        fields.pop()  # surplus empty fields at the end
    extra = len(fields) - FIELD_COUNT
    if extra < 0:
        stats.bad(number, f"faltan campos ({len(fields)} de {FIELD_COUNT})", line)
        return None
    ruc = fields[0].strip()
    if len(ruc) != 11 or not ruc.isdigit():
        stats.bad(number, "RUC no válido", line)
        return None
    if extra:
        rest = fields[2 + extra :]
        if rest[0].strip().isdigit() or not (_is_empty(rest[2]) or rest[2].strip().isdigit()):
            stats.bad(number, f"sobran campos ({len(fields)} de {FIELD_COUNT})", line)
            return None
        fields = [ruc, "|".join(fields[1 : 2 + extra]), *rest]
        stats.recovered_names += 1
    name = fields[1].strip()
    if name == "-":
        name = ""
    ubigeo_text = fields[4].strip()
    ubigeo = int(ubigeo_text) if ubigeo_text.isdigit() else None
    address = "|".join(fields[5:])
    return (
        int(ruc),
        name,
        vocab.id_for(fields[2]),
        vocab.id_for(fields[3]),
        ubigeo,
        None if address == EMPTY_ADDRESS else address,
    )


def iter_rows(
    stream: IO[bytes],
    vocab: Vocabulary,
    stats: LineStats,
    on_chunk: Callable[[int], None] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> Iterator[list[Row]]:
    """Read ``stream`` in 1 MB chunks; yield lists of rows. ``on_chunk(bytes_read)`` runs after each chunk
    (progress and cancellation: it may raise)."""
    pending = b""
    number = 0
    batch: list[Row] = []
    total = 0
    while True:
        chunk = stream.read(CHUNK_BYTES)
        total += len(chunk)
        if chunk:
            data = pending + chunk
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                pending = data
                continue
            pending = data[cut:]
            lines = _decode(data[: cut - 1], stats)
        elif pending:
            lines = _decode(pending, stats)
            pending = b""
        else:
            break
        known = vocab.known
        id_for = vocab.id_for
        append = batch.append
        for line in lines:
            number += 1
            parts = line.split("|")
            # fast path (nearly every line): 15 fields, the trailing '|', an 11-digit RUC
            if len(parts) == 16 and not parts[15] and len(ruc := parts[0]) == 11 and ruc.isdigit():
                name = parts[1].strip()
                ubigeo = parts[4]
                address = "|".join(parts[5:15])
                estado = known.get(parts[2])
                condicion = known.get(parts[3])
                append((
                    int(ruc),
                    "" if name == "-" else name,
                    id_for(parts[2]) if estado is None else estado,
                    id_for(parts[3]) if condicion is None else condicion,
                    int(ubigeo) if ubigeo.isdigit() else None,
                    None if address == EMPTY_ADDRESS else address,
                ))  # fmt: skip
                continue
            if line.endswith("\r"):
                line = line[:-1]
            if not line.strip():
                stats.blank_lines += 1
                continue
            row = _parse(line, number, vocab, stats)
            if row is not None:
                append(row)
        stats.lines = number
        if len(batch) >= batch_rows:
            stats.rows += len(batch)
            yield batch
            batch = []
        if on_chunk is not None:
            on_chunk(total)
    if batch:
        stats.rows += len(batch)
        yield batch
