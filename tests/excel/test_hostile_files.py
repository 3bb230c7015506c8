"""Hostile or broken files: a clear Spanish message (InputError), never a traceback, hang or blow-up."""

from __future__ import annotations

import resource
import zipfile
from pathlib import Path

import pytest

from migo_desktop.core.errors import InputError
from migo_desktop.excel.guards import Limits
from migo_desktop.excel.reader import build_plan, list_sheets, preview

from .corpus import R1, inline, ole_file, raw_xlsx, xlsx


def refused(path: Path, **kw) -> str:
    with pytest.raises(InputError) as info:
        build_plan(path, **kw)
    return info.value.user_message


def test_truncated_xlsx(tmp_path: Path) -> None:
    good = xlsx(tmp_path / "bueno.xlsx", {"S": [["RUC"]] + [[R1]] * 200})
    bad = tmp_path / "cortado.xlsx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "dañado o incompleto" in refused(bad)


def test_corrupt_member_fails_the_crc(tmp_path: Path) -> None:
    good = xlsx(tmp_path / "bueno.xlsx", {"S": [["RUC"]] + [[R1]] * 200})
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + 20):
        data[i] ^= 0xFF
    bad = tmp_path / "corrupto.xlsx"
    bad.write_bytes(bytes(data))
    assert "dañado o incompleto" in refused(bad)


def test_text_file_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "lista.xlsx"
    path.write_text(f"RUC\n{R1}\n", encoding="utf-8")
    message = refused(path)
    assert "es un archivo de texto" in message and ".csv" in message


def test_html_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "reporte.xls"
    path.write_text(f"<html><body><table><tr><td>{R1}</td></tr></table></body></html>", encoding="utf-8")
    assert "página web" in refused(path)


def test_encrypted_workbook_is_detected_from_the_ole_directory(tmp_path: Path) -> None:
    # What this proves: an OLE2 file whose directory names EncryptionInfo/EncryptedPackage (what Excel writes
    # for a password-protected .xlsx) is refused before any parser runs. The file is a minimal stand-in.
    path = ole_file(tmp_path / "clave.xlsx", ["EncryptionInfo", "EncryptedPackage"])
    message = refused(path)
    assert "protegido con contraseña" in message and "quita la contraseña" in message.lower()
    with pytest.raises(InputError, match="contraseña"):
        list_sheets(path)


def test_real_password_protected_workbook(tmp_path: Path) -> None:
    # Encrypted by msoffcrypto-tool like Excel does (see data/README.md); calamine alone says PasswordError.
    fixture = Path(__file__).parent / "data" / "protegido_clave123.xlsx"
    assert fixture.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    assert "protegido con contraseña" in refused(fixture)
    renamed = tmp_path / "protegido.xls"  # whatever the extension says
    renamed.write_bytes(fixture.read_bytes())
    assert "protegido con contraseña" in refused(renamed)


def test_ole_container_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = ole_file(tmp_path / "documento.xls", ["WordDocument"])
    assert "no un libro de Excel" in refused(path)


def test_ole_workbook_that_calamine_cannot_parse_gets_a_message(tmp_path: Path) -> None:
    path = ole_file(tmp_path / "viejo.xls", ["Workbook"])  # right names, no real BIFF inside
    assert "dañado o tiene un formato no compatible" in refused(path)


def test_empty_file_and_empty_workbook(tmp_path: Path) -> None:
    empty = tmp_path / "vacio.xlsx"
    empty.write_bytes(b"")
    assert "está vacío" in refused(empty)
    wb = xlsx(tmp_path / "libro_vacio.xlsx", {"Hoja1": [], "Hoja2": []})
    assert "no tiene datos" in refused(wb)
    txt = tmp_path / "vacio.txt"
    txt.write_text("\n\n", encoding="utf-8")
    assert "no tiene datos" in refused(txt)


def test_no_ruc_column_suggests_choosing_it(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "nombres.xlsx", {"S": [["Nombre", "Ciudad"], ["Ana", "Lima"], ["Luis", "Cusco"]]})
    message = refused(path)
    assert "No se encontró una columna con RUC" in message and "Elige la columna" in message
    assert preview(path).id_column is None
    chosen = build_plan(path, column="B")  # the user picks a column: its cells get reasons, not a refusal
    assert chosen.header_row == 1 and chosen.headers == ["Nombre", "Ciudad"]
    assert [r.reason for r in chosen.rows] == [
        "Es texto, no un RUC ni un DNI («Lima»)",
        "Es texto, no un RUC ni un DNI («Cusco»)",
    ]
    assert build_plan(path, column="Ciudad").id_column == 1


def test_zip_bomb_by_total_uncompressed_size(tmp_path: Path) -> None:
    # A 4 MB run of zeros compresses to ~4 KB; the limit is lowered so the test stays fast. The same check
    # runs with the default 1 GiB limit on the central directory's declared sizes.
    path = raw_xlsx(
        tmp_path / "bomba.xlsx",
        f'<row r="1">{inline("A1", R1)}</row>',
        extra={"xl/media/x.bin": b"\0" * 4_000_000},
    )
    assert path.stat().st_size < 100_000
    message = refused(path, limits=Limits(max_uncompressed_bytes=1_000_000))
    assert "bomba zip" in message


