"""Writes a brand-new padrón file beside the one in use: bulk rows in batched transactions, then the name
index in RUC ranges (each its own transaction, so progress and cancellation keep flowing), then the
table of indexed words.

The file being built is scratch until :func:`..store.PadronStore.install` swaps it in, so it runs without a
journal and without fsyncs (a crash just leaves a scratch file that the next import deletes); the final
``commit`` + ``close`` happen before the swap.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from .lines import Row
from .schema import create_schema, write_meta

__all__ = ["PadronBuilder"]

_INSERT_PACKED = (
    "INSERT OR REPLACE INTO contribuyente SELECT "
    + ", ".join(f"json_extract(value, '$[{i}]')" for i in range(6))
    + " FROM json_each(?)"
)
ROWS_PER_TRANSACTION = 200_000
INDEX_RANGE_ROWS = 500_000


class PadronBuilder:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.unlink(missing_ok=True)
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        for pragma in (
            "PRAGMA journal_mode=OFF",
            "PRAGMA synchronous=OFF",
            "PRAGMA locking_mode=EXCLUSIVE",
            "PRAGMA cache_size=-65536",
            "PRAGMA temp_store=FILE",
        ):
            self.conn.execute(pragma)
        create_schema(self.conn)
        self._in_tx = 0

    @staticmethod
    def pack(rows: list[Row]) -> str:
        """One batch as a JSON array (for :meth:`add_packed`)."""
        return json.dumps(rows, ensure_ascii=False, check_circular=False)

    def add_packed(self, packed: str, count: int) -> None:
        """Insert a batch made by :meth:`pack`. One statement per batch: SQLite unpacks the JSON itself with
        the GIL released the whole time, so the parsing thread keeps running (``executemany`` takes the GIL
        back for every row, and the two threads then mostly wait for each other)."""
        if not self._in_tx:
            self.conn.execute("BEGIN")
        # a later line for the same RUC replaces the earlier one (the file's last word wins)
        self.conn.execute(_INSERT_PACKED, (packed,))
        self._in_tx += count
        if self._in_tx >= ROWS_PER_TRANSACTION:
            self.conn.execute("COMMIT")
            self._in_tx = 0

    def flush(self) -> None:
        if self._in_tx:
            self.conn.execute("COMMIT")
            self._in_tx = 0

    def count(self) -> int:
        self.flush()
        return int(self.conn.execute("SELECT count(*) FROM contribuyente").fetchone()[0])

    def index_names(self, on_progress: Callable[[int], None]) -> None:
        """Fill the FTS index from the table, ``INDEX_RANGE_ROWS`` RUCs per transaction."""
        self.flush()
        last = -1
        done = 0
        while True:
            row = self.conn.execute(
                "SELECT max(ruc), count(*) FROM "
                "(SELECT ruc FROM contribuyente WHERE ruc > ? ORDER BY ruc LIMIT ?)",
                (last, INDEX_RANGE_ROWS),
            ).fetchone()
            if not row[1]:
                break
            upper = int(row[0])
            self.conn.execute("BEGIN")
            self.conn.execute(
                "INSERT INTO busqueda (rowid, nombre) SELECT ruc, nombre FROM contribuyente "
                "WHERE ruc > ? AND ruc <= ?",
                (last, upper),
            )
            self.conn.execute("COMMIT")
            last = upper
            done += int(row[1])
            on_progress(done)
        self.conn.execute("CREATE VIRTUAL TABLE temp.vocabulario USING fts5vocab(main, busqueda, 'row')")
        self.conn.execute("BEGIN")
        self.conn.execute("INSERT INTO palabra SELECT term, doc FROM temp.vocabulario")
        self.conn.execute("COMMIT")

    def finish(self, texts: list[str], meta: dict[str, str]) -> None:
        self.flush()
        self.conn.execute("BEGIN")
        self.conn.executemany("INSERT INTO texto (id, texto) VALUES (?, ?)", enumerate(texts))
        write_meta(self.conn, meta)
        self.conn.execute("COMMIT")
        self.conn.close()

    def abandon(self) -> None:
        try:
            self.conn.close()
        finally:
            self.path.unlink(missing_ok=True)
