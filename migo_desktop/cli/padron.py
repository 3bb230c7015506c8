"""`migo padron descargar|importar ARCHIVO|estado|buscar TEXTO|eliminar`: the offline SUNAT padrón.

No token needed: the padrón is SUNAT's free public register, kept on this machine. Progress goes to stderr;
results to stdout (``--json`` for programs). Ctrl+C cancels and keeps the padrón in use.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from ..core.numbers import fmt_int
from ..core.padron import (
    DEFAULT_URL,
    ImportReport,
    PadronError,
    PadronStore,
    Progress,
    download_padron,
    import_padron,
    to_result,
)
from ..core.padron.store import PadronInfo
from .common import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, NO_PADRON
from .format import dumps

__all__ = ["PadronProgress", "register"]


def _n(value: float) -> str:
    return fmt_int(round(value))


class PadronProgress:
    """One line redrawn in place on a terminal, else a plain line every ``every`` seconds."""

    def __init__(self, stream: TextIO | None = None, *, every: float = 5.0) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = every
        self._last = -float("inf")
        self._drawn = False

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if not self.tty and now - self._last < self.every:
            return
        self._last = now
        text = p.text(percent=True)
        if self.tty:
            self.stream.write("\r\x1b[2K" + text)
            self._drawn = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def _store() -> PadronStore:
    from ..paths import app_paths

    return PadronStore.default(app_paths().ensure())


def info_dict(info: PadronInfo | None) -> dict[str, Any]:
    if info is None:
        return {"instalado": False}
    return {
        "instalado": True,
        "fecha": info.fecha.isoformat() if info.fecha else None,
        "registros": info.registros,
        "tamano_bytes": info.size_bytes,
        "origen": info.origen,
        "importado_en": info.importado_en.isoformat(sep=" ") if info.importado_en else None,
    }


def _guarded(work: Any) -> int:
    """Run ``work()``; PadronError → its Spanish message; Ctrl+C → the padrón in use stays."""
    try:
        return int(work())
    except KeyboardInterrupt:
        print("\nCancelado. Se sigue usando el padrón anterior.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except PadronError as exc:
        print(f"Error: {exc.user_message}", file=sys.stderr)
        return EXIT_ERROR


def _print_report(report: ImportReport, as_json: bool) -> None:
    if as_json:
        print(dumps(report.as_dict()))
        return
    fecha = f"{report.fecha:%d/%m/%Y}" if report.fecha else "sin fecha"
    print(f"Padrón del {fecha} importado en {report.seconds:.0f} s.".replace(".", ",", 1))
    print("\n".join(report.summary()))


def _cmd_import(args: argparse.Namespace) -> int:
    def work() -> int:
        progress = PadronProgress()
        try:
            fecha = date.fromisoformat(args.fecha) if args.fecha else None
            report = import_padron(Path(args.archivo), _store(), fecha=fecha, on_progress=progress)
        finally:
            progress.close()
        _print_report(report, args.json)
        return EXIT_OK

    return _guarded(work)


def _cmd_download(args: argparse.Namespace) -> int:
    def work() -> int:
        progress = PadronProgress()
        try:
            result, report = download_padron(_store(), args.url, on_progress=progress)
        finally:
            progress.close()
        if result.resumed_from and not args.json:
            print(f"La descarga continuó desde {_n(result.resumed_from / 1e6)} MB.", file=sys.stderr)
        _print_report(report, args.json)
        return EXIT_OK

    return _guarded(work)


def _cmd_status(args: argparse.Namespace) -> int:
    info = _store().info()
    if args.json:
        print(dumps(info_dict(info)))
        return EXIT_OK
    if info is None:
        print("No hay padrón SUNAT en este equipo. Descárgalo con: migo padron descargar")
        return EXIT_OK
    age = info.age_days(date.today())
    print(f"Padrón SUNAT: {info.fecha_texto}" + (f" (hace {age} días)" if age is not None else ""))
    print(f"  Contribuyentes: {_n(info.registros)} · tamaño en disco: {_n(info.size_bytes / 1e6)} MB")
    print(f"  Origen: {info.origen}")
    return EXIT_OK


def _cmd_search(args: argparse.Namespace) -> int:
    store = _store()
    info = store.info()
    if info is None:
        print(NO_PADRON, file=sys.stderr)
        return EXIT_USAGE
    text = " ".join(args.texto)
    found = store.search(text, limit=args.limite)
    if args.json:
        print(dumps([to_result(r, info.fecha).to_dict() for r in found.records]))
        return EXIT_OK
    if not found.records:
        print(f"Nada en el {info.fecha_texto} coincide con «{text}».", file=sys.stderr)
        return EXIT_OK
    for record in found.records:
        print(f"{record.ruc}  {record.estado:<20.20}  {record.condicion:<10.10}  {record.nombre}")
    more = " Hay más coincidencias: agrega palabras para acotar." if found.truncated else ""
    print(f"({len(found.records)} resultados del {info.fecha_texto}.{more})", file=sys.stderr)
    return EXIT_OK


def _cmd_remove(args: argparse.Namespace) -> int:
    removed = _store().remove()
    print("Padrón eliminado de este equipo." if removed else "No había padrón en este equipo.")
    return EXIT_OK


def register(subparsers: Any) -> None:
    padron = subparsers.add_parser(
        "padron",
        help="el padrón reducido del RUC de SUNAT, sin conexión y gratis",
        description="El padrón reducido del RUC de SUNAT guardado en este equipo: consultas gratis y sin "
        "conexión, búsqueda por razón social y fuente para las consultas masivas (--fuente).",
    )
    commands = padron.add_subparsers(title="acciones", dest="accion", metavar="ACCIÓN", required=True)
    down = commands.add_parser("descargar", help="descarga el padrón de SUNAT e impórtalo (~370 MB)")
    down.add_argument("--url", default=DEFAULT_URL, help=f"dirección del ZIP (por defecto {DEFAULT_URL})")
    down.add_argument("--json", action="store_true", help="informe en JSON")
    down.set_defaults(func=_cmd_download)
    imp = commands.add_parser("importar", help="importa un padron_reducido_ruc.zip o .txt ya descargado")
    imp.add_argument("archivo", metavar="ARCHIVO", help="el ZIP de SUNAT o el TXT que contiene")
    imp.add_argument("--fecha", metavar="AAAA-MM-DD", help="fecha del padrón (por defecto, la del archivo)")
    imp.add_argument("--json", action="store_true", help="informe en JSON")
    imp.set_defaults(func=_cmd_import)
    status = commands.add_parser("estado", help="fecha, tamaño y origen del padrón instalado")
    status.add_argument("--json", action="store_true", help="salida en JSON")
    status.set_defaults(func=_cmd_status)
    search = commands.add_parser("buscar", help="busca contribuyentes por nombre o razón social")
    search.add_argument("texto", nargs="+", metavar="TEXTO", help="palabras del nombre, en cualquier orden")
    search.add_argument("--limite", type=int, default=20, metavar="N", help="cuántos mostrar (20)")
    search.add_argument("--json", action="store_true", help="salida en JSON")
    search.set_defaults(func=_cmd_search)
    remove = commands.add_parser("eliminar", help="borra el padrón de este equipo")
    remove.set_defaults(func=_cmd_remove)
    for sub in (down, imp, status, search, remove):
        sub.add_argument("-v", "--verbose", action="count", default=0, help="más detalles")
