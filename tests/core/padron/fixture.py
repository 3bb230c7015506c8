# ruff: noqa: E501 - lines in the real format are long
"""A small padrón in the real format, warts included, and the counts its import must report."""

from __future__ import annotations

import zipfile
from pathlib import Path

from migo_desktop.core.padron.lines import HEADER

EMPTY = "|".join(["-"] * 10)
LINES: list[bytes] = [
    HEADER.encode("cp1252"),
    "20330033313|PERUANA DE ESTACIONES DE SERVICIOS S.A.C|BAJA DEFINITIVA|HABIDO|150140|AV.|CIRCUNVALACIÓN DEL "
    "CLUB G|URB.|CLUB EL GOLF LOS INCAS|134|1801|-|205|-|-|".encode("cp1252"),
    b"20462604735|CORPORACION GTM DEL PERU S.A.|ACTIVO|HABIDO|150123|CAR.|PANAMERICANA SUR|Z.I.|CONCHAN|-|-|-|-|-|25|",
    b"10452159428|GARCIA CHANCO CARLOS AUGUSTO|ACTIVO|HABIDO|-|-|-|-|-|-|-|-|-|-|-|",
    f"10412345671|NUÑEZ PEÑA MARÍA JOSÉ|ACTIVO|NO HABIDO|080101|{EMPTY}|".encode(
        "cp1252"
    ),  # Latin-1 accents, Ñ
    b"20100070970|EMPRESA \x81 RARA S.A.C.|SUSPENSION TEMPORAL|HABIDO|-|"
    + EMPTY.encode()
    + b"|",  # no such byte
    b"20100038146|ALFA|BETA S.A.C.|ACTIVO|HABIDO|150101|JR.|LOS PINOS|-|-|12|-|-|-|-|-|",  # stray '|' in a name
    b"20512345678|SIN CAMPO COMPLETO S.A.|ACTIVO|HABIDO|150101|AV.|LARCO|-|-|1|-|-|-|-|",  # one field missing
    b"20462604735|CORPORACION GTM DEL PERU S.A.|BAJA DE OFICIO|HABIDO|150123|CAR.|PANAMERICANA SUR|Z.I.|CONCHAN"
    b"|-|-|-|-|-|25|",  # the same RUC again: this later line wins
    b"10401234568|garcia ramos luis|ACTIVO|HABIDO|200101|CAL.|LIMA|----|----|15|----|-|-|-|-|\r",  # CRLF, ----
    "20131312955|SUPERINTENDENCIA NACIONAL DE ADUANAS Y DE ADMINISTRACIÓN TRIBUTARIA - SUNAT|ACTIVO|HABIDO|"
    "150101|AV.|GARCILASO DE LA VEGA|-|-|1472|-|-|-|-|-|".encode(),  # this one line arrived in UTF-8
    b"10452159428X|NOT A RUC|ACTIVO|HABIDO|-|" + EMPTY.encode() + b"|",
    b"",
]
CONTENT = b"\n".join(LINES)

EXPECTED = {
    "lines": 12,  # every line, the header included
    "header_lines": 1,
    "blank_lines": 0,
    "imported": 8,  # distinct RUCs among the good lines
    "duplicates": 1,
    "malformed": 2,  # the missing field and the bad RUC
    "replaced_bytes": 1,
    "utf8_lines": 1,
    "recovered_names": 1,
}


def write_txt(folder: Path, content: bytes = CONTENT) -> Path:
    path = folder / "padron_reducido_ruc.txt"
    path.write_bytes(content)
    return path


def write_zip(
    folder: Path, content: bytes = CONTENT, name: str = "padron_reducido_ruc.zip", *, stored: bool = False
) -> Path:
    """Deflated like SUNAT's; ``stored`` keeps the size (repeated fixture lines deflate to almost nothing)."""
    path = folder / name
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        archive.writestr("padron_reducido_ruc.txt", content)
    return path
