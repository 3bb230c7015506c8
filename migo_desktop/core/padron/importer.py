"""Import the padrón from the person's own ZIP or TXT: stream → parse → new file → swap in, with a report.

The ZIP member is streamed through :mod:`zipfile` (no 1.5 GB text on disk; its CRC is checked at the end, so
a corrupt download fails here). Two threads: this one decompresses and parses, a writer thread runs SQLite
(it holds no GIL while inserting a batch, see :meth:`.build.PadronBuilder.add_packed`). The new file is built
as ``padron.sqlite3.nuevo`` beside the one in use and only replaces it when everything went well: a failure or
a cancellation deletes the scratch file and leaves the previous padrón in use.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import sqlite3
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

from .build import PadronBuilder
from .lines import LineStats, Vocabulary, iter_rows
from .progress import Cancel, PadronError, ProgressCallback, RateMeter
from .schema import SCHEMA_VERSION
from .store import PadronStore

__all__ = ["ImportReport", "file_date", "import_padron", "open_source"]

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    origen: str
    fecha: date | None
    lines: int = 0  # every line read, header and blank ones included
    header_lines: int = 0
    blank_lines: int = 0
    imported: int = 0  # distinct RUCs now in the padrón
    duplicates: int = 0  # lines whose RUC appeared again later (the later line wins)
    malformed: int = 0
    replaced_bytes: int = 0  # bytes that could not be decoded (each became U+FFFD)
    utf8_lines: int = 0  # lines that were UTF-8 inside the cp1252 file
    recovered_names: int = 0  # names holding a stray '|', put back together
    examples: list[tuple[int, str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["fecha"] = self.fecha.isoformat() if self.fecha else None
        return out

    def summary(self) -> list[str]:
        """The report in Spanish, one line per fact (GUI dialog, CLI output)."""
        out = [
            f"Líneas leídas: {self.lines:,}".replace(",", "."),
            f"Contribuyentes importados: {self.imported:,}".replace(",", "."),
        ]
        if self.duplicates:
            out.append(f"RUC repetidos (se tomó la última línea): {self.duplicates:,}".replace(",", "."))
        out.append(f"Líneas con formato no válido (omitidas): {self.malformed:,}".replace(",", "."))
        out += [f"  línea {n}: {reason} — {text[:80]}" for n, reason, text in self.examples]
        if self.replaced_bytes:
            out.append(
                f"Caracteres ilegibles reemplazados por «�»: {self.replaced_bytes:,}".replace(",", ".")
            )
        return out


@dataclass
class _Source:
    stream: IO[bytes]
    size: int | None  # uncompressed bytes, when known
    name: str


@contextlib.contextmanager
def open_source(path: Path) -> Iterator[_Source]:
    """The padrón's text as a binary stream: the ``.txt`` member of a ZIP (streamed), or a TXT file."""
    if not path.is_file():
        raise PadronError(f"No se encontró el archivo {path}. Revisa la ruta y vuelve a intentarlo.")
    if zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise _corrupt(path) from exc
        with archive:
            members = [i for i in archive.infolist() if not i.is_dir()]
            texts = [i for i in members if i.filename.lower().endswith(".txt")] or members
            if not texts:
                raise PadronError(f"El ZIP {path.name} está vacío: descarga el padrón de nuevo.")
            member = max(texts, key=lambda i: i.file_size)
            with archive.open(member) as stream:
                yield _Source(stream, member.file_size, f"{path.name}:{member.filename}")
        return
    with path.open("rb") as stream:
        yield _Source(stream, path.stat().st_size, path.name)


def _corrupt(path: Path) -> PadronError:
    return PadronError(
        f"El archivo {path.name} está dañado o incompleto (no es un ZIP válido). "
        "Descárgalo de nuevo; se sigue usando el padrón anterior."
    )


