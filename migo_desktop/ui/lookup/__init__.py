"""Consulta: one RUC or DNI at a time, with its full record and legal representatives.

page.py        the form, the record card, the recent lookups
controller.py  LookupController: validates locally, queries through the shared client, caches
messages.py    what a failed single lookup says (and whether Reintentar or Preferencias can help)

May import: ui.base, ui.widgets, core.
"""
