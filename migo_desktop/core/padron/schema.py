"""The padrón's own SQLite file: tables, the name index, and the meta keys (one place for the SQL shape).

- ``contribuyente``: one row per RUC, the RUC itself as rowid (an 11-digit integer: 8 bytes, no extra index);
  estado/condición as ids into ``texto``; ubigeo as an integer; the 10 address fields kept raw in one text
  (or NULL: most natural persons have no address), see :mod:`.lines`.
- ``busqueda``: a contentless FTS5 index over the names (rowid = RUC) with ``unicode61 remove_diacritics 2``:
  words in any order, case- and accent-insensitive, prefix queries, matches by RUC range. Contentless,
  ``detail=none`` and ``columnsize=0`` so it holds only the word → RUCs lists: names are not stored twice, no
  positions (we never need phrase queries) and no per-row sizes (bm25 would need them; ~12 bytes a row, 220 MB
  on the full padrón). Ranking is done on the candidates instead, see :mod:`.search`.
- ``palabra``: every indexed word with the number of names holding it, to expand prefixes (:mod:`.search`).
- ``meta``: key/value text (see the ``META_*`` names).
"""

from __future__ import annotations

import sqlite3

__all__ = ["META_KEYS", "SCHEMA_VERSION", "create_schema", "read_meta", "write_meta"]

SCHEMA_VERSION = "1"
META_KEYS = (
    "version",  # SCHEMA_VERSION
    "fecha",  # the padrón's date (ISO): Last-Modified of the download or the file's modification time
    "origen",  # the file name or URL it came from
    "importado_en",  # when this machine built it (ISO, local time)
    "registros",  # rows stored (after duplicates)
    "informe",  # the import report as JSON
)

_TABLES = """
CREATE TABLE meta (clave TEXT PRIMARY KEY, valor TEXT NOT NULL);
CREATE TABLE texto (id INTEGER PRIMARY KEY, texto TEXT NOT NULL);
CREATE TABLE contribuyente (
    ruc INTEGER PRIMARY KEY,
    nombre TEXT NOT NULL,
    estado INTEGER NOT NULL,
    condicion INTEGER NOT NULL,
    ubigeo INTEGER,
    direccion TEXT
);
CREATE TABLE palabra (palabra TEXT PRIMARY KEY, filas INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE busqueda USING fts5(
    nombre, content='', detail=none, columnsize=0, tokenize="unicode61 remove_diacritics 2"
);
"""


def create_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(_TABLES)


def write_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta (clave, valor) VALUES (?, ?)", values.items())


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return {str(k): str(v) for k, v in conn.execute("SELECT clave, valor FROM meta")}
