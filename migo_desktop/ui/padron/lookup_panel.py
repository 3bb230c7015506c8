"""The padrón inside Consulta (placed there by the shell): a valid RUC typed in Consulta is answered at once
from the padrón, labelled «Padrón dd/mm/yyyy», with «Consultar en vivo en Migo» one click away; and a name
search (words in any order, accents and case ignored) with results while typing.

The panel never queries Migo itself: it emits ``answered(LookupResult)`` (the shell shows it in Consulta's
card) and ``liveRequested(ruc)`` (the shell runs Consulta's paid lookup).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.models import IdKind, LookupResult, LookupStatus
from ..base.tasks import TaskOwner
from .controller import PadronController

__all__ = ["PadronLookupPanel"]

SEARCH_DELAY_MS = 200  # wait for a pause in typing before searching
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1


class PadronLookupPanel(QFrame):
    answered = Signal(object)  # LookupResult from the padrón
    liveRequested = Signal(str)  # a RUC to look up live in Migo (paid)

    def __init__(self, controller: PadronController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.controller = controller
        self.tasks = TaskOwner("padron-panel")
        self.current: LookupResult | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search_now)
        self._build()
        controller.infoChanged.connect(lambda _info: self.refresh())
        self.refresh()

    def _build(self) -> None:
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 8)
        top = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setObjectName("fieldLabel")
        self.name_field = QLineEdit(self)
        self.name_field.setPlaceholderText(self.tr("Buscar por razón social o nombre en el padrón…"))
        self.name_field.setAccessibleName(self.tr("Buscar por nombre en el padrón SUNAT"))
        self.name_field.setClearButtonEnabled(True)
        top.addWidget(self.title)
        top.addWidget(self.name_field, 1)
        box.addLayout(top)
        answer = QHBoxLayout()
        self.answer = QLabel(self)
        self.answer.setWordWrap(True)
        self.live_button = QPushButton(self.tr("Consultar en vivo en Migo"), self)
        self.live_button.setToolTip(self.tr("Consulta este RUC en Migo ahora (usa una consulta de tu plan)"))
        answer.addWidget(self.answer, 1)
        answer.addWidget(self.live_button)
        box.addLayout(answer)
        self.results = QListWidget(self)
        self.results.setObjectName("recent")
        self.results.setAccessibleName(self.tr("Resultados en el padrón"))
        box.addWidget(self.results)
        self.name_field.textChanged.connect(lambda _t: self._timer.start())
        self.results.itemActivated.connect(self._open)
        self.results.itemClicked.connect(self._open)
        self.live_button.clicked.connect(self._live)
        self._show_answer(None)
        self.results.setVisible(False)

    def refresh(self) -> None:
        info = self.controller.info()
        self.setVisible(info is not None)
        if info is not None:
            stale = " ⚠" if self.controller.is_stale() else ""
            self.title.setText(self.tr("Padrón SUNAT ({0}){1}").format(info.fecha_texto, stale))

    # -- RUC typed in Consulta -----------------------------------------------------------------------------
    def show_ruc(self, text: str) -> None:
        """Consulta's field changed: answer a valid RUC from the padrón at once (no cost)."""
        from ...core.ids import parse_identifier  # python-stdnum: loads at the first keystroke

        check = parse_identifier(text.strip(), expect=IdKind.RUC) if text.strip() else None
        if check is None or not check.ok or check.kind is not IdKind.RUC or check.number is None:
            self.tasks.cancel("ruc")
            self._show_answer(None)
            return
        self.tasks.spawn(self._answer_ruc(check.number), key="ruc")

    async def _answer_ruc(self, ruc: str) -> None:
        result = await self.controller.lookup(ruc)
        if result is None:
            return
        self._show_answer(result)
        if result.status is LookupStatus.OK:
            self.answered.emit(result)

    # -- name search ---------------------------------------------------------------------------------------
    def _search_now(self) -> None:
        text = self.name_field.text().strip()
        if len(text) < 2:
            self.tasks.cancel("search")
            self.results.clear()
            self.results.setVisible(False)
            return
        self.tasks.spawn(self._search(text), key="search")

    async def _search(self, text: str) -> None:
        found = await self.controller.search(text)
        self.results.clear()
        for record in found.records:
            label = (
                f"{record.nombre}  ·  RUC {record.ruc}  ·  {record.estado or '—'} / {record.condicion or '—'}"
            )
            item = QListWidgetItem(label, self.results)
            item.setData(RECORD_ROLE, record)
        if not found.records:
            QListWidgetItem(self.tr("Ningún nombre del padrón tiene esas palabras."), self.results)
        elif found.truncated:
            QListWidgetItem(self.tr("Hay más coincidencias: escribe otra palabra para acotar."), self.results)
        rows = min(self.results.count(), 6)  # as tall as its rows (up to 6), so Consulta's card keeps room
        self.results.setFixedHeight(rows * max(self.results.sizeHintForRow(0), 20) + 6)
        self.results.setVisible(True)

    def _open(self, item: QListWidgetItem) -> None:
        record: Any = item.data(RECORD_ROLE)
        if record is None:
            return
        result = self.controller.result_for(record)
        self._show_answer(result)
        self.answered.emit(result)

    # -- answer line ---------------------------------------------------------------------------------------
    def _show_answer(self, result: LookupResult | None) -> None:
        self.current = result
        self.live_button.setVisible(result is not None)
        self.answer.setVisible(result is not None)
        if result is None:
            return
        if result.status is LookupStatus.NOT_FOUND:
            self.answer.setText(self.tr("RUC {0}: no figura en el {1}.").format(result.number, self._when()))
            return
        tp = result.taxpayer
        state = f"{tp.estado or '—'} / {tp.condicion or '—'}" if tp else ""
        apto = (
            self.tr("apto para facturar")
            if tp and tp.apto_para_facturar
            else self.tr("NO apto para facturar")
        )
        self.answer.setText(
            self.tr("Respuesta gratis del {0}: {1} — {2}, {3}.").format(
                self._when(), result.number, state, apto
            )
        )

    def _when(self) -> str:
        info = self.controller.info()
        return info.fecha_texto if info else "padrón"

    def _live(self) -> None:
        if self.current is not None:
            self.liveRequested.emit(self.current.number)