def test_padded_dimension_alone_is_not_judged(tmp_path: Path) -> None:
    # calamine ignores <dimension>; so do the limits: only valued cells count.
    data = f'<row r="1">{inline("A1", "RUC")}</row><row r="2">{inline("A2", R1)}</row>'
    path = raw_xlsx(tmp_path / "declarada.xlsx", data, dimension="A1:XFD1048576")
    assert [r.number for r in build_plan(path).rows] == [R1]
    wide = raw_xlsx(tmp_path / "ancha.xlsx", f'<row r="1">{inline("A1", R1)}{inline("XFD1", "x")}</row>')
    assert [r.number for r in build_plan(wide, header_row=0).rows] == [R1]  # 1 × 16,384: Excel's own grid


@pytest.mark.parametrize(
    ("name", "dimension", "data"),
    [
        (
            "sin_dimension.xlsx",
            None,
            f'<row r="1">{inline("A1", R1)}</row><row r="1048576">{inline("AD1048576", "x")}</row>',
        ),
        (
            "miente.xlsx",
            "A1:B2",
            f'<row r="1">{inline("A1", R1)}</row><row r="1048576">{inline("AD1048576", "x")}</row>',
        ),
    ],
)
def test_absurd_sheet_extent_is_refused_before_parsing(tmp_path: Path, name, dimension, data) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    path = raw_xlsx(tmp_path / name, data, dimension=dimension)
    assert path.stat().st_size < 10_000
    assert "posiciones desmedidas" in refused(path)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100  # calamine alone would have taken ~1 GB


def test_wide_sheet_without_big_rows_is_checked_exactly(tmp_path: Path) -> None:
    # 200 columns × rows under 100k: fine when small, refused when rows × columns passes the cell limit.
    data = f'<row r="1">{inline("A1", "RUC")}{inline("GR1", "x")}</row><row r="2">{inline("A2", R1)}</row>'
    ok = raw_xlsx(tmp_path / "ancha_ok.xlsx", data)
    assert [r.number for r in build_plan(ok).rows] == [R1]
    big = raw_xlsx(tmp_path / "ancha_mal.xlsx", data + f'<row r="90000">{inline("A90000", R1)}</row>')
    assert "posiciones desmedidas" in refused(big)


def test_more_rows_than_the_limit(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "muchas.xlsx", {"S": [["RUC"]] + [[R1]] * 12})
    assert len(build_plan(path, max_rows=12).rows) == 12
    message = refused(path, max_rows=11)
    assert "más de 11 filas" in message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "No se encontró" in refused(tmp_path / "no_existe.xlsx")
    assert "es una carpeta" in refused(tmp_path)


def test_file_too_big(tmp_path: Path) -> None:
    path = tmp_path / "grande.csv"
    path.write_text(f"RUC\n{R1}\n" * 100, encoding="utf-8")
    assert "el máximo es" in refused(path, limits=Limits(max_file_bytes=100))


def test_unknown_sheet(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", {"Datos": [["RUC"], [R1]]})
    assert "no tiene una hoja llamada «Otra»" in refused(path, sheet="Otra")


def test_ods_repeat_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    from .corpus import ods

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    path = ods(tmp_path / "bomba.ods", [["RUC"], [R1]], repeat_last=(200_000, 100))
    assert path.stat().st_size < 10_000
    message = refused(path)  # calamine alone: ~2.4 GB and 15 s; here it runs in a capped child
    assert "demasiado grande" in message or "demasiada memoria" in message
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 100


def test_plain_zip_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fotos.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("leeme.txt", "hola")
    assert "no un libro de Excel" in refused(path)


def test_an_unexpected_parser_failure_is_a_message_not_a_traceback(tmp_path: Path, monkeypatch) -> None:
    from migo_desktop.excel import reader

    path = xlsx(tmp_path / "raro.xlsx", {"S": [["RUC"], [R1]]})

    def boom(*_a, **_k):
        raise KeyError("something calamine did not expect")

    monkeypatch.setattr(reader, "open_source", boom)
    assert "tiene algo inesperado" in refused(path)
    with pytest.raises(InputError):
        preview(path)


def test_far_row_whose_cells_have_no_reference(tmp_path: Path) -> None:
    cells = "".join('<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(30))
    path = raw_xlsx(
        tmp_path / "sin_ref.xlsx", f'<row r="1">{inline("A1", R1)}</row><row r="1048576">{cells}</row>'
    )
    assert "posiciones desmedidas" in refused(path)


def test_password_error_from_calamine_becomes_the_same_message(tmp_path: Path, monkeypatch) -> None:
    # A legacy .xls protected with a password is a plain OLE workbook with a FILEPASS record: only calamine
    # can tell. (No tool here writes one, so calamine's PasswordError is simulated.)
    import python_calamine

    from migo_desktop.excel import workbook_sources as sources

    path = xlsx(tmp_path / "x.xlsx", {"S": [["RUC"], [R1]]})

    def protected(*_a):
        raise python_calamine.PasswordError("Workbook is password protected")

    monkeypatch.setattr(sources, "CalamineSource", protected)
    assert "protegido con contraseña" in refused(path)
