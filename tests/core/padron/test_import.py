"""Importing the real format: exact counts, decoded text, places, the swap, failures that change nothing."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from migo_desktop.core.models import LookupStatus, ResultSource
from migo_desktop.core.padron import (
    Cancel,
    PadronCancelled,
    PadronError,
    PadronStore,
    Progress,
    import_padron,
    to_result,
)

from .fixture import CONTENT, EXPECTED, write_txt, write_zip


@pytest.fixture
def store(tmp_path: Path) -> PadronStore:
    return PadronStore(tmp_path / "data" / "padron.sqlite3")


@pytest.mark.parametrize("kind", ["zip", "txt"])
def test_fixture_imports_with_exact_counts(tmp_path: Path, store: PadronStore, kind: str) -> None:
    source = write_zip(tmp_path) if kind == "zip" else write_txt(tmp_path)
    report = import_padron(source, store, fecha=date(2026, 11, 28))
    for key, value in EXPECTED.items():
        assert getattr(report, key) == value, key
    reasons = [reason for _, reason, _ in report.examples]
    assert reasons == ["faltan campos (14 de 15)", "RUC no válido"]
    assert [n for n, _, _ in report.examples] == [8, 12]
    info = store.info()
    assert info is not None and info.registros == 8 and info.fecha == date(2026, 11, 28)
    assert info.fecha_texto == "padrón del 28/11/2026" and info.informe["malformed"] == 2
    assert "Contribuyentes importados: 8" in report.summary()


def test_records_are_decoded_and_mapped_like_api_answers(tmp_path: Path, store: PadronStore) -> None:
    import_padron(write_zip(tmp_path), store, fecha=date(2026, 11, 28))
    peruana = to_result(store.lookup("20330033313"), store.fecha)
    tp = peruana.taxpayer
    assert peruana.status is LookupStatus.OK and peruana.source is ResultSource.PADRON
    assert peruana.source_label == "Padrón 28/11/2026"
    assert (tp.estado, tp.condicion, tp.apto_para_facturar) == ("BAJA DEFINITIVA", "HABIDO", False)
    assert tp.nombre_de_via == "CIRCUNVALACIÓN DEL CLUB G"
    # «DEPARTAMENTO» in the file is the apartment; the region comes from UBIGEO
    assert (tp.dpto, tp.numero, tp.interior) == ("205", "134", "1801")
    assert (tp.departamento, tp.provincia, tp.distrito) == ("LIMA", "LIMA", "SANTIAGO DE SURCO")
    assert tp.direccion_simple == (
        "AV. CIRCUNVALACIÓN DEL CLUB G NRO. 134 INT. 1801 DPTO. 205 URB. CLUB EL GOLF LOS INCAS"
    )
    assert tp.direccion.endswith(" LIMA LIMA SANTIAGO DE SURCO")
    gtm = to_result(store.lookup("20462604735"), store.fecha).taxpayer
    assert gtm.estado == "BAJA DE OFICIO"  # the later duplicate line won
    assert gtm.distrito == "PACHACAMAC" and gtm.kilometro == "25"  # SUNAT spelling: no accents
    person = store.lookup("10412345671")
    assert person.nombre == "NUÑEZ PEÑA MARÍA JOSÉ" and person.condicion == "NO HABIDO"
    assert to_result(person, None).taxpayer.departamento == "CUSCO"
    nobody = to_result(store.lookup("10452159428"), store.fecha).taxpayer
    assert (nobody.ubigeo, nobody.direccion, nobody.departamento) == ("", "", "")
    assert store.lookup("20100070970").nombre == "EMPRESA \ufffd RARA S.A.C."
    assert store.lookup("20100038146").nombre == "ALFA|BETA S.A.C."
    assert store.lookup("20100038146").estado == "ACTIVO"
    lower = to_result(store.lookup("10401234568"), None).taxpayer
    assert lower.razon_social == "garcia ramos luis" and lower.codigo_de_zona == "" and lower.numero == "15"
    assert not lower.direccion_simple.endswith("\r") and lower.departamento == "PIURA"
    assert store.lookup("20131312955").nombre.endswith("ADMINISTRACIÓN TRIBUTARIA - SUNAT")
    assert store.lookup("20512345678") is None and store.lookup("bogus") is None


def test_batch_lookup_returns_only_what_the_padron_has(tmp_path: Path, store: PadronStore) -> None:
    import_padron(write_txt(tmp_path), store)
    found = store.lookup_many(["20330033313", "10452159428", "20512345678", "123", "20330033313"])
    assert sorted(found) == ["10452159428", "20330033313"]
    assert found["10452159428"].nombre == "GARCIA CHANCO CARLOS AUGUSTO"
    assert store.lookup_many([]) == {}


def test_padron_date_defaults_to_the_file_modification_time(tmp_path: Path, store: PadronStore) -> None:
    source = write_txt(tmp_path)
    stamp = 1_764_300_000  # 2025-11-28 03:20 UTC
    import os

    os.utime(source, (stamp, stamp))
    report = import_padron(source, store)
    assert report.fecha == date.fromtimestamp(stamp) == store.fecha


def _corrupt_zip(folder: Path) -> Path:
    path = write_zip(folder, CONTENT * 50, name="dañado.zip")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode())
    for i in range(start + 40, start + 60):  # scramble the deflate stream, keep the directory intact
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def test_a_corrupt_zip_leaves_the_previous_padron_in_use(tmp_path: Path, store: PadronStore) -> None:
    import_padron(write_txt(tmp_path), store, fecha=date(2026, 11, 1))
    with pytest.raises(PadronError) as caught:
        import_padron(_corrupt_zip(tmp_path), store, fecha=date(2026, 11, 28))
    assert "dañado" in caught.value.user_message
    assert store.fecha == date(2026, 11, 1) and store.lookup("20330033313") is not None
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["padron.sqlite3"]


def test_a_file_that_is_not_a_padron_is_refused_without_touching_the_old_one(
    tmp_path: Path, store: PadronStore
) -> None:
    import_padron(write_txt(tmp_path), store, fecha=date(2026, 11, 1))
    other = tmp_path / "otra_cosa.txt"
    other.write_bytes(b"hola\nmundo\n")
    with pytest.raises(PadronError, match="no contiene ninguna"):
        import_padron(other, store)
    assert store.fecha == date(2026, 11, 1) and store.info().registros == 8
    with pytest.raises(PadronError, match="No se encontró"):
        import_padron(tmp_path / "no_existe.zip", store)


def test_cancelling_keeps_the_previous_padron_and_reports_progress(
    tmp_path: Path, store: PadronStore
) -> None:
    import_padron(write_txt(tmp_path), store, fecha=date(2026, 11, 1))
    cancel = Cancel()
    seen: list[Progress] = []

    def progress(p: Progress) -> None:
        seen.append(p)
        cancel.set()

    with pytest.raises(PadronCancelled):
        import_padron(write_zip(tmp_path, CONTENT * 3000), store, on_progress=progress, cancel=cancel)
    assert seen and seen[0].phase == "lectura" and seen[0].total == len(CONTENT) * 3000
    assert store.fecha == date(2026, 11, 1)
    assert not store.path.with_name("padron.sqlite3.nuevo").exists()


def test_remove_forgets_the_padron(tmp_path: Path, store: PadronStore) -> None:
    assert store.info() is None and store.lookup("20330033313") is None
    import_padron(write_txt(tmp_path), store)
    assert store.remove() is True
    assert store.info() is None and not store.path.exists() and store.remove() is False


def test_name_search_any_order_accents_case_prefixes_and_ranking(tmp_path: Path, store: PadronStore) -> None:
    import_padron(write_txt(tmp_path), store)

    def names(text: str) -> list[str]:
        return [r.nombre for r in store.search(text).records]

    assert names("carlos garcia") == ["GARCIA CHANCO CARLOS AUGUSTO"]
    assert names("nunez pena maria") == ["NUÑEZ PEÑA MARÍA JOSÉ"]  # no accents typed
    assert names("NÚÑEZ josé") == ["NUÑEZ PEÑA MARÍA JOSÉ"]
    assert names("corp gtm") == ["CORPORACION GTM DEL PERU S.A."]  # prefixes, as while typing
    assert names("circunvalacion") == []  # streets are not names
    assert names("administracion tribut") == [
        "SUPERINTENDENCIA NACIONAL DE ADUANAS Y DE ADMINISTRACIÓN TRIBUTARIA - SUNAT"
    ]
    # whole-word matches first, then names starting with the first word, then fewer other words
    assert names("garcia") == ["garcia ramos luis", "GARCIA CHANCO CARLOS AUGUSTO"]
    assert names("garc") == ["garcia ramos luis", "GARCIA CHANCO CARLOS AUGUSTO"]
    assert names("s.a.c")[:2] == ["ALFA|BETA S.A.C.", "EMPRESA \ufffd RARA S.A.C."]
    assert names("xyz") == [] and names("  ¿? ") == []
    result = store.search("garcia", limit=1)
    assert len(result.records) == 1 and result.candidates == 2 and not result.truncated
