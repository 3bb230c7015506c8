"""Padrón SUNAT: the offline register in the GUI.

page.py          the «Padrón SUNAT» page: status, date, size, Actualizar / Importar archivo / Eliminar,
                 progress with size and ETA, Cancelar, the import report, the «older than N days» hint
lookup_panel.py  the panel the shell places in Consulta: instant answer for a typed RUC, name search,
                 «Consultar en vivo en Migo»
controller.py    PadronController: download/import/remove in worker threads (cancellable), look-ups

May import: ui.base, ui.widgets, core. Never another feature: the shell wires the panel into Consulta.
"""
