"""Copying from the results table: the selection as tab-separated text with its headers, ready for Excel.

The clipboard gets two flavours: plain TSV (text editors, Google Sheets) and an HTML table whose cells are
formatted as text (``mso-number-format:"\\@"``), so Excel keeps 11-digit RUCs and DNIs with leading zeros as
typed. Values come from the API and the user's file, so in the plain text a cell that Excel would read as a
formula (``= + - @``) gets a leading apostrophe, as in the CSV export; quotes, tabs and line breaks are
quoted the way Excel writes them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView

from ...excel.cells import clean_text, is_formula_like

__all__ = ["copy_to_clipboard", "selected_grid", "tsv_cell", "visible_columns"]


def tsv_cell(text: str) -> str:
    text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    if is_formula_like(text):
        text = "'" + text
    if '"' in text or "\n" in text:
        text = '"' + text.replace('"', '""') + '"'
    return text


def visible_columns(view: QTableView) -> list[int]:
    """The view's columns as the user sees them: visual order, hidden ones left out."""
    header = view.horizontalHeader()
    out = []
    for visual in range(header.count()):
        logical = header.logicalIndex(visual)
        if not view.isColumnHidden(logical):
            out.append(logical)
    return out


def selected_grid(view: QTableView, columns: Sequence[int] | None = None) -> list[list[str]]:
    """The selected rows (in the view's order) × the selected visible columns, headers first."""
    model = view.model()
    selection = view.selectionModel()
    if model is None or selection is None:
        return []
    indexes = selection.selectedIndexes()
    rows = sorted({i.row() for i in indexes})
    if not rows:
        return []
    if columns is None:
        chosen = {i.column() for i in indexes}
        columns = [c for c in visible_columns(view) if c in chosen]
    header = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
    grid = [header]
    for r in rows:
        grid.append([str(model.index(r, c).data() or "") for c in columns])
    return grid


def grid_tsv(grid: list[list[str]]) -> str:
    return "".join("\t".join(tsv_cell(cell) for cell in row) + "\r\n" for row in grid)


def grid_html(grid: list[list[str]]) -> str:
    style = " style=\"mso-number-format:'\\@'\""
    rows = []
    for i, row in enumerate(grid):
        tag = "th" if i == 0 else "td"
        cells = "".join(f"<{tag}{style}>{html.escape(clean_text(c))}</{tag}>" for c in row)
        rows.append(f"<tr>{cells}</tr>")
    return "<html><body><table>" + "".join(rows) + "</table></body></html>"


def copy_to_clipboard(grid: list[list[str]], *, with_html: bool = True) -> str:
    """Put ``grid`` on the clipboard; returns the plain text (empty: nothing copied)."""
    if not grid:
        return ""
    text = grid_tsv(grid)
    mime = QMimeData()
    mime.setText(text)
    if with_html:
        mime.setHtml(grid_html(grid))
    QGuiApplication.clipboard().setMimeData(mime)
    return text
