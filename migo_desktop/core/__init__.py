"""The engine, with no Qt: everything the GUI and the CLI share.

ids.py models.py errors.py        identifiers (RUC/DNI checks), value objects, the exception tree
ruc_fast.py                       the RUC check digit and the import loop's fast path, importing nothing
settings.py                       ApiSettings (the token hidden from repr)
numbers.py                        es-PE number formatting (thousands «,», decimal «.») for GUI and CLI
client.py (+ retry, endpoints, http_errors, http_pool)   MigoClient: the Migo API over httpx
store*.py (+ migrations)          SQLite: cache, jobs, job rows
engine.py (+ throttle, progress, write_behind, row_queue, pacing)   BulkEngine: the bulk run
jobs.py                           plan → job, job → export
gc_pause.py                       paused_gc: no cyclic GC while 100k-row structures are built

May import: excel (jobs.py only, to read and write files), paths. Never Qt, ui or cli.
"""
