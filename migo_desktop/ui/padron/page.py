"""«Padrón SUNAT»: what is installed (date, rows, size), Actualizar / Importar archivo / Eliminar, progress
with size, rate and ETA (the work runs in a thread: the window stays responsive), Cancelar, the import
report, and the «older than N days» hint setting.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.numbers import fmt_int
from ...core.padron import ImportReport, PadronInfo, Progress
from ...core.padron.sources import SourcePolicy
from ..base.services import Services
from ..widgets.files import ask_open_file
from .bulk_sources import PadronBulkSources
from .controller import PadronController

__all__ = ["PadronPage"]


def _n(value: float) -> str:
    return fmt_int(round(value))


def _size(size: int) -> str:
    return f"{_n(size / 1e6)} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"


class PadronPage(QWidget):
    def __init__(
        self, services: Services, controller: PadronController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.controller = controller
        self.sources = PadronBulkSources(controller)
        self._working = False
        self._build()
        c = controller
        c.infoChanged.connect(self.show_info)
        c.progress.connect(self.show_progress)
        c.busyChanged.connect(self._busy)
        c.finished.connect(self.show_report)
        c.failed.connect(self._failed)
        self.show_info(c.info())
        self._busy(c.busy)

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(20, 16, 20, 12)
        root.setSpacing(10)
        title = QLabel(self.tr("Padrón SUNAT"), self)
        title.setObjectName("pageTitle")
        root.addWidget(title)
        intro = QLabel(
            self.tr(
                "El padrón reducido del RUC que SUNAT publica gratis cada día, guardado en tu computadora: "
                "estado y condición de cualquier RUC sin conexión y sin costo, búsqueda por razón social, y "
                "consultas masivas que solo pagan a Migo lo que el padrón no responde. Los datos, también "
                "los nombres de personas naturales, se quedan en tu equipo."
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        root.addWidget(intro)

        card = QFrame(self)
        card.setObjectName("card")
        box = QVBoxLayout(card)
        box.setContentsMargins(16, 12, 16, 12)
        self.status = QLabel(card)
        self.status.setObjectName("cardTitle")
        self.details = QLabel(card)
        self.details.setObjectName("muted")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel(card)
        self.hint.setObjectName("message")
        self.hint.setWordWrap(True)
        box.addWidget(self.status)
        box.addWidget(self.details)
        box.addWidget(self.hint)
        buttons = QHBoxLayout()
        self.update_button = QPushButton(self.tr("Actualizar desde SUNAT"), card)
        self.update_button.setObjectName("primary")
        self.update_button.setToolTip(self.tr("Descarga el ZIP de SUNAT (~370 MB) y lo importa"))
        self.import_button = QPushButton(self.tr("Importar archivo…"), card)
        self.import_button.setToolTip(self.tr("padron_reducido_ruc.zip o .txt que ya descargaste"))
        self.remove_button = QPushButton(self.tr("Eliminar"), card)
        for b in (self.update_button, self.import_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        box.addLayout(buttons)
        root.addWidget(card)

        self.progress_box = QFrame(self)
        row = QHBoxLayout(self.progress_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar(self.progress_box)
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.progress_label = QLabel(self.progress_box)
        self.cancel_button = QPushButton(self.tr("Cancelar"), self.progress_box)
        row.addWidget(self.bar, 2)
        row.addWidget(self.progress_label, 3)
        row.addWidget(self.cancel_button)
        root.addWidget(self.progress_box)

        self.report = QLabel(self)
        self.report.setObjectName("info")
        self.report.setWordWrap(True)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.report)

        source = QHBoxLayout()
        source.addWidget(QLabel(self.tr("Fuente para las consultas masivas:"), self))
        self.policy = QComboBox(self)
        self.policy.setAccessibleName(self.tr("Fuente para las consultas masivas"))
        for policy in (SourcePolicy.MIGO, SourcePolicy.HYBRID, SourcePolicy.PADRON):
            self.policy.addItem(policy.label, policy)
        self.policy.setCurrentIndex(max(0, self.policy.findData(self.sources.policy)))
        self.policy.currentIndexChanged.connect(
            lambda i: self.sources.set_policy(SourcePolicy(self.policy.itemData(i)))
        )
        source.addWidget(self.policy)
        source.addStretch(1)
        root.addLayout(source)

        stale = QHBoxLayout()
        stale.addWidget(QLabel(self.tr("Avisarme cuando el padrón tenga más de"), self))
        self.stale_days = QSpinBox(self)
        self.stale_days.setRange(1, 365)
        self.stale_days.setValue(self.controller.stale_days)
        self.stale_days.setSuffix(self.tr(" días"))
        stale.addWidget(self.stale_days)
        stale.addStretch(1)
        root.addLayout(stale)
        root.addStretch(1)

        self.update_button.clicked.connect(lambda: self.controller.download())
        self.import_button.clicked.connect(self.choose_file)
        self.remove_button.clicked.connect(self.confirm_remove)
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.stale_days.valueChanged.connect(self.controller.set_stale_days)
        self.report.setVisible(False)

    # -- showing -----------------------------------------------------------------------------------------
    def show_info(self, info: PadronInfo | None) -> None:
        self.remove_button.setEnabled(info is not None and not self._working)
        if info is None:
            self.status.setText(self.tr("No hay padrón en este equipo"))
            self.details.setText(
                self.tr("Pulsa «Actualizar desde SUNAT» para descargarlo, o importa el ZIP si ya lo tienes.")
            )
            self.hint.setVisible(False)
            return
        age = info.age_days(date.today())
        self.status.setText(info.fecha_texto[0].upper() + info.fecha_texto[1:])
        self.details.setText(
            self.tr("{0} contribuyentes · {1} en disco · origen: {2}").format(
                _n(info.registros), _size(info.size_bytes), info.origen
            )
        )
        stale = age is not None and age > self.controller.stale_days
        self.hint.setVisible(stale)
        if stale:
            self.hint.setText(
                self.tr(
                    "El padrón tiene {0} días. Actualízalo para ver los cambios de estado recientes."
                ).format(age)
            )

    def show_progress(self, p: Progress) -> None:
        self.progress_box.setVisible(True)
        if p.fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(p.fraction * 1000))
        self.progress_label.setText(p.text())

    def show_report(self, report: ImportReport) -> None:
        self.report.setText("\n".join(report.summary()))
        self.report.setObjectName("info")
        self.report.setVisible(True)
        self.services.events.statusMessage.emit(self.tr("Padrón SUNAT actualizado."))

    def _failed(self, message: str) -> None:
        self.report.setText(message)
        self.report.setObjectName("message")
        self.report.style().unpolish(self.report)
        self.report.style().polish(self.report)
        self.report.setVisible(True)

    def _busy(self, busy: bool) -> None:
        self._working = busy
        self.progress_box.setVisible(busy)
        if busy:
            self.report.setVisible(False)
            self.progress_label.setText(self.tr("Preparando…"))
            self.bar.setRange(0, 0)
        for b in (self.update_button, self.import_button):
            b.setEnabled(not busy)
        self.remove_button.setEnabled(not busy and self.controller.info() is not None)

    # -- actions -----------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path = ask_open_file(
            self,
            self.services.prefs,
            self.tr("Importar padrón de SUNAT"),
            self.tr("Padrón de SUNAT (*.zip *.txt);;Todos los archivos (*)"),
            kind="padron",
        )
        if path is not None:
            self.controller.import_file(path)

    def confirm_remove(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Eliminar padrón"),
            self.tr("¿Eliminar el padrón SUNAT de este equipo? Podrás descargarlo de nuevo cuando quieras."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.finished.connect(lambda _result: self._removed(box.clickedButton() is yes))
        box.open()

    def _removed(self, yes: bool) -> None:
        if yes:
            self.controller.remove()
            self.report.setVisible(False)
