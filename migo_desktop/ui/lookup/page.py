"""Consulta: one field for a RUC or a DNI, validated while typing; the result card; recent lookups.

The record's headline (razón social, estado, condición, apto and the actions) stays above the scrolling
details, so it is always visible; representatives scroll into view when they arrive.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import MigoError
from ...core.models import IdKind, LookupResult, LookupStatus, Representative, ResultSource
from ..base.services import Services
from ..widgets.representatives import RepresentativesTable
from ..widgets.result_card import ResultCard
from .controller import LookupController
from .messages import lookup_failure

__all__ = ["LookupPage"]

ROLE_RESULT = Qt.ItemDataRole.UserRole + 1


class LookupPage(QWidget):
    openPreferences = Signal()

    def __init__(
        self, services: Services, controller: LookupController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.controller = controller
        self._last_search: tuple[str, bool] | None = None  # (text, force_refresh) for Reintentar
        self._retry_reps: str | None = None  # Reintentar after representatives failed: their RUC
        self._build()
        self._wire()
        self.on_text_changed("")
        self.refresh_recent()

    # layout ----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(20, 16, 20, 12)
        root.setSpacing(8)
        title = QLabel(self.tr("Consulta de RUC o DNI"), self)
        title.setObjectName("pageTitle")
        root.addWidget(title)

        row = QHBoxLayout()
        self.field = QLineEdit(self)
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText(
            self.tr("Escribe un RUC (11 dígitos) o un DNI (8 dígitos) y pulsa Enter")
        )
        self.field.setAccessibleName(self.tr("RUC o DNI a consultar"))
        self.field.setClearButtonEnabled(True)
        self.field.setMaxLength(40)
        self.search_button = QPushButton(self.tr("Buscar"), self)
        self.search_button.setObjectName("primary")
        self.search_button.setAccessibleName(self.tr("Buscar"))
        row.addWidget(self.field, 1)
        row.addWidget(self.search_button)
        root.addLayout(row)

        self.validation = QLabel(self)
        self.validation.setAccessibleName(self.tr("Validación del número"))
        root.addWidget(self.validation)

        msg_row = QHBoxLayout()
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(self.tr("Reintentar"), self)
        self.retry_button.setAccessibleName(self.tr("Reintentar la consulta"))
        self.prefs_button = QPushButton(self.tr("Abrir Preferencias"), self)
        self.prefs_button.setAccessibleName(self.tr("Abrir Preferencias para revisar el token"))
        msg_row.addWidget(self.message, 1)
        msg_row.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        msg_row.addWidget(self.prefs_button, 0, Qt.AlignmentFlag.AlignTop)
        root.addLayout(msg_row)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        column = QWidget(splitter)
        column_box = QVBoxLayout(column)
        column_box.setContentsMargins(0, 0, 0, 0)
        left = QWidget(column)
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        self.card = ResultCard(left)
        column_box.addWidget(self.card.headline)  # outside the scroll area: always visible
        self.reps_title = QLabel(self.tr("Representantes legales"), left)
        self.reps_title.setObjectName("cardTitle")
        self.reps = RepresentativesTable(left)
        self.empty = QLabel(
            self.tr(
                "Escribe un número arriba. El dígito verificador se revisa antes de consultar, así no pagas "
                "por números mal escritos."
            ),
            left,
        )
        self.empty.setObjectName("info")
        self.empty.setWordWrap(True)
        left_box.addWidget(self.empty)
        left_box.addWidget(self.card)
        left_box.addWidget(self.reps_title)
        left_box.addWidget(self.reps)
        left_box.addStretch(1)
        scroll = QScrollArea(column)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(left)
        column_box.addWidget(scroll, 1)
        self.details_scroll = scroll

        right = QWidget(splitter)
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(8, 0, 0, 0)
        recent_title = QLabel(self.tr("Consultas recientes"), right)
        recent_title.setObjectName("cardTitle")
        self.recent = QListWidget(right)
        self.recent.setObjectName("recent")
        self.recent.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.recent.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent.setAccessibleName(self.tr("Consultas recientes"))
        self.recent.setToolTip(self.tr("Se abren al instante, sin nueva consulta"))
        self.recent_empty = QLabel(
            self.tr(
                "Aquí aparecerán los RUC y DNI que consultes. Con un clic vuelves a verlos al instante, "
                "sin pagar otra consulta."
            ),
            right,
        )
        self.recent_empty.setObjectName("info")
        self.recent_empty.setWordWrap(True)
        right_box.addWidget(recent_title)
        right_box.addWidget(self.recent_empty)
        right_box.addWidget(self.recent, 1)
        splitter.addWidget(column)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([700, 260])
        self._root = root
        root.addWidget(splitter, 1)
        self._hide_extras()
        self.setTabOrder(self.field, self.search_button)
        self.setTabOrder(self.search_button, self.recent)

    def add_panel(self, panel: QWidget) -> None:
        """A panel placed by the shell above the results (the padrón's instant answers and name search)."""
        self._root.insertWidget(self._root.count() - 1, panel)

    def _wire(self) -> None:
        self.field.textChanged.connect(self.on_text_changed)
        self.field.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.prefs_button.clicked.connect(self.openPreferences)
        self.retry_button.clicked.connect(self.retry)
        self.recent.itemActivated.connect(self._open_recent)
        self.recent.itemClicked.connect(self._open_recent)
        self.card.representativesRequested.connect(self._load_reps)
        self.card.refreshRequested.connect(self.search_again)
        self.card.rucRequested.connect(self.search_number)
        self.card.copied.connect(
            lambda _t: self.services.events.statusMessage.emit(self.tr("Datos copiados."))
        )
        c = self.controller
        c.busyChanged.connect(self._busy)
        c.resultReady.connect(self.show_result)
        c.failed.connect(self.show_error)
        c.representativesReady.connect(self._show_reps)
        c.representativesFailed.connect(self._reps_error)
        c.recentChanged.connect(self._fill_recent)

    def _hide_extras(self) -> None:
        self.message.setVisible(False)
        self.prefs_button.setVisible(False)
        self.retry_button.setVisible(False)
        self.reps_title.setVisible(False)
        self.reps.setVisible(False)

    # validation --------------------------------------------------------------------------------------
    def on_text_changed(self, text: str) -> None:
        if not text.strip():
            self.validation.setText("")
            self.search_button.setEnabled(False)
            return
        check = self.controller.check(text)
        if check.ok:
            kind = self.tr("RUC válido") if check.kind is IdKind.RUC else self.tr("DNI válido")
            self.validation.setObjectName("validOk")
            self.validation.setText("✓ " + kind)
        else:
            self.validation.setObjectName("validBad")
            self.validation.setText("✗ " + (check.reason or self.tr("Número no válido")))
        self.validation.style().unpolish(self.validation)
        self.validation.style().polish(self.validation)
        self.search_button.setEnabled(check.ok)

    # actions -------------------------------------------------------------------------------------------
    def search(self, *, force_refresh: bool = False) -> None:
        if not self.search_button.isEnabled():
            return
        text = self.field.text()
        task = self.controller.search(text, force_refresh=force_refresh)
        if task is not None:
            self._last_search = (text, force_refresh)
            self._retry_reps = None
            self.controller.tasks.cancel("representatives")
            self._hide_extras()

    def search_again(self, number: str) -> None:
        """«Consultar de nuevo» on a saved answer: ask Migo again instead of the cache."""
        self.search_number(number, force_refresh=True)

    def search_number(self, number: str, *, force_refresh: bool = False) -> None:
        """Put ``number`` in the field and look it up (a DNI's RUC 10, Consultar de nuevo)."""
        self.field.setText(number)
        self.search(force_refresh=force_refresh)

    def retry(self) -> None:
        self.message.setVisible(False)
        self.retry_button.setVisible(False)
        if self._retry_reps is not None:
            ruc, self._retry_reps = self._retry_reps, None
            self.card.reps_button.setEnabled(False)
            self._load_reps(ruc)
        elif self._last_search is not None:
            text, force = self._last_search
            self.search_number(text, force_refresh=force)

    def focus_search(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _busy(self, busy: bool) -> None:
        self.search_button.setText(self.tr("Buscando…") if busy else self.tr("Buscar"))
        if busy:
            self.services.events.statusMessage.emit(self.tr("Consultando…"))

    def show_result(self, result: LookupResult) -> None:
        self._hide_extras()
        self.empty.setVisible(False)
        self.reps.setRowCount(0)
        if result.status is LookupStatus.NOT_FOUND:
            self.card.hide_result()
            if result.kind is IdKind.RUC:
                text = self.tr("No se encontró el RUC {0} en SUNAT. Revisa el número.")
            else:
                text = self.tr("No se encontró el DNI {0} en RENIEC. Revisa el número.")
            self._message(text.format(result.number))
            return
        self.card.show_result(result, demo=self.services.demo)
        if result.from_cache:
            source = self.tr("desde caché")
        elif self.services.demo:
            source = self.tr("datos simulados")
        else:
            source = self.tr("consultado en Migo")
        if result.source is ResultSource.PADRON:
            source = result.source_label
        self.services.events.statusMessage.emit(
            self.tr("{0} {1} ({2})").format(result.kind.value.upper(), result.number, source)
        )

    def show_error(self, exc: MigoError) -> None:
        failure = lookup_failure(exc)
        self._message(failure.text, prefs=failure.preferences, retry=failure.retry)

    def _message(self, text: str, *, prefs: bool = False, retry: bool = False) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        self.prefs_button.setVisible(prefs)
        self.retry_button.setVisible(retry and self._last_search is not None)

    # representatives ---------------------------------------------------------------------------------
    def _load_reps(self, ruc: str) -> None:
        self.controller.load_representatives(ruc)

    def _show_reps(self, ruc: str, reps: list[Representative]) -> None:
        self.card.reps_button.setEnabled(True)
        shown = self.card.result.taxpayer if self.card.result else None
        if shown is None or shown.ruc != ruc or self.card.isHidden():
            return  # an answer for a card that is no longer on screen
        self.reps_title.setVisible(True)
        self.reps.setVisible(True)
        self.reps.set_representatives(reps)
        if not reps:
            self.reps_title.setText(self.tr("Representantes legales: SUNAT no registra ninguno"))
        else:
            self.reps_title.setText(self.tr("Representantes legales"))
        QTimer.singleShot(0, self, self.scroll_to_representatives)  # once the layout made room for them

    def scroll_to_representatives(self) -> None:
        if self.reps_title.isVisibleTo(self):
            self.details_scroll.ensureWidgetVisible(self.reps, 0, 0)
            self.details_scroll.ensureWidgetVisible(self.reps_title, 0, 8)

    def _reps_error(self, ruc: str, exc: MigoError) -> None:
        self.card.reps_button.setEnabled(True)
        failure = lookup_failure(exc)
        self._retry_reps = ruc
        self._message(failure.text, prefs=failure.preferences, retry=failure.retry)

    # recent ------------------------------------------------------------------------------------------
    def refresh_recent(self) -> None:
        self._fill_recent(self.controller.recent())

    def _fill_recent(self, results: list[LookupResult]) -> None:
        self.recent.clear()
        self.recent_empty.setVisible(not results)
        for r in results:
            name = (
                r.taxpayer.razon_social if r.taxpayer else (r.person.nombre if r.person else r.status.label)
            )
            item = QListWidgetItem(f"{r.number}\n{name}")
            item.setData(ROLE_RESULT, r)
            item.setToolTip(name)
            self.recent.addItem(item)

    def _open_recent(self, item: QListWidgetItem) -> None:
        result = item.data(ROLE_RESULT)
        if isinstance(result, LookupResult):
            self.controller.cancel()
            self.field.blockSignals(True)
            self.field.setText(result.number)
            self.field.blockSignals(False)
            self.on_text_changed(result.number)
            self.show_result(result)
