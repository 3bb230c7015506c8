"""Tipo de cambio: the latest SUNAT rate, one date or a range, with a chart and an export.

page.py  the form, table and chart        controller.py  ExchangeController (queries and export)

May import: ui.base, ui.widgets, core, excel.output.
"""
