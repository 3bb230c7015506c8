"""The SUNAT Padrón Reducido del RUC, offline: free estado/condición for any RUC and search by name.

Map (Qt-free, like all of core/):

    lines.py     streaming parser for the real file (cp1252 that never fails, stray '|', bad lines reported)
    schema.py    the padrón's own SQLite file: tables, the FTS5 name index, meta keys
    build.py     writes a new padrón file beside the one in use (batched transactions, then the name index)
    importer.py  ZIP/TXT → parse → build → atomic swap, with an :class:`ImportReport`, progress and cancel
    download.py  fetches SUNAT's ZIP (resumable with Range/If-Range, Last-Modified kept) and imports it
    store.py     the padrón in use: lookup one/many RUCs, name search, info (date, size), install/remove
    search.py    the person's text → FTS5 query, and the ranking of candidates
    records.py   a row → the app's Taxpayer/LookupResult, marked «Padrón dd/mm/yyyy»
    progress.py  Progress/RateMeter (size, rate, ETA), Cancel, PadronError/PadronCancelled

Places (departamento/provincia/distrito) come from UBIGEO through :mod:`migo_desktop.core.ubigeo`.
``download`` and ``importer`` (httpx, the builder, the line parser) load on first use of their names: the
app's start-up only needs the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .progress import Cancel, PadronCancelled, PadronError, Progress
from .records import PadronRecord, not_in_padron, to_result, to_taxpayer
from .store import PADRON_FILE, PadronInfo, PadronStore, SearchResult

if TYPE_CHECKING:
    from .download import DEFAULT_URL, DownloadResult, download_padron
    from .importer import ImportReport, import_padron

__all__ = [
    "DEFAULT_URL",
    "PADRON_FILE",
    "Cancel",
    "DownloadResult",
    "ImportReport",
    "PadronCancelled",
    "PadronError",
    "PadronInfo",
    "PadronRecord",
    "PadronStore",
    "Progress",
    "SearchResult",
    "download_padron",
    "import_padron",
    "not_in_padron",
    "to_result",
    "to_taxpayer",
]


def __getattr__(name: str) -> Any:
    """The download and import names, loaded when first asked for (PEP 562)."""
    if name in ("DEFAULT_URL", "DownloadResult", "download_padron"):
        from . import download

        return getattr(download, name)
    if name in ("ImportReport", "import_padron"):
        from . import importer

        return getattr(importer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
