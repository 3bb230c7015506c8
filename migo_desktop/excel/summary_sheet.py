"""The summary sheet both export kinds carry («Resumen» in the results workbook, «Resumen Migo» appended to
the user's own): source, date, counts per result, estado, condición and apto, API calls, rows needing a look.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..core.models import LookupStatus, Taxpayer
from .results import APTO, ExportRow, ExportSummary
from .styles import STATUS_STYLE, Style

__all__ = ["DEMO_NOTE", "Tally", "summary_rows"]

DEMO_NOTE = "Datos de demostración"


class Tally:
    def __init__(self) -> None:
        self.status: Counter[LookupStatus] = Counter()
        self.estado: Counter[str] = Counter()
        self.condicion: Counter[str] = Counter()
        self.apto: Counter[str] = Counter()
        self.rows = 0
        self.attention = 0

    def add(self, row: ExportRow, enrich: list[Any], attention: bool = False) -> None:
        self.rows += 1
        self.status[row.status] += 1
        self.attention += attention
        if isinstance(row.data, Taxpayer):
            self.estado[row.data.estado or "(sin dato)"] += 1
            self.condicion[row.data.condicion or "(sin dato)"] += 1
            self.apto[enrich[APTO]] += 1


def summary_rows(summary: ExportSummary, tally: Tally) -> list[list[tuple[Any, int]]]:
    out: list[list[tuple[Any, int]]] = []
    if summary.demo:
        out.append([(DEMO_NOTE, Style.DEMO)])
        out.append([("Estos datos son simulados (modo demostración); no provienen de SUNAT.", Style.DEMO)])
        out.append([])
    out.append([("Resumen de la consulta", Style.TITLE)])
    out.append([("Archivo de origen", Style.HEADER), (summary.source_name, Style.TEXT)])
    out.append([("Fecha de exportación", Style.HEADER), (summary.created_at, 0)])
    if summary.job_id is not None:
        out.append([("Consulta masiva n.º", Style.HEADER), (summary.job_id, 0)])
    out.append([("Filas", Style.HEADER), (tally.rows, 0)])
    out.append([])
    out.append([("Resultado", Style.HEADER), ("Filas", Style.HEADER)])
    for status in LookupStatus:
        out.append([(status.label, STATUS_STYLE[status]), (tally.status.get(status, 0), 0)])
    for title, counter in (("Estado", tally.estado), ("Condición", tally.condicion), ("Apto", tally.apto)):
        out.append([])
        out.append(
            [("Apto para facturar" if title == "Apto" else title, Style.HEADER), ("Filas", Style.HEADER)]
        )
        for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append([(key, 0), (count, 0)])
    out.append([])
    out.append([("Consultas a la API", Style.HEADER), (summary.api_calls, 0)])
    out.append([("Respuestas desde la caché", Style.HEADER), (summary.cache_hits, 0)])
    out.append([("Filas que requieren atención", Style.HEADER), (tally.attention, 0)])
    return out
