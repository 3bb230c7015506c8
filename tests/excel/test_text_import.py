"""CSV and TXT: encodings (UTF-8 with/without BOM, cp1252, UTF-16) and delimiters."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from migo_desktop.core.errors import InputError
from migo_desktop.core.ids import Reasons
from migo_desktop.excel.reader import build_plan, list_sheets
from migo_desktop.excel.text import decode_bytes, sniff_delimiter

from .corpus import BAD_CHECK, R1, R2, R3, R4


def test_cp1252_semicolon_csv_from_spanish_excel(tmp_path: Path) -> None:
    text = (
        "Razón Social;N° RUC;Importe\r\n"
        "Compañía Ñandú S.A.C.;20131312955;1.500,50\r\n"
        f"“Comillas” – guion;{R2};20,00\r\n"
        f"Línea con ; dentro;{R3};3\r\n"  # a third field count: still sniffed as ';'
        f"Mal;{BAD_CHECK};1\r\n"
    )
    path = tmp_path / "proveedores.csv"
    path.write_bytes(text.encode("cp1252"))
    plan = build_plan(path)
    assert plan.encoding == "cp1252" and plan.delimiter == ";"
    assert plan.sheet is None and plan.sheets == [] and list_sheets(path) == []
    assert plan.headers == ["Razón Social", "N° RUC", "Importe", "Columna D"]  # one row has 4 fields
    assert plan.rows[0].values == ("Compañía Ñandú S.A.C.", R1, "1.500,50", None)
    assert plan.rows[1].values[0] == "“Comillas” – guion"
    assert [r.number for r in plan.rows] == [R1, R2, None, None]
    assert plan.rows[2].values == ("Línea con ", " dentro", R3, "3")
    assert {r.source_row: r.reason for r in plan.rows if r.reason} == {
        4: Reasons.NOT_A_NUMBER.format(text="«dentro»"),  # its ';' shifted " dentro" into the RUC column
        5: Reasons.CHECK_DIGIT,
    }


def test_utf8_bom_text_list_one_number_per_line(tmp_path: Path) -> None:
    path = tmp_path / "lista.txt"
    path.write_bytes(codecs.BOM_UTF8 + f"{R1}\n{R2}\n\n 2.01313E+10 \n{R1}\n12345678\n".encode())
    plan = build_plan(path)
    assert plan.encoding == "utf-8-sig" and plan.delimiter is None
    assert plan.header_row is None and plan.headers == ["Columna A"]
    assert [r.number for r in plan.rows] == [R1, R2, None, R1, "12345678"]
    assert plan.rows[2].reason == Reasons.SCIENTIFIC.format(text="2.01313E+10")
    assert plan.rows[3].duplicate_of == 0
    assert [r.source_row for r in plan.rows] == [1, 2, 4, 5, 6]


def test_text_list_with_header_and_thousand_separators(tmp_path: Path) -> None:
    path = tmp_path / "lista.txt"
    path.write_text(f"RUC\n{R1}\n20.131.312.955\n{R4}\n", encoding="utf-8")
    plan = build_plan(path)
    assert plan.header_row == 1 and plan.headers == ["RUC"]
    assert [r.number for r in plan.rows] == [R1, R1, R4]


def test_tab_and_pipe_and_comma(tmp_path: Path) -> None:
    for delim in ("\t", "|", ","):
        path = tmp_path / "d.csv"
        path.write_text(f"nombre{delim}ruc\nA{delim}{R1}\nB{delim}{R2}\n", encoding="utf-8")
        plan = build_plan(path)
        assert plan.delimiter == delim
        assert [r.number for r in plan.rows] == [R1, R2]


def test_utf16_unicode_text_from_excel(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + f"Razón\tRUC\r\nÑandú\t{R1}\r\n".encode("utf-16-le"))
    plan = build_plan(path)
    assert plan.delimiter == "\t"
    assert plan.rows[0].values == ("Ñandú", R1)


def test_decoding_order_never_latin1() -> None:
    assert decode_bytes("ñ".encode())[1] == "utf-8"
    text, enc, warnings = decode_bytes("“Año”".encode("cp1252"))
    assert (text, enc, warnings) == ("“Año”", "cp1252", [])
    text, enc, warnings = decode_bytes(b"A\x81B")  # 0x81 is undefined in cp1252
    assert enc == "cp1252" and text == "A\ufffdB" and warnings


def test_sniff_delimiter_prefers_consistency() -> None:
    assert sniff_delimiter(["a;b;c", "1,5;2,5;3", "x;y;z"]) == ";"
    assert sniff_delimiter([R1, R2]) is None
    assert sniff_delimiter([]) is None


def test_binary_file_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "datos.csv"
    path.write_bytes(b"\x00\x01\x02binary" * 50)
    with pytest.raises(InputError) as info:
        build_plan(path)
    assert "No se reconoce el formato" in info.value.user_message


def test_excel_sep_hint_line(tmp_path: Path) -> None:
    path = tmp_path / "hint.csv"
    path.write_text(f"sep=;\nRUC;Nombre\n{R1};A, B y C\n", encoding="utf-8")
    plan = build_plan(path)
    assert plan.delimiter == ";" and plan.header_row == 2 and plan.headers == ["RUC", "Nombre"]
    assert plan.rows[0].values == (R1, "A, B y C") and plan.rows[0].number == R1
