"""Peruvian-looking names for the demo register: companies, people (surnames first), organisations and
streets. Pure functions of a ``random.Random`` the caller seeds from the number, so answers are stable.
"""

from __future__ import annotations

import random

__all__ = ["company_name", "organisation_name", "person_name", "street"]

SURNAMES = (
    "QUISPE", "FLORES", "SANCHEZ", "RODRIGUEZ", "GARCIA", "MAMANI", "HUAMAN", "ROJAS", "GONZALES", "DIAZ",
    "RAMIREZ", "TORRES", "CHAVEZ", "MENDOZA", "VASQUEZ", "CASTILLO", "RAMOS", "LOPEZ", "GUTIERREZ", "CRUZ",
    "ESPINOZA", "VARGAS", "SALAZAR", "CONDORI", "PEREZ", "FERNANDEZ", "MORALES", "HERRERA", "MEDINA",
    "AGUILAR", "CCAMA", "TICONA", "CHOQUE", "HUANCA", "PAREDES", "SILVA", "REYES", "CORDOVA", "ALVARADO",
    "NUÑEZ", "CAMPOS", "CARDENAS", "LEON", "ROMERO", "ORTIZ", "PALOMINO", "VILLANUEVA", "ZEVALLOS",
    "CAHUANA", "INGA", "YUPANQUI", "POMA", "APAZA", "CUSI", "ARANDA", "BENAVIDES", "SOTO", "LUNA",
)  # fmt: skip
MALE_NAMES = (
    "JUAN", "CARLOS", "JOSE", "LUIS", "JORGE", "MIGUEL", "PEDRO", "VICTOR", "CESAR", "JULIO", "RAUL",
    "WILLIAM", "EDWIN", "HUGO", "MARCO ANTONIO", "FERNANDO", "RICARDO", "ALBERTO", "DAVID", "ROBERTO",
    "PERCY", "WILBER", "ELMER", "FREDDY", "DIEGO", "RENZO", "ANGEL", "MANUEL", "ALEJANDRO", "OSCAR",
)  # fmt: skip
FEMALE_NAMES = (
    "MARIA", "ROSA", "ANA", "CARMEN", "JUANA", "LUZ", "ELIZABETH", "GLADYS", "NANCY", "SONIA", "PATRICIA",
    "LUCIA", "MILAGROS", "KATHERINE", "ROCIO", "YOLANDA", "MARTHA", "ISABEL", "GABRIELA", "SOFIA",
    "CAROLINA", "VANESSA", "JESSICA", "FIORELLA", "MARIBEL", "NELLY", "LIZ", "DIANA", "ELENA", "TERESA",
)  # fmt: skip
# "{}" takes a place/brand core; lists kept short and plausible rather than exhaustive.
SECTORS = (
    "INVERSIONES", "CONSTRUCTORA", "COMERCIAL", "DISTRIBUIDORA", "CORPORACION", "AGROINDUSTRIAS",
    "TRANSPORTES", "SERVICIOS GENERALES", "IMPORTACIONES", "GRUPO", "INMOBILIARIA", "INDUSTRIAS",
    "MINERA", "TEXTIL", "LABORATORIOS", "CLINICA", "FERRETERIA", "CONSULTORA", "NEGOCIACIONES",
    "EMPRESA DE TRANSPORTES", "AGRICOLA", "PESQUERA", "INGENIERIA Y CONSTRUCCION", "MULTISERVICIOS",
    "REPRESENTACIONES", "INVERSIONES Y SERVICIOS", "CONSORCIO", "ESTUDIO CONTABLE",
)  # fmt: skip
CORES = (
    "SAN MARTIN", "ANDINA", "DEL PACIFICO", "INCA", "LOS ANDES", "SANTA ROSA", "VIRGEN DE GUADALUPE",
    "SEÑOR DE LOS MILAGROS", "EL SOL", "CHAVIN", "MOCHICA", "TAWANTINSUYO", "HUASCARAN", "MISTI",
    "AMAZONICA", "LA ESPERANZA", "SAN JOSE", "SANTA CATALINA", "NUEVO HORIZONTE", "MACHU PICCHU",
    "CHIMU", "PARACAS", "TITICACA", "SAN FRANCISCO", "VIRGEN DEL CARMEN", "LOS PINOS", "EL ROBLE",
    "CONTINENTAL", "INTERAMERICANA", "LATINA", "PERUANA", "SURANDINA", "NORPERUANA", "ALTIPLANO",
)  # fmt: skip
QUALIFIERS = ("DEL NORTE", "DEL SUR", "DEL PERU", "DEL CENTRO", "GLOBAL", "E HIJOS", "PERU")
FORMS = (("S.A.C.", 45), ("E.I.R.L.", 25), ("S.R.L.", 15), ("S.A.", 12), ("S.A.A.", 3))
ORGANISATIONS = (
    "ASOCIACION DE COMERCIANTES", "ASOCIACION CIVIL", "COOPERATIVA AGRARIA", "COMUNIDAD CAMPESINA",
    "JUNTA DE USUARIOS", "ASOCIACION DE VIVIENDA", "IGLESIA EVANGELICA", "INSTITUTO", "FUNDACION",
    "ASOCIACION DE PRODUCTORES", "CLUB DEPORTIVO", "COLEGIO PARTICULAR",
)  # fmt: skip
VIA_TYPES = (("AV.", 40), ("JR.", 25), ("CAL.", 22), ("PJ.", 8), ("CAR.", 5))
STREETS = (
    "JAVIER PRADO ESTE", "AREQUIPA", "GRAU", "BOLOGNESI", "JOSE GALVEZ", "28 DE JULIO", "LAS BEGONIAS",
    "PETIT THOUARS", "AVIACION", "TUPAC AMARU", "UNIVERSITARIA", "COLONIAL", "LA MARINA", "BENAVIDES",
    "LARCO", "SAN MARTIN", "ICA", "HUANCAVELICA", "AYACUCHO", "LOS PINOS", "LAS FLORES", "SANTA ROSA",
    "LOS OLIVOS", "CAMINO REAL", "PROLONGACION PACHACUTEC", "SAENZ PEÑA", "MARISCAL CASTILLA", "LIMA",
    "INDEPENDENCIA", "LOS INCAS", "EJERCITO", "ESPAÑA", "AMAZONAS", "LOS JAZMINES", "MICAELA BASTIDAS",
    "JOSE OLAYA", "LEONCIO PRADO", "MIGUEL GRAU", "ALFONSO UGARTE", "CIRCUNVALACION", "PANAMERICANA NORTE",
)  # fmt: skip
ZONES = (
    ("URB.", "SANTA CATALINA"), ("URB.", "LOS FICUS"), ("URB.", "SAN FELIPE"), ("URB.", "EL PINO"),
    ("URB.", "LA CAPULLANA"), ("A.H.", "VILLA MARIA"), ("A.H.", "LOS CEDROS"), ("P.J.", "EL ERMITAÑO"),
    ("COO.", "LAS VERTIENTES"), ("RES.", "SAN FELIPE"), ("ASOC.", "LOS ROSALES"), ("URB.", "PANDO"),
)  # fmt: skip


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    roll = rng.random() * sum(w for _, w in options)
    for option, weight in options:
        if roll < weight:
            return option
        roll -= weight
    return options[-1][0]


