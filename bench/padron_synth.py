"""A synthetic padrón in SUNAT's real format, zipped like SUNAT's, for bench/padron.py.

Shape taken from the real file: ~82 bytes a line; about 8 in 10 RUCs are natural persons (prefix 10), most
with no address; companies (20) mostly with one; cp1252 text with accents and Ñ; a header; sorted by RUC;
a few duplicated RUCs, lowercase names, stray ``|`` in names and ``----`` empties. Deterministic (seeded).
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

from migo_desktop.core.padron.lines import HEADER
from migo_desktop.core.ubigeo import all_places

SURNAMES = [
    "GARCIA",
    "RODRIGUEZ",
    "FLORES",
    "QUISPE",
    "MAMANI",
    "SANCHEZ",
    "RAMIREZ",
    "TORRES",
    "CHAVEZ",
    "VASQUEZ",
    "ROJAS",
    "DIAZ",
    "MENDOZA",
    "GONZALES",
    "CASTILLO",
    "HUAMAN",
    "LOPEZ",
    "PEREZ",
    "GUTIERREZ",
    "RAMOS",
    "ESPINOZA",
    "CRUZ",
    "MORALES",
    "VARGAS",
    "CONDORI",
    "HERNANDEZ",
    "SALAZAR",
    "REYES",
    "CASTRO",
    "FERNANDEZ",
    "ROMERO",
    "RIVERA",
    "MEDINA",
    "MARTINEZ",
    "ALVAREZ",
    "SOTO",
    "JIMENEZ",
    "SILVA",
    "VILLANUEVA",
    "TAPIA",
    "CHOQUE",
    "YUPANQUI",
    "HUANCA",
    "PAREDES",
    "CARDENAS",
    "CCAHUANA",
    "NUÑEZ",
    "ORTIZ",
    "AGUILAR",
    "CAMPOS",
    "RUIZ",
    "CORDOVA",
    "VEGA",
    "CHUMPITAZ",
    "LEON",
    "HUERTA",
    "BRAVO",
    "CHANCO",
    "ZAPATA",
    "CABRERA",
    "PALOMINO",
    "ACUÑA",
    "AYALA",
    "MIRANDA",
    "MUÑOZ",
    "NAVARRO",
    "PEÑA",
    "CAHUANA",
    "ARIAS",
    "ARANDA",
    "POMA",
    "TICONA",
    "INGA",
    "CUEVA",
    "CARRASCO",
    "BENITES",
    "SALAS",
    "VALVERDE",
    "MEZA",
    "BARRETO",
    "OCHOA",
    "CARRILLO",
    "BUSTAMANTE",
    "ALARCON",
    "FARFAN",
    "LAZO",
    "MONTES",
]
GIVEN = [
    "JUAN",
    "CARLOS",
    "JOSE",
    "LUIS",
    "MARIA",
    "ROSA",
    "ANA",
    "JORGE",
    "CESAR",
    "MIGUEL",
    "ANGEL",
    "VICTOR",
    "PEDRO",
    "JULIO",
    "MANUEL",
    "JESUS",
    "DAVID",
    "CARMEN",
    "ELENA",
    "LUZ",
    "MARTHA",
    "JULIA",
    "NORMA",
    "GLORIA",
    "SONIA",
    "MARLENE",
    "DORIS",
    "YOLANDA",
    "EDITH",
    "MARIBEL",
    "NANCY",
    "SANDRA",
    "ROCIO",
    "FELIX",
    "RAUL",
    "ALBERTO",
    "AUGUSTO",
    "ERNESTO",
    "HUGO",
    "WILLIAM",
    "EDWIN",
    "JAVIER",
    "RICARDO",
    "OSCAR",
    "FREDY",
    "WILBER",
    "RUBEN",
    "PERCY",
    "MARCO",
    "ELVIS",
    "JHON",
    "ALEX",
    "EDGAR",
    "FRANCISCO",
    "MARIO",
    "SEGUNDO",
    "TEODORO",
    "HILDA",
    "TERESA",
    "CLAUDIA",
    "PATRICIA",
    "ROXANA",
    "SUSANA",
    "FLOR",
    "MÓNICA",
    "ÁNGELA",
    "RAMÓN",
    "HÉCTOR",
    "INÉS",
    "NOEMÍ",
    "ÚRSULA",
    "EFRAÍN",
    "ROCÍO",
    "JOSÉ",
]
WORDS = [
    "CORPORACION",
    "INVERSIONES",
    "SERVICIOS",
    "COMERCIAL",
    "GRUPO",
    "CONSTRUCTORA",
    "DISTRIBUIDORA",
    "TRANSPORTES",
    "INDUSTRIAS",
    "NEGOCIOS",
    "EMPRESA",
    "AGROINDUSTRIAL",
    "MINERA",
    "CONSULTORES",
    "IMPORTADORA",
    "EXPORTADORA",
    "INGENIERIA",
    "TEXTIL",
    "ALIMENTOS",
    "DEL",
    "PERU",
    "ANDINA",
    "PACIFICO",
    "SUR",
    "NORTE",
    "ORIENTE",
    "LIMA",
    "AREQUIPA",
    "CUSCO",
    "TRUJILLO",
    "PIURA",
    "SELVA",
    "SIERRA",
    "COSTA",
    "SOLUCIONES",
    "TECNOLOGIA",
    "LOGISTICA",
    "FERRETERIA",
    "FARMACIA",
    "BOTICA",
    "RESTAURANT",
    "HOTEL",
    "AGRICOLA",
    "GANADERA",
    "PESQUERA",
    "INMOBILIARIA",
    "MULTISERVICIOS",
    "GENERALES",
    "ASOCIADOS",
    "HERMANOS",
    "FAMILIA",
    "SAN",
    "SANTA",
    "VIRGEN",
    "SEÑOR",
    "MILAGROS",
    "ESTRELLA",
    "SOL",
    "LUNA",
    "ÁGUILA",
    "CÓNDOR",
    "PUMA",
    "INCA",
    "MACHU",
    "PICCHU",
    "TITICACA",
    "AMAZONAS",
    "CHAVÍN",
    "MOCHE",
    "NAZCA",
    "PARACAS",
    "CHIMÚ",
    "WARI",
    "INTI",
    "PACHAMAMA",
]
FORMS = ["S.A.C.", "S.A.", "E.I.R.L.", "S.R.L.", "S.A.A.", "SAC", "EIRL"]
ESTADOS = ["ACTIVO"] * 6 + ["BAJA DE OFICIO"] * 2 + ["BAJA DEFINITIVA", "SUSPENSION TEMPORAL"]
CONDICIONES = ["HABIDO"] * 7 + ["NO HABIDO", "NO HALLADO", "PENDIENTE"]
VIAS = ["AV.", "JR.", "CAL.", "PJ.", "CAR.", "PRO."]
ZONAS = ["URB.", "P.J.", "A.H.", "COO.", "ASOC.", "Z.I.", "RES."]
SYLLABLES = [
    "LA",
    "MA",
    "RI",
    "TO",
    "NE",
    "SU",
    "CA",
    "PE",
    "DO",
    "BI",
    "RA",
    "LU",
    "MI",
    "SO",
    "TE",
    "VA",
    "QUI",
    "CHI",
    "HUA",
    "PA",
    "YU",
]


def _check_digit(body: str) -> str:
    total = sum(int(d) * w for d, w in zip(body, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def _coined(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _lines(count: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    ubigeos = [p.code for p in all_places()]
    plan = [("10", 0.80), ("15", 0.02), ("17", 0.01), ("20", 0.17)]
    emitted = 0
    for prefix, share in plan:
        quota = count - emitted if prefix == "20" else int(count * share)
        body = int(prefix) * 10**8 + 1_000_000
        step = max(1, (10**8 - 2_000_000) // max(quota, 1))
        for i in range(quota):
            body += rng.randint(1, step * 2 - 1) if step > 1 else 1
            head = str(body)
            ruc = head + _check_digit(head)
            if prefix == "10":
                name = " ".join(
                    (rng.choice(SURNAMES), rng.choice(SURNAMES), rng.choice(GIVEN), rng.choice(GIVEN))
                )
                has_address = rng.random() < 0.08
            else:
                words = [rng.choice(WORDS) for _ in range(rng.randint(1, 3))] + [_coined(rng)]
                rng.shuffle(words)
                name = " ".join(words) + " " + rng.choice(FORMS)
                has_address = rng.random() < 0.7
            if i % 5000 == 7:
                name = name.lower()
            if i % 200_003 == 11:
                name = name.replace(" ", " | ", 1)  # a stray pipe inside the name
            estado, condicion = rng.choice(ESTADOS), rng.choice(CONDICIONES)
            if has_address:
                zone = rng.random() < 0.4
                address = [
                    rng.choice(ubigeos),
                    rng.choice(VIAS),
                    f"{rng.choice(WORDS)} {rng.choice(SURNAMES)}",
                    rng.choice(ZONAS) if zone else "-",
                    f"{rng.choice(WORDS)} {rng.choice(WORDS)}" if zone else "-",
                    str(rng.randint(1, 3000)) if rng.random() < 0.8 else "-",
                    str(rng.randint(100, 1900)) if rng.random() < 0.2 else "-",
                    str(rng.randint(1, 40)) if rng.random() < 0.15 else "-",
                    str(rng.randint(100, 900)) if rng.random() < 0.15 else "----",
                    rng.choice("ABCDEFGH") if rng.random() < 0.15 else "-",
                    "-",
                ]
            else:
                address = ["-"] * 11
            line = f"{ruc}|{name}|{estado}|{condicion}|{'|'.join(address)}|"
            yield line
            if i % 1_000_003 == 5:
                yield line.replace(estado, "ACTIVO")  # the same RUC again
        emitted += quota


def write_zip(path: Path, count: int, seed: int = 13) -> int:
    """Write ``padron_reducido_ruc.txt`` with ``count`` data lines (+ header) inside a ZIP; return its
    uncompressed size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    size = 0
    with (
        zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("padron_reducido_ruc.txt", "w", force_zip64=True) as member,
    ):
        buffer: list[str] = [HEADER]
        for line in _lines(count, seed):
            buffer.append(line)
            if len(buffer) >= 50_000:
                data = ("\n".join(buffer) + "\n").encode("cp1252")
                member.write(data)
                size += len(data)
                buffer = []
        data = ("\n".join(buffer) + "\n").encode("cp1252")
        member.write(data)
        size += len(data)
    tmp.replace(path)
    return size
