"""`migo bulk`, `migo jobs`, `migo resume`, `migo export`: the bulk engine from the command line.

Rerunning the same `migo bulk` command resumes the unfinished job for the same file, sheet and column
(answers already stored are never paid again); a completed job rerun is served from the cache.
Exit codes (DESIGN.md §3): 0 done, 1 unexpected, 2 usage/input, 3 auth/quota, 4 incomplete, 130 Ctrl-C.
Results and the final summary go to stdout; progress, notices and warnings to stderr.

Ctrl-C stops cleanly: no new row is started, the requests already sent get a few seconds to answer and are
stored (they were paid for), a partial file is written and the exit code is 130; a second Ctrl-C stops at
once. ``migo resume`` writes to the job's own output file (stored when the run starts).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO

from ..core.engine import BulkEngine
from ..core.errors import InputError
from ..core.jobs import ExportKind, export_job
from ..core.models import LookupStatus
from ..core.numbers import fmt_dec, fmt_duration, fmt_int, fmt_percent, fmt_seconds
from ..core.progress import JobSummary, Progress, StopReason
from ..core.settings import ApiSettings
from ..core.store import JobRecord, JobState, Store
from ..paths import app_paths
from .bulk_output import KINDS, job_dict, report_json, report_lines, resolve_output, summary_dict
from .bulk_sources import add_source_option, padron_client_options, padron_only_settings, padron_resolver
from .bulk_stop import INTERRUPTED, ctrl_c_drains
from .common import (
    DEMO_NOTE,
    EXIT_AUTH,
    EXIT_CODES_TEXT,
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    add_common_options,
    open_client,
    resolve_settings,
    run_cli,
)

__all__ = ["DRAIN_SECONDS", "ProgressPrinter", "register", "summary_text"]

DRAIN_SECONDS = 5.0  # after Ctrl-C, how long the answers already asked for may take (they are paid)

_ORDER = (LookupStatus.OK, LookupStatus.NOT_FOUND, LookupStatus.INVALID, LookupStatus.DUPLICATE,
          LookupStatus.ERROR, LookupStatus.PENDING)  # fmt: skip


_n = fmt_int  # es-PE, as SUNAT publishes numbers and as the desktop shows them
_duration = fmt_duration


class ProgressPrinter:
    """A bar on a TTY (redrawn in place), else one plain line every ``every`` seconds."""

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None, every: float = 5.0) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.every = every
        self._last = -float("inf")
        self._drawn = False
        self._done = 0  # never shown going backwards (rows put back to pending, e.g. a network pause)

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        final = p.state is not JobState.RUNNING and p.message != ""
        if not self.tty and not final and now - self._last < self.every:
            return
        self._last = now
        self._done = done = min(p.total, max(self._done, p.done))
        fraction = done / p.total if p.total else 1.0
        text = (
            f"{fmt_percent(fraction):>7} {_n(done)}/{_n(p.total)} · {fmt_dec(p.rate, 0)} consultas/s · "
            f"quedan {_duration(p.eta_seconds)} · caché {_n(p.cache_hits)} · reintentos {_n(p.retries)}"
        )
        if self.tty:
            width = 24
            filled = int(width * fraction)
            self.stream.write("\r\x1b[2K[" + "#" * filled + "." * (width - filled) + "] " + text)
            self._drawn = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def summary_text(summary: JobSummary, job: JobRecord | None, output: Path | None) -> str:
    counts = " · ".join(f"{s.label}: {_n(summary.counts.get(s, 0))}" for s in _ORDER)
    name = f" ({job.source_name})" if job else ""
    lines = [
        f"Consulta masiva n.º {summary.job_id}{name}: {summary.message}",
        f"  {counts}",
        f"  Consultas a la API: {_n(summary.requests)} · desde caché: {_n(summary.cache_hits)} · "
        f"reintentos: {_n(summary.retries)} · tiempo: {fmt_seconds(summary.elapsed)}",
    ]
    for reason, count in sorted(summary.errors.items(), key=lambda kv: -kv[1])[:5]:
        lines.append(f"  ERROR × {_n(count)}: {reason}")
    if output is not None:
        lines.append(f"  Archivo guardado: {output}")
    if not summary.completed:
        lines.append(f"  Para continuar: migo resume {summary.job_id}  (o repite el mismo comando)")
    return "\n".join(lines)


def exit_code(summary: JobSummary, *, interrupted: bool = False) -> int:
    if summary.completed:
        return EXIT_OK
    if interrupted:
        return EXIT_INTERRUPTED
    if summary.reason in (StopReason.AUTH, StopReason.QUOTA):
        return EXIT_AUTH
    return EXIT_INCOMPLETE


# -- commands ------------------------------------------------------------------------------------------------
def _store() -> Store:
    store = Store(app_paths().ensure().database)  # a damaged database is set aside and a new one made
    if store.notice:
        print(f"Aviso: {store.notice}", file=sys.stderr)
    return store


def _refuse_source_as_output(source: Path, output: Path | None) -> None:
    """Checked before anything is read or paid for (it used to fail only at the export, after the run)."""
    if output is None:
        return
    same = output.absolute() == source.absolute()
    if not same and output.exists() and source.exists():
        same = os.path.samefile(output, source)
    if same:
        raise InputError(
            f"La salida «{output.name}» es el mismo archivo de entrada: nunca se escribe sobre tu archivo. "
            "Elige otro nombre con -o (por ejemplo: -o resultado.xlsx)."
        )


def _settings(args: argparse.Namespace) -> ApiSettings:
    settings = padron_only_settings(args) or resolve_settings(args)
    if getattr(args, "rpm", None):
        settings = settings.with_(requests_per_minute=args.rpm)
    return settings


def _kind(args: argparse.Namespace) -> ExportKind:
    return ExportKind(getattr(args, "como", None) or ExportKind.LIBRO)


def _partial(
    args: argparse.Namespace, store: Store, job_id: int, output: Path | None, delimiter: str
) -> None:
    if output is not None:
        export_job(store, job_id, output, kind=_kind(args), delimiter=delimiter)
        store.set_output(job_id, output)
        print(f"Archivo parcial guardado (filas PENDIENTE incluidas): {output}", file=sys.stderr)


async def _export(store: Store, job_id: int, output: Path, delimiter: str, kind: ExportKind) -> Path:
    path = await asyncio.to_thread(export_job, store, job_id, output, kind=kind, delimiter=delimiter)
    store.set_output(job_id, path)
    return path


async def _run_job(args: argparse.Namespace, store: Store, settings: ApiSettings, job_id: int,
                   output: Path | None, report: dict[str, Any] | None = None) -> int:  # fmt: skip
    printer = ProgressPrinter()
    delimiter = getattr(args, "separador", None) or ","
    if output is not None:
        store.set_output(job_id, output)  # a later `migo resume` writes here, even after a kill
    resolver = padron_resolver(args, store, settings)
    async with open_client(settings, **padron_client_options(args)) as client:
        engine = BulkEngine(
            client, store, settings, on_progress=printer, progress_interval=0.2, pre_resolve=resolver
        )
        try:
            with ctrl_c_drains(engine):
                summary = await engine.run(
                    job_id, force_refresh=getattr(args, "sin_cache", False),
                    only_failed=getattr(args, "reintentar_fallidos", False),
                )  # fmt: skip
        except asyncio.CancelledError:  # a second Ctrl-C: the engine saved the state; leave a file too
            printer.close()
            _partial(args, store, job_id, output, delimiter)
            raise KeyboardInterrupt from None
    printer.close()
    if resolver is not None and resolver.answered:
        print(f"Respondidas con el padrón SUNAT (gratis): {_n(resolver.answered)}", file=sys.stderr)
    interrupted = engine.stopping and summary.pending > 0  # the first Ctrl-C: in-flight answers were saved
    if interrupted:
        print(INTERRUPTED, file=sys.stderr)
    written = await _export(store, job_id, output, delimiter, _kind(args)) if output is not None else None
    if settings.demo:
        print(DEMO_NOTE, file=sys.stderr)
    if interrupted and written is not None and not summary.completed:
        print(f"Archivo parcial guardado (filas PENDIENTE incluidas): {written}", file=sys.stderr)
    if summary.reason not in (None, StopReason.CANCELLED):  # why it stopped also reaches a piped run's log
        print(f"Aviso: {summary.message}", file=sys.stderr)
    text = summary_text(summary, store.get_job(job_id), written)
    if getattr(args, "json", False):  # the JSON is the result (stdout); the words go with the notices
        import json

        print(text, file=sys.stderr)
        print(json.dumps(summary_dict(summary, written, report), ensure_ascii=False, indent=2))
    else:
        print(text)  # the result: stdout
    return exit_code(summary, interrupted=interrupted)


async def _bulk(args: argparse.Namespace) -> int:
    from ..excel.reader import build_plan

    source = Path(args.entrada)
    output = resolve_output(source, args.salida, _kind(args))
    if not source.is_file():
        raise InputError(f"No se encontró el archivo «{source}». Revisa la ruta.")
    _refuse_source_as_output(source, output)
    settings = _settings(args)
    plan = await asyncio.to_thread(
        build_plan, source, sheet=args.hoja, header_row=args.fila_encabezado, column=args.columna
    )
    for warning in plan.warnings:
        print(f"Aviso: {warning}", file=sys.stderr)
    report = plan.report()
    for line in report_lines(report):
        print(line, file=sys.stderr)
    with _store() as store:
        job = store.find_resumable(plan.source_hash, plan.sheet, plan.id_column)
        if job is not None:
            print(
                f"Reanudando la consulta masiva n.º {job.id}: {_n(job.total - job.pending)} de "
                f"{_n(job.total)} filas ya resueltas (no se vuelven a consultar).",
                file=sys.stderr,
            )
            job_id = job.id
        else:
            job_id = await asyncio.to_thread(store.create_job, plan, settings)
            t = plan.totals
            print(
                f"Consulta masiva n.º {job_id}: {_n(t.rows)} filas · "
                f"{_n(t.valid_unique_ruc + t.valid_unique_dni)} por consultar · {_n(t.invalid)} inválidas · "
                f"{_n(t.duplicates)} duplicadas.",
                file=sys.stderr,
            )
        return await _run_job(args, store, settings, job_id, output, report_json(report))


async def _resume(args: argparse.Namespace) -> int:
    with _store() as store:
        job = store.get_job(args.job)
        if job is None:
            raise InputError(
                f"No existe la consulta masiva n.º {args.job}. Usa «migo jobs» para ver las que hay."
            )
        source = Path(job.source_path)
        if args.salida or not job.output_path:  # no file of its own (a run started in the app): the default
            output: Path | None = (
                resolve_output(source, args.salida, _kind(args)) if job.source_path else None
            )
        else:
            output = Path(job.output_path)  # the job's own file, where its run was writing
        _refuse_source_as_output(source, output)
        settings = _settings(args)
        return await _run_job(args, store, settings, job.id, output)


async def _export_cmd(args: argparse.Namespace) -> int:
    with _store() as store:
        job = store.get_job(args.job)
        if job is None:
            raise InputError(
                f"No existe la consulta masiva n.º {args.job}. Usa «migo jobs» para ver las que hay."
            )
        output = resolve_output(Path(job.source_path), args.salida, _kind(args))
        path = await _export(store, args.job, output, args.separador or ",", _kind(args))
        job = store.get_job(args.job)
        pending = job.pending if job else 0
        note = f" ({_n(pending)} filas PENDIENTE: la consulta masiva no terminó)" if pending else ""
        print(f"Archivo guardado: {path}{note}")
    return EXIT_OK


def _jobs(args: argparse.Namespace) -> int:
    with _store() as store:
        jobs = store.list_jobs(args.limite)
    if args.json:
        import json

        print(json.dumps([job_dict(j) for j in jobs], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not jobs:
        print("Todavía no hay consultas masivas. Empieza con: migo bulk ARCHIVO.xlsx -o resultado.xlsx")
        return EXIT_OK
    head = f"{'ID':>4}  {'Fecha':<16}  {'Estado':<10}  {'Filas':>7}  {'OK':>7}  {'No enc.':>7}  " \
           f"{'Inválid.':>8}  {'Dup.':>6}  {'Error':>6}  {'Pend.':>7}  {'Consultas':>9}  Archivo"  # fmt: skip
    print(head)
    for j in jobs:
        c = j.counts
        print(
            f"{j.id:>4}  {j.created_at:%d/%m/%Y %H:%M}  {j.state.label:<10}  {_n(j.total):>7}  "
            f"{_n(c.get(LookupStatus.OK, 0)):>7}  {_n(c.get(LookupStatus.NOT_FOUND, 0)):>7}  "
            f"{_n(c.get(LookupStatus.INVALID, 0)):>8}  {_n(c.get(LookupStatus.DUPLICATE, 0)):>6}  "
            f"{_n(c.get(LookupStatus.ERROR, 0)):>6}  {_n(c.get(LookupStatus.PENDING, 0)):>7}  "
            f"{_n(j.api_calls):>9}  {j.source_name}"
        )
    return EXIT_OK


# -- argparse ------------------------------------------------------------------------------------------------
def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"número entero no válido: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("debe ser 1 o más")
    return value


def _column(text: str) -> int | str:
    return int(text) - 1 if text.isdigit() else text


def _runner(
    coro_factory: Callable[[argparse.Namespace], Awaitable[int | None]],
) -> Callable[[argparse.Namespace], int]:
    return lambda args: run_cli(lambda: coro_factory(args), verbose=getattr(args, "verbose", 0))


def register(subparsers: Any) -> None:
    bulk = subparsers.add_parser(
        "bulk",
        help="consulta masiva de RUC/DNI desde un Excel o CSV",
        description="Consulta todos los RUC/DNI de una hoja y guarda un Excel con los resultados. Si se "
        "interrumpe, repite el mismo comando: continúa donde quedó sin volver a pagar lo ya consultado.",
        epilog=EXIT_CODES_TEXT,
    )
    bulk.add_argument("entrada", metavar="ENTRADA", help="archivo .xlsx, .xls, .ods, .csv o .txt")
    bulk.add_argument(
        "-o", "--salida", metavar="SALIDA",
        help="resultado .xlsx o .csv (por defecto ENTRADA_resultados.xlsx junto a la entrada)",
    )  # fmt: skip
    bulk.add_argument(
        "--como",
        choices=KINDS,
        metavar="libro|tabla",
        help="libro: tu mismo archivo con columnas nuevas (por defecto); tabla: un libro de resultados nuevo",
    )
    bulk.add_argument("--hoja", metavar="H", help="nombre de la hoja (por defecto se detecta)")
    bulk.add_argument(
        "--columna", type=_column, metavar="C", help="columna de los RUC: letra (C), número (3) o encabezado"
    )
    bulk.add_argument("--fila-encabezado", type=int, metavar="N", help="fila de encabezados (0: no hay)")
    bulk.add_argument("--rpm", type=_positive, metavar="N", help="máximo de consultas por minuto")
    bulk.add_argument("--sin-cache", action="store_true", help="consulta todo de nuevo, sin usar la caché")
    bulk.add_argument("--reintentar-fallidos", action="store_true", help="vuelve a consultar las filas ERROR")
    bulk.add_argument("--separador", metavar="S", help="separador del CSV de salida (por defecto ,)")
    add_source_option(bulk)
    add_common_options(bulk)
    bulk.set_defaults(func=_runner(_bulk))

    jobs = subparsers.add_parser(
        "jobs",
        help="lista las consultas masivas anteriores",
        description="Consultas masivas guardadas, de la más reciente a la más antigua.",
    )
    jobs.add_argument("--limite", type=_positive, default=30, metavar="N", help="cuántas mostrar (30)")
    jobs.add_argument("--json", action="store_true", help="salida en JSON")
    jobs.add_argument("-v", "--verbose", action="count", default=0, help="más detalles")
    jobs.set_defaults(func=_jobs)

    resume = subparsers.add_parser(
        "resume",
        help="continúa una consulta masiva interrumpida",
        description="Continúa la consulta masiva n.º JOB (ver «migo jobs») y guarda el resultado en su "
        "propio archivo de salida (el de esa consulta), salvo que indiques otro con -o.",
        epilog=EXIT_CODES_TEXT,
    )
    resume.add_argument("job", type=_positive, metavar="JOB", help="número de la consulta masiva (n.º)")
    resume.add_argument(
        "-o",
        "--salida",
        metavar="SALIDA",
        help="resultado .xlsx o .csv (por defecto el de la consulta masiva)",
    )
    resume.add_argument(
        "--como",
        choices=KINDS,
        metavar="libro|tabla",
        help="libro: tu mismo archivo con columnas nuevas (por defecto); tabla: un libro de resultados nuevo",
    )
    resume.add_argument("--rpm", type=_positive, metavar="N", help="máximo de consultas por minuto")
    resume.add_argument(
        "--reintentar-fallidos", action="store_true", help="vuelve a consultar las filas ERROR"
    )
    resume.add_argument("--separador", metavar="S", help="separador del CSV de salida (por defecto ,)")
    add_source_option(resume)
    add_common_options(resume)
    resume.set_defaults(func=_runner(_resume))

    export = subparsers.add_parser(
        "export",
        help="guarda el resultado de una consulta masiva",
        description="Escribe el resultado de la consulta masiva n.º JOB en .xlsx o .csv.",
    )
    export.add_argument("job", type=_positive, metavar="JOB", help="número de la consulta masiva (n.º)")
    export.add_argument(
        "-o", "--salida", metavar="SALIDA",
        help="archivo .xlsx o .csv (por defecto ENTRADA_resultados.xlsx junto al archivo de entrada)",
    )  # fmt: skip
    export.add_argument(
        "--como", choices=KINDS, metavar="libro|tabla",
        help="libro: tu mismo archivo con columnas nuevas (por defecto); tabla: un libro de resultados nuevo",
    )  # fmt: skip
    export.add_argument("--separador", metavar="S", help="separador del CSV (por ejemplo ';' para Excel)")
    export.add_argument("-v", "--verbose", action="count", default=0, help="más detalles")
    export.set_defaults(func=_runner(_export_cmd))
