"""Historial: past bulk runs, to reopen, resume, export or delete.

page.py  HistoryPage (asks the shell to reopen or resume a run in Masiva through its signals)

May import: ui.base, ui.widgets, core.
"""
