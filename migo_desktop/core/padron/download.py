"""Download SUNAT's ``padron_reducido_ruc.zip`` and import it.

Resumable: bytes go to ``<zip>.part`` with a small ``.part.json`` holding the URL and the server's validator
(ETag, else Last-Modified). A later attempt asks for ``Range: bytes=N-`` with ``If-Range``: a 206 appends, a
200 (the file changed since) starts over. A dropped connection keeps the ``.part`` for next time. Progress
reports size, rate and ETA; :class:`.progress.Cancel` stops between chunks. The finished ZIP gets the
server's ``Last-Modified`` as its modification time, which becomes the padrón's date. Blocking (httpx's sync
client): callers run it in a worker thread.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .importer import ImportReport, import_padron
from .progress import Cancel, PadronError, ProgressCallback, RateMeter
from .store import PadronStore

if TYPE_CHECKING:  # httpx loads when a download starts: the app's start-up does not need it
    import httpx

__all__ = ["DEFAULT_URL", "DownloadResult", "download_padron", "download_zip", "padron_date"]

log = logging.getLogger(__name__)

DEFAULT_URL = "https://www2.sunat.gob.pe/padron_reducido_ruc.zip"
ZIP_NAME = "padron_reducido_ruc.zip"
_PERU = timezone(timedelta(hours=-5))
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


@dataclass(frozen=True)
class DownloadResult:
    path: Path
    size: int
    resumed_from: int  # bytes already on disk from an earlier, interrupted attempt
    last_modified: datetime | None


def padron_date(last_modified: datetime | None) -> date | None:
    """The padrón's date: the server's Last-Modified, on Peru's clock."""
    return last_modified.astimezone(_PERU).date() if last_modified else None


def _parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def _interrupted(exc: Exception) -> PadronError:
    return PadronError(
        "La descarga del padrón se interrumpió (conexión inestable o SUNAT no responde). "
        "Vuelve a intentarlo: continuará desde donde quedó. Se sigue usando el padrón anterior.",
        detail=type(exc).__name__,
    )


def download_zip(
    url: str,
    dest: Path,
    *,
    client: httpx.Client,
    on_progress: ProgressCallback | None = None,
    cancel: Cancel | None = None,
) -> DownloadResult:
    part = dest.with_name(dest.name + ".part")
    state_file = dest.with_name(dest.name + ".part.json")
    state: dict[str, str] = {}
    if part.exists() and state_file.exists():
        try:
            state = json.loads(state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = {}
    offset = (
        part.stat().st_size if part.exists() and state.get("url") == url and state.get("validator") else 0
    )
    headers = {"Range": f"bytes={offset}-", "If-Range": state["validator"]} if offset else {}
    import httpx

    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 416 and offset:  # nothing left to send: the .part may be whole
                match = re.search(r"/(\d+)", response.headers.get("Content-Range", ""))
                if not match or int(match.group(1)) != offset:
                    part.unlink(missing_ok=True)
                    raise PadronError(
                        "La descarga anterior no coincide con el archivo de SUNAT. Vuelve a intentarlo."
                    )
                total: int | None = offset
                start = offset
                last_modified = _parse_http_date(state.get("last_modified"))
            else:
                total, start = _accept(response, offset)
                last_modified = _parse_http_date(response.headers.get("Last-Modified"))
                validator = response.headers.get("ETag") or response.headers.get("Last-Modified") or ""
                state = {
                    "url": url,
                    "validator": validator,
                    "last_modified": response.headers.get("Last-Modified", ""),
                }
                dest.parent.mkdir(parents=True, exist_ok=True)
                state_file.write_text(json.dumps(state), encoding="utf-8")
                meter = RateMeter("descarga", on_progress, total, start_at=start)
                with part.open("ab" if start else "wb") as out:
                    out.truncate(start)
                    done = start
                    for chunk in response.iter_bytes():  # as received: a drop keeps every byte
                        out.write(chunk)
                        done += len(chunk)
                        meter.update(done)
                        if cancel is not None:
                            cancel.check()
                    meter.update(done, force=True)
    except (httpx.TransportError, httpx.StreamError) as exc:
        log.warning("padrón download interrupted: %s", type(exc).__name__)
        raise _interrupted(exc) from exc
    size = part.stat().st_size
    if total is not None and size != total:
        raise _interrupted(ValueError(f"{size} of {total} bytes"))
    os.replace(part, dest)
    state_file.unlink(missing_ok=True)
    if last_modified is not None:
        stamp = last_modified.timestamp()
        os.utime(dest, (stamp, stamp))
    return DownloadResult(dest, size, start, last_modified)


def _accept(response: httpx.Response, offset: int) -> tuple[int | None, int]:
    """(total size or None, first byte this response carries)."""
    if response.status_code == 206:
        match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
        if match and int(match.group(1)) == offset:
            total = None if match.group(3) == "*" else int(match.group(3))
            return total, offset
        raise PadronError("SUNAT respondió con un rango inesperado. Vuelve a intentarlo.")
    if response.status_code == 200:
        length = response.headers.get("Content-Length")
        return (int(length) if length and length.isdigit() else None), 0
    raise PadronError(
        f"SUNAT no entregó el padrón (HTTP {response.status_code}). Vuelve a intentarlo más tarde o "
        "descarga el ZIP con tu navegador y usa «Importar archivo».",
    )


def download_padron(
    store: PadronStore,
    url: str = DEFAULT_URL,
    *,
    client: httpx.Client | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: Cancel | None = None,
) -> tuple[DownloadResult, ImportReport]:
    """Download (resuming when possible) and import. The ZIP is deleted once imported; a corrupt one too
    (resuming it would not help) — in every failure the padrón in use stays."""
    import httpx

    dest = store.path.with_name(ZIP_NAME)
    own = client is None
    http = client or httpx.Client(timeout=httpx.Timeout(30.0, read=120.0), follow_redirects=True)
    try:
        result = download_zip(url, dest, client=http, on_progress=on_progress, cancel=cancel)
    finally:
        if own:
            http.close()
    try:
        report = import_padron(
            result.path,
            store,
            fecha=padron_date(result.last_modified),
            origen=url,
            on_progress=on_progress,
            cancel=cancel,
        )
    finally:
        dest.unlink(missing_ok=True)
    return result, report
