"""Generate ``migo_desktop/resources/ejemplo_rucs.xlsx`` (shipped as package data): the demo workbook
behind "Probar con el libro de ejemplo".

About 200 rows the way accountants really have them: a title row and a blank row above the headers,
numeric and text RUCs (spaces, dashes, a leading apostrophe), some DNIs, duplicates, wrong check digits,
lossy scientific notation and blank cells. Deterministic (fixed seed); run it again after changing it:

    .venv/bin/python resources/make_example.py
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from stdnum.pe import ruc

OUT = Path(__file__).resolve().parents[1] / "migo_desktop" / "resources" / "ejemplo_rucs.xlsx"
KNOWN = ["20131312955", "20100070970", "20100038146"]


def _ruc(rng: random.Random, prefix: str) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(8))
    return body + ruc.calc_check_digit(body)


def _bad_check(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def rows(seed: int = 2026) -> list[list[object]]:
    rng = random.Random(seed)
    good = KNOWN + [_ruc(rng, rng.choice(["20", "20", "20", "10"])) for _ in range(150)]
    out: list[list[object]] = []
    for i, number in enumerate(good):
        style = i % 6
        cell: object = int(number) if style in (0, 1, 2) else number
        if style == 3:
            cell = f"{number[:2]}-{number[2:10]}-{number[10]}"
        elif style == 4:
            cell = f" {number} "
        elif style == 5:
            cell = f"'{number}"
        out.append([cell])
    for _ in range(15):  # DNIs (8 digits, leading zeros kept as text)
        dni = f"{rng.randrange(1, 99_999_999):08d}"
        out.append([dni if dni.startswith("0") else int(dni)])
    for number in rng.sample(good, 14):  # duplicates
        out.append([int(number)])
    for number in rng.sample(good, 8):  # wrong check digit
        out.append([_bad_check(number)])
    out += [["2.01313E+10"], ["20131312955.5"], ["RUC pendiente"], [None], ["123456"], ["30123456789"]]
    rng.shuffle(out)
    start = date(2026, 1, 5)
    for i, row in enumerate(out):
        row.insert(0, f"F{i + 1:03d}-{rng.randrange(1000, 99999)}")
        row.append(f"Proveedor de ejemplo {i + 1}")
        row.append(start + timedelta(days=rng.randrange(0, 60)))
        row.append(round(rng.uniform(50, 25_000), 2))
    return out


def build(path: Path = OUT) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Compras enero-febrero"
    ws.append(["Registro de compras — ejemplo para Migo Desktop (datos ficticios)"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["Comprobante", "RUC proveedor", "Descripción", "Fecha", "Importe (S/)"])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows():
        ws.append(row)
    for col, width in zip("ABCDE", (16, 18, 30, 12, 14), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=4, min_col=4, max_col=4):
        row[0].number_format = "DD/MM/YYYY"
    notes = wb.create_sheet("Notas")
    notes.append(["Este libro mezcla a propósito RUC válidos, DNI, duplicados y errores típicos."])
    fixed = datetime(2026, 1, 1)
    wb.properties.creator = "Migo Desktop"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buffer = io.BytesIO()
    wb.save(buffer)
    wb.close()
    path.write_bytes(_normalised(buffer.getvalue()))
    return path


def _normalised(data: bytes) -> bytes:
    """Same bytes on every run: fixed zip timestamps and a fixed 'modified' date (openpyxl stamps now)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), body,
                         compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    return out.getvalue()


if __name__ == "__main__":
    print(build())
