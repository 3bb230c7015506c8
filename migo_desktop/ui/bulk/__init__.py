"""Masiva: import a sheet, see the cost, run the bulk lookup, filter the results, export.

page.py, drop_zone.py, run_panel.py, breakdown_chart.py, results_view.py, notices.py   the views
import_dialog.py, import_preview.py   choosing sheet/column and previewing the cost (in a thread)
controller.py, jobs.py   BulkController (runs the engine, owns its tasks) and its Qt-free steps
results_model.py, results_proxy.py, results_columns.py, result_rows.py   the results table model

May import: ui.base, ui.widgets, core, excel.
"""
