"""UBIGEO → places from the shipped INEI table."""

from __future__ import annotations

from migo_desktop.core.ubigeo import Place, all_places, place, sunat_spelling


def test_known_codes_map_to_their_places_in_sunat_spelling() -> None:
    assert place("150101") == Place("150101", "LIMA", "LIMA", "LIMA")
    assert place(70101) == Place("070101", "CALLAO", "CALLAO", "CALLAO")  # stored as an integer
    assert place("021806") == Place("021806", "ANCASH", "SANTA", "NEPEÑA")
    assert place("021806", accents=True) == Place("021806", "ÁNCASH", "SANTA", "NEPEÑA")
    assert place("130112").distrito == "ALTO TRUJILLO"  # created in 2023, kept by the table


def test_empty_or_unknown_codes_give_nothing() -> None:
    assert place("") is None and place("-") is None and place(None) is None and place("999999") is None


def test_the_table_is_whole() -> None:
    places = all_places()
    assert len(places) == 1891 and [p.code for p in places] == sorted(p.code for p in places)
    assert len({p.departamento for p in places}) == 25 and len({p.code[:4] for p in places}) == 196


def test_sunat_spelling_drops_accents_but_keeps_the_enye() -> None:
    assert sunat_spelling("Huánuco") == "HUANUCO" and sunat_spelling("PARIÑAS") == "PARIÑAS"
