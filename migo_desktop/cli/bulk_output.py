"""What `migo bulk`, `resume` and `export` write, and where: the output kind (`--como libro|tabla`), the
default name beside the source, the allowed suffixes; the import report as Spanish lines; the --json
dictionaries of a run and of a stored job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.errors import InputError
from ..core.jobs import ExportKind, default_output
from ..core.models import LookupStatus
from ..core.progress import JobSummary
from ..core.store import JobRecord
from ..excel.plan import ImportReport

__all__ = ["KINDS", "job_dict", "report_json", "report_lines", "resolve_output", "summary_dict"]

KINDS = tuple(k.value for k in ExportKind)
_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")


def resolve_output(source: Path, salida: str | None, kind: ExportKind) -> Path:
    """The output path: ``-o`` if given, else `<source>_resultados.xlsx` beside the source."""
    output = Path(salida) if salida else default_output(source, kind)
    suffix = output.suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(
            "El archivo de salida debe terminar en .xlsx o .csv (por ejemplo: -o resultado.xlsx)."
        )
    macro = source.suffix.lower() == ".xlsm"
    if suffix == ".xlsm" and not (macro and kind is ExportKind.LIBRO):
        raise InputError("Solo tu propio libro con macros se guarda como .xlsm; usa .xlsx.")
    if suffix == ".xlsx" and macro and kind is ExportKind.LIBRO:
        raise InputError(
            "Tu archivo tiene macros (.xlsm): guarda el resultado como .xlsm (por ejemplo: -o "
            f"{source.stem}_resultados.xlsm) o usa «--como tabla»."
        )
    return output


def report_lines(report: ImportReport) -> list[str]:
    """«Informe de importación»: every category with its count, and why rows were skipped or are invalid."""
    return report.text_lines()


def report_json(report: ImportReport) -> dict[str, Any]:
    return report.to_dict()


def summary_dict(summary: JobSummary, output: Path | None, report: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ejecucion": summary.job_id, "estado": summary.state.value, "completa": summary.completed,
        "filas": summary.total, "conteos": {s.value: summary.counts.get(s, 0) for s in LookupStatus},
        "consultas_api": summary.requests, "desde_cache": summary.cache_hits, "reintentos": summary.retries,
        "mensaje": summary.message, "salida": str(output) if output else None,
    }  # fmt: skip
    if report is not None:
        out["informe_importacion"] = report  # every source row by its own row number
    return out


def job_dict(j: JobRecord) -> dict[str, Any]:
    return {
        "id": j.id, "archivo": j.source_name, "hoja": j.sheet, "estado": j.state.value,
        "creado": j.created_at.isoformat(sep=" ", timespec="seconds"),
        "terminado": j.finished_at.isoformat(sep=" ", timespec="seconds") if j.finished_at else None,
        "filas": j.total, "conteos": {s.value: n for s, n in j.counts.items()}, "consultas_api": j.api_calls,
        "desde_cache": j.cache_hits, "reintentos": j.retries, "mensaje": j.last_message,
        "salida": j.output_path,
    }  # fmt: skip
