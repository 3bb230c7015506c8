"""Cell sanitising and the streamed SpreadsheetML: untrusted text stays text and the XML stays well-formed."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

from migo_desktop.core.models import LookupStatus
from migo_desktop.excel.cells import (
    MAX_CELL_CHARS,
    clean_text,
    csv_text,
    display_text,
    id_text,
    is_formula_like,
)
from migo_desktop.excel.writer import ExportRow, ExportSummary, export_xlsx


def test_clean_text_strips_what_breaks_xml_or_excel() -> None:
    assert clean_text("a\x00b\x07c\x1fd\x7fe\ud800f\ufffeg\uffffh") == "abcdefgh"
    assert clean_text("línea 1\nlínea 2\tfin") == "línea 1\nlínea 2\tfin"  # newlines and tabs are fine
    long = clean_text("x" * (MAX_CELL_CHARS + 10))
    assert len(long) == MAX_CELL_CHARS and long.endswith("…")


def test_formula_detection_and_csv_neutralising() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1"):
        assert is_formula_like(text)
        assert csv_text(text) == "'" + text
    assert not is_formula_like("EMPRESA = SAC")
    assert csv_text(-5.0) == "-5" and csv_text(-1.5, decimal_comma=True) == "-1,5"  # numbers are not text


def test_identifier_and_display_text() -> None:
    assert id_text(20131312955.0) == "20131312955" and id_text(20131312955) == "20131312955"
    assert id_text(Decimal("12345678")) == "12345678" and id_text("0123") == "0123" and id_text(None) is None
    assert display_text(1500.5) == "1500.5" and display_text(1500.5, decimal_comma=True) == "1500,5"
    assert display_text(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02 03:04:05"
    assert display_text(date(2024, 1, 2)) == "2024-01-02" and display_text(time(8, 30)) == "08:30:00"
    assert display_text(True) == "VERDADERO"


def test_every_part_of_an_export_is_well_formed_xml(tmp_path: Path) -> None:
    nasty = ["<b>&amp;</b>", "a\x01b", "\ufffe", "'; DROP", "=cmd|'/c calc'!A1", 1e308, float("nan"), 10**20,
             Decimal("1.5"), time(1, 2, 3), True, "\u200b", "ñ" * 40_000]  # fmt: skip
    rows = [ExportRow(tuple(nasty), None, LookupStatus.INVALID, "<&>", None, None)]
    out = export_xlsx(
        tmp_path / "x.xlsx",
        [f"C{i}" for i in range(len(nasty))],
        rows,
        ExportSummary("<a&b>", datetime(2026, 1, 1), 0, 0),
    )
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            ElementTree.fromstring(z.read(name))  # raises on malformed XML
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in sheet
    assert "100000000000000000000" in sheet  # a 20-digit integer is kept as text, every digit