def import_padron(
    path: Path,
    store: PadronStore,
    *,
    fecha: date | None = None,
    origen: str | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: Cancel | None = None,
) -> ImportReport:
    """Build a new padrón from ``path`` and swap it in. ``fecha`` defaults to the file's modification date
    (the downloader sets it to the server's Last-Modified). Raises :class:`PadronError` (or
    :class:`PadronCancelled`), leaving the previous padrón in use."""
    started = time.monotonic()
    if fecha is None and path.is_file():
        fecha = file_date(path)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    scratch = store.path.with_name(store.path.name + ".nuevo")
    builder = PadronBuilder(scratch)
    try:
        with open_source(path) as source:
            report = ImportReport(origen=origen or source.name, fecha=fecha)
            stats, vocab = _load(source, builder, on_progress, cancel)
        meter = RateMeter("indice", on_progress, stats.rows)
        report.imported = builder.count()
        if report.imported == 0:
            raise PadronError(
                f"{path.name} no contiene ninguna línea del padrón reducido del RUC. "
                "Revisa que sea el archivo de SUNAT (padron_reducido_ruc.zip o .txt)."
            )

        def indexed(done: int) -> None:
            meter.update(done)
            if cancel is not None:
                cancel.check()

        builder.index_names(indexed)
        for name in ("lines", "header_lines", "blank_lines", "malformed", "replaced_bytes", "utf8_lines"):
            setattr(report, name, getattr(stats, name))
        report.recovered_names, report.examples = stats.recovered_names, stats.examples
        report.duplicates = stats.rows - report.imported
        report.seconds = round(time.monotonic() - started, 1)
        builder.finish(vocab.texts, _meta(report))
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
    ) as exc:  # bad CRC/deflate/truncation, found while streaming
        builder.abandon()
        raise _corrupt(path) from exc
    except (OSError, sqlite3.Error) as exc:
        builder.abandon()
        raise PadronError(
            f"No se pudo leer {path.name} o escribir el padrón ({getattr(exc, 'strerror', None) or exc}). "
            "Revisa el espacio libre en disco; se sigue usando el padrón anterior."
        ) from exc
    except BaseException:
        builder.abandon()
        raise
    store.install(scratch)
    log.info("padrón importado: %s", {k: v for k, v in report.as_dict().items() if k != "examples"})
    return report


def _meta(report: ImportReport) -> dict[str, str]:
    return {
        "version": SCHEMA_VERSION,
        "fecha": report.fecha.isoformat() if report.fecha else "",
        "origen": report.origen,
        "importado_en": datetime.now().isoformat(timespec="seconds"),
        "registros": str(report.imported),
        "informe": json.dumps(report.as_dict(), ensure_ascii=False),
    }


def _load(
    source: _Source, builder: PadronBuilder, on_progress: ProgressCallback | None, cancel: Cancel | None
) -> tuple[LineStats, Vocabulary]:
    """Parse in this thread, insert in a writer thread; any error in either stops both."""
    stats, vocab = LineStats(), Vocabulary()
    meter = RateMeter("lectura", on_progress, source.size)
    batches: queue.Queue[tuple[str, int] | None] = queue.Queue(maxsize=4)
    failure: list[BaseException] = []

    def write() -> None:
        try:
            while (item := batches.get()) is not None:
                if not failure:
                    builder.add_packed(*item)
            builder.flush()
        except BaseException as exc:  # handed to the parsing thread below
            failure.append(exc)
            while batches.get() is not None:  # drain so the producer never blocks
                pass

    def chunk_read(done: int) -> None:
        meter.update(done)
        if cancel is not None:
            cancel.check()
        if failure:
            raise failure[0]

    writer = threading.Thread(target=write, name="padron-writer", daemon=True)
    writer.start()
    try:
        for batch in iter_rows(source.stream, vocab, stats, chunk_read):
            batches.put((builder.pack(batch), len(batch)))
    finally:
        batches.put(None)
        writer.join()
    if failure:
        raise failure[0]
    meter.update(source.size or 0, force=True)
    return stats, vocab


def file_date(path: Path) -> date:
    return date.fromtimestamp(os.stat(path).st_mtime)