def person_name(rng: random.Random) -> str:
    """'QUISPE MAMANI JUAN CARLOS': paternal and maternal surnames, then one or two given names."""
    first, second = rng.choice(SURNAMES), rng.choice(SURNAMES)
    names = MALE_NAMES if rng.random() < 0.5 else FEMALE_NAMES
    given = rng.choice(names)
    if " " not in given and rng.random() < 0.55:
        other = rng.choice(names)
        if other != given:
            given = f"{given} {other}"
    return f"{first} {second} {given}"


def company_name(rng: random.Random) -> str:
    """'INVERSIONES SAN MARTIN DEL NORTE S.A.C.', 'COMERCIAL QUISPE HNOS S.R.L.', …"""
    sector = rng.choice(SECTORS)
    form = _weighted(rng, FORMS)
    roll = rng.random()
    if roll < 0.25:
        family = rng.choice(SURNAMES)
        tail = rng.choice(("HNOS", "& ASOCIADOS", "E HIJOS", ""))
        core = f"{family} {tail}".strip()
    elif roll < 0.35:
        core = f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
    else:
        core = rng.choice(CORES)
        if rng.random() < 0.3:
            core = f"{core} {rng.choice(QUALIFIERS)}"
    if form == "E.I.R.L." and rng.random() < 0.3:
        return f"{sector} {core} EMPRESA INDIVIDUAL DE RESPONSABILIDAD LIMITADA"
    return f"{sector} {core} {form}"


def organisation_name(rng: random.Random) -> str:
    """Prefixes 15/16/17: associations, communities, cooperatives."""
    return f"{rng.choice(ORGANISATIONS)} {rng.choice(CORES)}"


def street(rng: random.Random) -> dict[str, str]:
    """Address parts as the padrón has them; '-' for empty. Zone code goes in codigo_de_zona."""
    parts = dict.fromkeys(
        ("tipo_de_via", "nombre_de_via", "codigo_de_zona", "tipo_de_zona", "numero", "interior", "lote",
         "dpto", "manzana", "kilometro"),
        "-",
    )  # fmt: skip
    parts["tipo_de_via"] = _weighted(rng, VIA_TYPES)
    parts["nombre_de_via"] = rng.choice(STREETS)
    if parts["tipo_de_via"] == "CAR." and rng.random() < 0.6:
        parts["kilometro"] = str(rng.randint(1, 60))
    elif rng.random() < 0.15:
        parts["manzana"] = rng.choice("ABCDEFGHJK")
        parts["lote"] = str(rng.randint(1, 40))
    else:
        choices = (rng.randint(100, 999), rng.randint(1000, 4999), rng.randint(1, 99))
        parts["numero"] = str(rng.choice(choices))
    if rng.random() < 0.2:
        parts["interior"] = str(rng.choice((rng.randint(101, 1205), rng.randint(1, 9))))
    elif rng.random() < 0.08:
        parts["dpto"] = str(rng.randint(101, 904))
    if rng.random() < 0.35:
        parts["codigo_de_zona"], parts["tipo_de_zona"] = rng.choice(ZONES)
    return parts
