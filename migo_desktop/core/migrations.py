"""The SQLite schema, as ordered migrations keyed by ``PRAGMA user_version``.

Append a new ``(version, statements)`` entry to change the schema; never edit a released one. Each migration
runs in one transaction together with the version bump, so a crash mid-migration leaves the old schema.
"""

from __future__ import annotations

import sqlite3

from .errors import ConfigError

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate"]

MIGRATIONS: list[tuple[int, list[str]]] = [
    (
        1,
        [
            # One answer per identifier: OK or NOT_FOUND only (errors are never cached).
            """CREATE TABLE cache (
                kind TEXT NOT NULL,
                number TEXT NOT NULL,
                status TEXT NOT NULL,
                payload TEXT,
                message TEXT NOT NULL DEFAULT '',
                fetched_at REAL NOT NULL,
                PRIMARY KEY (kind, number)
            ) WITHOUT ROWID""",
            "CREATE INDEX cache_fetched ON cache (fetched_at)",
            """CREATE TABLE jobs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                source_name TEXT NOT NULL,
                source_path TEXT NOT NULL,
                source_hash TEXT NOT NULL,
                sheet TEXT,
                header_row INTEGER,
                id_column INTEGER NOT NULL,
                headers TEXT NOT NULL,
                settings TEXT NOT NULL,
                state TEXT NOT NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                finished_at REAL,
                total INTEGER NOT NULL DEFAULT 0,
                counts TEXT NOT NULL DEFAULT '{}',
                api_calls INTEGER NOT NULL DEFAULT 0,
                cache_hits INTEGER NOT NULL DEFAULT 0,
                retries INTEGER NOT NULL DEFAULT 0,
                last_message TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX jobs_identity ON jobs (source_hash, sheet, id_column, state)",
            """CREATE TABLE job_rows (
                job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                idx INTEGER NOT NULL,
                source_row INTEGER NOT NULL,
                vals TEXT NOT NULL,
                raw TEXT,
                kind TEXT,
                number TEXT,
                state TEXT NOT NULL,
                reason TEXT NOT NULL DEFAULT '',
                duplicate_of INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT '',
                payload TEXT,
                fetched_at REAL,
                PRIMARY KEY (job_id, idx)
            ) WITHOUT ROWID""",
            "CREATE INDEX job_rows_state ON job_rows (job_id, state)",
        ],
    ),
    (
        2,
        [
            # Where the last export of the job went, so `migo resume JOB` can rewrite it without -o.
            "ALTER TABLE jobs ADD COLUMN output_path TEXT",
        ],
    ),
    (
        3,
        [
            # Where a row's answer came from: NULL = Migo (live or its cache), 'padron' = the offline SUNAT
            # padrón of source_date (ISO). See core/store_sources.py.
            "ALTER TABLE job_rows ADD COLUMN source TEXT",
            "ALTER TABLE job_rows ADD COLUMN source_date TEXT",
        ],
    ),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring ``conn`` (autocommit mode) up to SCHEMA_VERSION; returns the version found before."""
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if found > SCHEMA_VERSION:
        raise ConfigError(
            "La base de datos local fue creada por una versión más nueva de Migo Desktop. "
            "Actualiza la aplicación para abrirla."
        )
    for version, statements in MIGRATIONS:
        if version <= found:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock (two runs started at once).
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= version:
                conn.execute("COMMIT")
                continue
            for sql in statements:
                conn.execute(sql)
            conn.execute(f"PRAGMA user_version = {int(version)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return found
