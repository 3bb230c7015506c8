"""Real INEI ubigeos (departamento/provincia/distrito), spelled the way SUNAT writes them (upper case, no
accents except Ñ). Pure data: the demo picks an address location from here, weighted towards Lima like the
real register.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

__all__ = ["DEPARTMENTS", "UBIGEOS", "Ubigeo", "by_code", "pick_ubigeo"]

# INEI department codes (first two digits of every ubigeo).
DEPARTMENTS: dict[str, str] = {
    "01": "AMAZONAS",
    "02": "ANCASH",
    "03": "APURIMAC",
    "04": "AREQUIPA",
    "05": "AYACUCHO",
    "06": "CAJAMARCA",
    "07": "CALLAO",
    "08": "CUSCO",
    "09": "HUANCAVELICA",
    "10": "HUANUCO",
    "11": "ICA",
    "12": "JUNIN",
    "13": "LA LIBERTAD",
    "14": "LAMBAYEQUE",
    "15": "LIMA",
    "16": "LORETO",
    "17": "MADRE DE DIOS",
    "18": "MOQUEGUA",
    "19": "PASCO",
    "20": "PIURA",
    "21": "PUNO",
    "22": "SAN MARTIN",
    "23": "TACNA",
    "24": "TUMBES",
    "25": "UCAYALI",
}


@dataclass(frozen=True, slots=True)
class Ubigeo:
    code: str
    departamento: str
    provincia: str
    distrito: str
    weight: int  # relative frequency in the demo register


def _u(code: str, provincia: str, distrito: str, weight: int = 1) -> Ubigeo:
    return Ubigeo(code, DEPARTMENTS[code[:2]], provincia, distrito, weight)


UBIGEOS: tuple[Ubigeo, ...] = (
    # Lima Metropolitana
    _u("150101", "LIMA", "LIMA", 12),
    _u("150103", "LIMA", "ATE", 6),
    _u("150104", "LIMA", "BARRANCO", 2),
    _u("150105", "LIMA", "BREÑA", 3),
    _u("150108", "LIMA", "CHORRILLOS", 3),
    _u("150110", "LIMA", "COMAS", 4),
    _u("150113", "LIMA", "JESUS MARIA", 3),
    _u("150114", "LIMA", "LA MOLINA", 3),
    _u("150115", "LIMA", "LA VICTORIA", 6),
    _u("150116", "LIMA", "LINCE", 3),
    _u("150117", "LIMA", "LOS OLIVOS", 5),
    _u("150120", "LIMA", "MAGDALENA DEL MAR", 2),
    _u("150121", "LIMA", "PUEBLO LIBRE", 2),
    _u("150122", "LIMA", "MIRAFLORES", 6),
    _u("150125", "LIMA", "PUENTE PIEDRA", 2),
    _u("150128", "LIMA", "RIMAC", 2),
    _u("150130", "LIMA", "SAN BORJA", 3),
    _u("150131", "LIMA", "SAN ISIDRO", 7),
    _u("150132", "LIMA", "SAN JUAN DE LURIGANCHO", 5),
    _u("150133", "LIMA", "SAN JUAN DE MIRAFLORES", 3),
    _u("150135", "LIMA", "SAN MARTIN DE PORRES", 5),
    _u("150136", "LIMA", "SAN MIGUEL", 3),
    _u("150137", "LIMA", "SANTA ANITA", 2),
    _u("150140", "LIMA", "SANTIAGO DE SURCO", 6),
    _u("150141", "LIMA", "SURQUILLO", 2),
    _u("150142", "LIMA", "VILLA EL SALVADOR", 3),
    _u("150143", "LIMA", "VILLA MARIA DEL TRIUNFO", 2),
    # Lima provincias
    _u("150201", "BARRANCA", "BARRANCA"),
    _u("150501", "CAÑETE", "SAN VICENTE DE CAÑETE"),
    _u("150601", "HUARAL", "HUARAL"),
    _u("150801", "HUAURA", "HUACHO"),
    # Callao
    _u("070101", "CALLAO", "CALLAO", 4),
    _u("070102", "CALLAO", "BELLAVISTA", 2),
    _u("070106", "CALLAO", "VENTANILLA", 2),
    # Arequipa
    _u("040101", "AREQUIPA", "AREQUIPA", 4),
    _u("040103", "AREQUIPA", "CAYMA", 2),
    _u("040104", "AREQUIPA", "CERRO COLORADO", 2),
    _u("040112", "AREQUIPA", "PAUCARPATA", 2),
    _u("040126", "AREQUIPA", "YANAHUARA", 1),
    _u("040129", "AREQUIPA", "JOSE LUIS BUSTAMANTE Y RIVERO", 2),
    # Cusco
    _u("080101", "CUSCO", "CUSCO", 3),
    _u("080104", "CUSCO", "SAN JERONIMO"),
    _u("080105", "CUSCO", "SAN SEBASTIAN", 2),
    _u("080108", "CUSCO", "WANCHAQ", 2),
    _u("080601", "CANCHIS", "SICUANI"),
    _u("081301", "URUBAMBA", "URUBAMBA"),
    # La Libertad
    _u("130101", "TRUJILLO", "TRUJILLO", 4),
    _u("130102", "TRUJILLO", "EL PORVENIR"),
    _u("130105", "TRUJILLO", "LA ESPERANZA"),
    _u("130111", "TRUJILLO", "VICTOR LARCO HERRERA"),
    _u("130401", "CHEPEN", "CHEPEN"),
    # Piura
    _u("200101", "PIURA", "PIURA", 3),
    _u("200104", "PIURA", "CASTILLA", 2),
    _u("200115", "PIURA", "VEINTISEIS DE OCTUBRE"),
    _u("200501", "PAITA", "PAITA"),
    _u("200601", "SULLANA", "SULLANA", 2),
    _u("200701", "TALARA", "PARIÑAS"),
    # Lambayeque
    _u("140101", "CHICLAYO", "CHICLAYO", 3),
    _u("140105", "CHICLAYO", "JOSE LEONARDO ORTIZ", 2),
    _u("140106", "CHICLAYO", "LA VICTORIA"),
    _u("140201", "FERREÑAFE", "FERREÑAFE"),
    _u("140301", "LAMBAYEQUE", "LAMBAYEQUE"),
    # Junín
    _u("120101", "HUANCAYO", "HUANCAYO", 3),
    _u("120107", "HUANCAYO", "CHILCA"),
    _u("120114", "HUANCAYO", "EL TAMBO", 2),
    _u("120301", "CHANCHAMAYO", "CHANCHAMAYO"),
    _u("120401", "JAUJA", "JAUJA"),
    _u("120701", "TARMA", "TARMA"),
    # Other regions
    _u("010101", "CHACHAPOYAS", "CHACHAPOYAS"),
    _u("020101", "HUARAZ", "HUARAZ"),
    _u("021801", "SANTA", "CHIMBOTE", 2),
    _u("021809", "SANTA", "NUEVO CHIMBOTE"),
    _u("030101", "ABANCAY", "ABANCAY"),
    _u("050101", "HUAMANGA", "AYACUCHO"),
    _u("060101", "CAJAMARCA", "CAJAMARCA", 2),
    _u("090101", "HUANCAVELICA", "HUANCAVELICA"),
    _u("100101", "HUANUCO", "HUANUCO"),
    _u("110101", "ICA", "ICA", 2),
    _u("110201", "CHINCHA", "CHINCHA ALTA"),
    _u("110501", "PISCO", "PISCO"),
    _u("160101", "MAYNAS", "IQUITOS", 2),
    _u("170101", "TAMBOPATA", "TAMBOPATA"),
    _u("180101", "MARISCAL NIETO", "MOQUEGUA"),
    _u("180301", "ILO", "ILO"),
    _u("190101", "PASCO", "CHAUPIMARCA"),
    _u("210101", "PUNO", "PUNO"),
    _u("211101", "SAN ROMAN", "JULIACA", 2),
    _u("220101", "MOYOBAMBA", "MOYOBAMBA"),
    _u("220901", "SAN MARTIN", "TARAPOTO", 2),
    _u("230101", "TACNA", "TACNA", 2),
    _u("240101", "TUMBES", "TUMBES"),
    _u("250101", "CORONEL PORTILLO", "CALLERIA", 2),
)

_BY_CODE = {u.code: u for u in UBIGEOS}
_CUMULATIVE: list[int] = []
_total = 0
for _item in UBIGEOS:
    _total += _item.weight
    _CUMULATIVE.append(_total)


def pick_ubigeo(value: int) -> Ubigeo:
    """A weighted, deterministic choice driven by any non-negative integer (e.g. a hash)."""
    return UBIGEOS[bisect.bisect_right(_CUMULATIVE, value % _total)]


def by_code(code: str) -> Ubigeo | None:
    return _BY_CODE.get(code)
