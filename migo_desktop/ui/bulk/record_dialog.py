"""«Ver ficha»: one row of the results table as its full record, with the legal representatives on demand.

The same ``ResultCard`` as on Consulta. The dialog never holds a client: «Ver representantes legales» asks
the page's controller, which fetches them in a task it owns and answers on ``representativesReady`` /
``representativesFailed``; the dialog shows the answer only if it is still about the RUC on screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core.models import LookupResult, LookupStatus, Representative
from ..widgets.representatives import RepresentativesTable
from ..widgets.result_card import ResultCard
from .result_rows import ResultRow

__all__ = ["RecordDialog", "result_from_row"]


def result_from_row(row: ResultRow) -> LookupResult | None:
    """The row's answer as a LookupResult (None while it has no data: pending, invalid, error, not found)."""
    if row.data is None or row.kind is None:
        return None
    return LookupResult(
        kind=row.kind,
        number=row.number,
        status=LookupStatus.OK,
        data=row.data,
        fetched_at=row.consulted_at,
        from_cache=True,  # what the run stored: the card says when it was looked up
    )


class RecordDialog(QDialog):
    representativesRequested = Signal(str)

    def __init__(self, row: ResultRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.setWindowTitle(self.tr("Ficha de %s · fila %s") % (row.number or "—", row.fila))
        self.resize(780, 640)
        self.card = ResultCard(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reps_title = QLabel(self.tr("Representantes legales"), self)
        self.reps_title.setObjectName("cardTitle")
        self.reps = RepresentativesTable(self)
        self.reps_title.hide()
        self.reps.hide()

        self.body = body = QWidget(self)
        box = QVBoxLayout(body)
        box.addWidget(self.message)
        box.addWidget(self.card)
        box.addWidget(self.reps_title)
        box.addWidget(self.reps)
        box.addStretch(1)
        self.body_scroll = QScrollArea(self)
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body_scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Cerrar"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body_scroll, 1)
        layout.addWidget(buttons)

        self.card.representativesRequested.connect(self.representativesRequested)
        result = result_from_row(row)
        if result is not None:
            self.card.show_result(result)
            self.message.hide()
        else:
            self.card.hide()
            why = f" {row.reason}" if row.reason else ""
            self.message.setText(
                self.tr("La fila %s (%s) no tiene ficha: su resultado es %s.%s")
                % (row.fila, row.number or "sin número", row.status.label, why)
            )

    @property
    def ruc(self) -> str:
        tp = self.row.taxpayer
        return tp.ruc if tp is not None else ""

    def show_representatives(self, ruc: str, reps: list[Representative]) -> None:
        self.card.reps_button.setEnabled(True)
        if ruc != self.ruc:
            return  # an answer for another record
        self.reps_title.setText(
            self.tr("Representantes legales")
            if reps
            else self.tr("Representantes legales: SUNAT no registra ninguno")
        )
        self.reps_title.show()
        self.reps.setVisible(bool(reps))
        self.reps.set_representatives(reps)
        self.body.adjustSize()
        bar = self.body_scroll.verticalScrollBar()  # bring the representatives into view, scrolling as little
        shown = self.reps if reps else self.reps_title  # as possible (the headline stays if it can)
        bottom = shown.y() + min(shown.height(), 160) - self.body_scroll.viewport().height()
        bar.setValue(min(bar.maximum(), self.reps_title.y(), max(bar.value(), bottom)))

    def show_representatives_error(self, ruc: str, message: str) -> None:
        self.card.reps_button.setEnabled(True)
        if ruc != self.ruc:
            return
        self.reps_title.setText(message)
        self.reps_title.show()
        self.reps.hide()
