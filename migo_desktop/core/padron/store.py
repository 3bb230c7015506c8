"""The padrón in use: its own SQLite file under the data folder (``padron.sqlite3``), read-only here.

Lookups by RUC (one, or a batch for bulk runs), name search, and what the GUI shows about it (date, size,
rows). :meth:`PadronStore.install` swaps a freshly built file in with ``os.replace`` — atomic on the same
folder — after closing the connection (Windows cannot replace an open file), so readers see the old padrón
or the new one, never half of one. One connection shared by threads, behind a lock.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ...paths import AppPaths, app_paths
from .records import PadronRecord
from .schema import read_meta
from .search import CANDIDATES_PER_KIND, EXPANSIONS, fts_query, rank_key, words

__all__ = ["PADRON_FILE", "PadronInfo", "PadronStore", "SearchResult"]

PADRON_FILE = "padron.sqlite3"
_PERSONS_END = 15_000_000_000  # RUCs below this start with 10: natural persons
_SELECT = "SELECT ruc, nombre, estado, condicion, ubigeo, direccion FROM contribuyente"


@dataclass(frozen=True)
class PadronInfo:
    fecha: date | None
    origen: str
    importado_en: datetime | None
    registros: int
    size_bytes: int
    informe: dict[str, Any] = field(default_factory=dict)

    @property
    def fecha_texto(self) -> str:
        """«padrón del 28/11/2026» (or «padrón sin fecha»)."""
        return f"padrón del {self.fecha:%d/%m/%Y}" if self.fecha else "padrón sin fecha"

    def age_days(self, today: date) -> int | None:
        return (today - self.fecha).days if self.fecha else None


@dataclass(frozen=True)
class SearchResult:
    records: list[PadronRecord]
    candidates: int
    truncated: bool  # more names matched than were ranked: more words would narrow it


class PadronStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._texts: list[str] = []
        self._info: PadronInfo | None = None

    @classmethod
    def default(cls, paths: AppPaths | None = None) -> PadronStore:
        return cls((paths or app_paths()).data_dir / PADRON_FILE)

    # --- connection ---------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        if not self.path.exists():
            return None
        conn = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("PRAGMA query_only=1")
        # a bigger page cache and memory-mapped reads: batch look-ups and name searches touch many pages
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA mmap_size=1073741824")
        texts = dict(conn.execute("SELECT id, texto FROM texto").fetchall())
        self._texts = [str(texts.get(i, "")) for i in range(max(texts, default=0) + 1)]
        meta = read_meta(conn)
        self._info = PadronInfo(
            fecha=date.fromisoformat(meta["fecha"]) if meta.get("fecha") else None,
            origen=meta.get("origen", ""),
            importado_en=datetime.fromisoformat(meta["importado_en"]) if meta.get("importado_en") else None,
            registros=int(meta.get("registros", "0")),
            size_bytes=self.path.stat().st_size,
            informe=json.loads(meta.get("informe", "{}")),
        )
        self._conn = conn
        return conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            self._info = None

    def install(self, built: Path) -> None:
        """Make ``built`` (a finished file in the same folder) the padrón in use, atomically."""
        with self._lock:
            self.close()
            os.replace(built, self.path)

    def remove(self) -> bool:
        with self._lock:
            self.close()
            existed = self.path.exists()
            self.path.unlink(missing_ok=True)
            return existed

    # --- reading ------------------------------------------------------------------------------------
    def info(self) -> PadronInfo | None:
        """None when there is no padrón (never imported, or removed)."""
        with self._lock:
            return self._info if self._open() is not None else None

    @property
    def fecha(self) -> date | None:
        info = self.info()
        return info.fecha if info else None

    def _record(self, row: tuple[Any, ...]) -> PadronRecord:
        texts = self._texts
        ubigeo = row[4]
        return PadronRecord(
            str(row[0]),
            row[1],
            texts[row[2]] if row[2] < len(texts) else "",
            texts[row[3]] if row[3] < len(texts) else "",
            "" if ubigeo is None else f"{ubigeo:06d}",
            row[5],
        )

    def lookup(self, ruc: str) -> PadronRecord | None:
        text = ruc.strip()
        if len(text) != 11 or not text.isdigit():
            return None
        with self._lock:
            conn = self._open()
            if conn is None:
                return None
            row = conn.execute(f"{_SELECT} WHERE ruc = ?", (int(text),)).fetchone()
            return self._record(row) if row else None

    def lookup_many(self, rucs: Iterable[str]) -> dict[str, PadronRecord]:
        """The records found, keyed by RUC; a RUC not in the padrón (or not 11 digits) is simply absent."""
        numbers = sorted({int(r) for r in rucs if len(r) == 11 and r.isdigit()})
        if not numbers:
            return {}
        with self._lock:
            conn = self._open()
            if conn is None:
                return {}
            rows = conn.execute(
                f"{_SELECT} WHERE ruc IN (SELECT value FROM json_each(?))", (json.dumps(numbers),)
            ).fetchall()
            texts = self._texts  # every id in the table is in it (same import)
        out: dict[str, PadronRecord] = {}
        for ruc, nombre, estado, condicion, ubigeo, direccion in rows:
            key = str(ruc)
            out[key] = PadronRecord(
                key,
                nombre,
                texts[estado],
                texts[condicion],
                "" if ubigeo is None else f"{ubigeo:06d}",
                direccion,
            )
        return out

    @staticmethod
    def _expand(conn: sqlite3.Connection, word: str) -> list[str]:
        rows = conn.execute(
            "SELECT palabra FROM palabra WHERE palabra >= ? AND palabra < ? ORDER BY filas DESC LIMIT ?",
            (word, word + "\U0010ffff", EXPANSIONS),
        ).fetchall()
        return [str(r[0]) for r in rows]

    def search(self, text: str, limit: int = 20) -> SearchResult:
        """Names matching every word of ``text`` (any order, prefixes, no accents/case), best first."""
        query_words = words(text)
        if not query_words:
            return SearchResult([], 0, False)
        with self._lock:
            conn = self._open()
            if conn is None:
                return SearchResult([], 0, False)
            query = fts_query([self._expand(conn, word) for word in query_words])
            if query is None:
                return SearchResult([], 0, False)
            ids: list[int] = []
            truncated = False
            for low, high in ((0, _PERSONS_END), (_PERSONS_END, 10**11)):
                found = [
                    r[0]
                    for r in conn.execute(
                        "SELECT rowid FROM busqueda "
                        "WHERE busqueda MATCH ? AND rowid >= ? AND rowid < ? LIMIT ?",
                        (query, low, high, CANDIDATES_PER_KIND + 1),
                    )
                ]
                truncated |= len(found) > CANDIDATES_PER_KIND
                ids += found[:CANDIDATES_PER_KIND]
            rows = conn.execute(
                f"{_SELECT} WHERE ruc IN (SELECT value FROM json_each(?))", (json.dumps(ids),)
            ).fetchall()
            records = [self._record(row) for row in rows]
        records.sort(key=lambda r: rank_key(query_words, r.nombre, r.ruc))
        return SearchResult(records[:limit], len(ids), truncated)
