"""Preferencias: token (masked, OS keyring), API version, concurrency, rate cap, timeouts, cache, data folder.

Opened with ``open()`` (window-modal, non-blocking) so it never nests an event loop inside a coroutine.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import ConfigError
from ...core.settings import USER_CONCURRENCY
from ..base.numbers import fmt_int
from ..base.services import Services
from ..base.theme import colors
from .controller import KnobValues, PreferencesController
from .token_storage import TokenStorageNotice

__all__ = ["PreferencesDialog"]

FIELD_WIDTH = 440  # px: the form's field column at the dialog's minimum width (560)


class PreferencesDialog(QDialog):
    def __init__(
        self, services: Services, controller: PreferencesController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.controller = controller
        self.setWindowTitle(self.tr("Preferencias"))
        self.setMinimumWidth(560)
        self._build()
        self._load()
        controller.testStarted.connect(self._test_started)
        controller.testFinished.connect(self._test_finished)

    # layout ----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)

        account = QGroupBox(self.tr("Cuenta de Migo"), self)
        form = QFormLayout(account)
        token_row = QHBoxLayout()
        self.token = QLineEdit(self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("Pega aquí el token de tu cuenta de Migo"))
        self.token.setAccessibleName(self.tr("Token de la API"))
        self.show_token = QCheckBox(self.tr("Mostrar"), self)
        self.show_token.setAccessibleName(self.tr("Mostrar el token"))
        self.show_token.toggled.connect(
            lambda on: self.token.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
            )
        )
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.show_token)
        form.addRow(self.tr("Token:"), token_row)
        self.token_note = QLabel(self)
        self.token_note.setObjectName("muted")
        self.token_note.setWordWrap(True)
        form.addRow("", self.token_note)
        self.storage = TokenStorageNotice(self, form)
        test_row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Probar conexión"), self)
        self.test_result = QLabel(self)
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName(self.tr("Resultado de la prueba de conexión"))
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        form.addRow("", test_row)
        self.version = QComboBox(self)
        self.version.addItem(self.tr("v1 (recomendada)"), "v1")
        self.version.addItem(self.tr("v2"), "v2")
        self.version.setAccessibleName(self.tr("Versión de la API"))
        form.addRow(self.tr("Versión de la API:"), self.version)
        root.addWidget(account)

        speed = QGroupBox(self.tr("Velocidad y tiempos de espera"), self)
        sform = QFormLayout(speed)
        self.concurrency = self._spin(*USER_CONCURRENCY, self.tr("Consultas simultáneas"))
        sform.addRow(self.tr("Consultas simultáneas:"), self.concurrency)
        self.rpm = self._spin(0, 100_000, self.tr("Máximo de consultas por minuto"))
        self.rpm.setSpecialValueText(self.tr("sin límite"))
        self.rpm.setSingleStep(60)
        sform.addRow(self.tr("Máximo por minuto:"), self.rpm)
        self.connect_timeout = self._dspin(1, 120, self.tr("Tiempo de espera de conexión"), " s")
        sform.addRow(self.tr("Espera de conexión:"), self.connect_timeout)
        self.read_timeout = self._dspin(1, 300, self.tr("Tiempo de espera de respuesta"), " s")
        sform.addRow(self.tr("Espera de respuesta:"), self.read_timeout)
        root.addWidget(speed)

        cache = QGroupBox(self.tr("Caché y datos"), self)
        cform = QFormLayout(cache)
        self.ttl_found = self._dspin(0, 24 * 365, self.tr("Vigencia de resultados encontrados"), " h")
        cform.addRow(self.tr("Reusar encontrados durante:"), self.ttl_found)
        self.ttl_not_found = self._dspin(0, 24 * 365, self.tr("Vigencia de no encontrados"), " h")
        cform.addRow(self.tr("Reusar no encontrados durante:"), self.ttl_not_found)
        cache_row = QHBoxLayout()
        self.cache_label = QLabel(self)
        self.clear_button = QPushButton(self.tr("Vaciar caché…"), self)
        cache_row.addWidget(self.cache_label, 1)
        cache_row.addWidget(self.clear_button)
        cform.addRow(self.tr("Caché:"), cache_row)
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(str(self.services.paths.data_dir), self)
        self.folder.setReadOnly(True)
        self.folder.setAccessibleName(self.tr("Carpeta de datos"))
        self.open_folder = QPushButton(self.tr("Abrir carpeta"), self)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_folder)
        cform.addRow(self.tr("Carpeta de datos:"), folder_row)
        root.addWidget(cache)

        looks = QGroupBox(self.tr("Apariencia"), self)
        lform = QFormLayout(looks)
        self.appearance = QComboBox(self)
        self.appearance.addItem(self.tr("Sistema (como el sistema operativo)"), "sistema")
        self.appearance.addItem(self.tr("Claro"), "claro")
        self.appearance.addItem(self.tr("Oscuro"), "oscuro")
        self.appearance.setAccessibleName(self.tr("Apariencia: claro, oscuro o como el sistema"))
        lform.addRow(self.tr("Colores:"), self.appearance)
        root.addWidget(looks)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        root.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.test_button.clicked.connect(self.test_connection)
        self.clear_button.clicked.connect(self.ask_clear_cache)
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.services.paths.data_dir)))
        )

    def _spin(self, lo: int, hi: int, name: str) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(lo, hi)
        box.setAccessibleName(name)
        return box

    def _dspin(self, lo: float, hi: float, name: str, suffix: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setRange(lo, hi)
        box.setDecimals(1)
        box.setSuffix(suffix)
        box.setAccessibleName(name)
        return box

    def _load(self) -> None:
        s = self.services.settings
        self.token.setText(self.controller.stored_token())
        if self.services.token_from_env:
            self.token.setEnabled(False)
            self.token_note.setText(self.tr("El token viene de la variable de entorno MIGO_TOKEN."))
        elif self.services.demo_forced:
            self.token_note.setText(self.tr("MIGO_DEMO=1 fuerza el modo demostración."))
        elif s.demo and not self.controller.keyring_available():
            self.token_note.setText(self.tr("Sin token la aplicación funciona en modo demostración."))
        elif s.demo:
            self.token_note.setText(
                self.tr(
                    "Sin token la aplicación funciona en modo demostración. El token se guarda en el "
                    "almacén seguro del sistema, nunca en un archivo."
                )
            )
        elif self.services.token_in_session:
            self.token_note.setText(self.tr("En uso solo hasta que cierres la aplicación."))
        else:
            self.token_note.setText(self.tr("Guardado en el almacén seguro del sistema."))
        if not self.services.token_from_env and not self.controller.keyring_available():
            self.storage.show_unavailable(session_only=self.services.token_in_session)
        # A dialog sizes itself without asking wrapped labels how tall they get: reserve their height at the
        # field column's width (the dialog's minimum width less the labels' column).
        for label in (self.token_note, self.storage.explanation):
            label.setMinimumHeight(max(0, label.heightForWidth(FIELD_WIDTH)))
        k = KnobValues.of(s)
        self.version.setCurrentIndex(max(0, self.version.findData(k.api_version)))
        self.concurrency.setValue(min(USER_CONCURRENCY[1], k.concurrency))
        self.rpm.setValue(k.requests_per_minute)
        self.connect_timeout.setValue(k.connect_timeout)
        self.read_timeout.setValue(k.read_timeout)
        self.ttl_found.setValue(k.ttl_found_hours)
        self.ttl_not_found.setValue(k.ttl_not_found_hours)
        self._show_cache_count()
        prefs = self.services.prefs
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(prefs.appearance())))

    def knobs(self) -> KnobValues:
        return KnobValues(
            api_version=str(self.version.currentData()),
            concurrency=self.concurrency.value(),
            requests_per_minute=self.rpm.value(),
            connect_timeout=self.connect_timeout.value(),
            read_timeout=self.read_timeout.value(),
            ttl_found_hours=self.ttl_found.value(),
            ttl_not_found_hours=self.ttl_not_found.value(),
        )

    # actions -------------------------------------------------------------------------------------------
    def test_connection(self):
        return self.controller.test_connection(self.token.text(), self.knobs())

    def _test_started(self) -> None:
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Probando…"))

    def _test_finished(self, ok: bool, message: str) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setStyleSheet(f"color: {colors()['good' if ok else 'bad']};")
        self.test_result.setText(message)

    def _show_cache_count(self) -> None:
        n = self.controller.cache_count()
        many = self.tr("{0} consultas guardadas").format(fmt_int(n))
        self.cache_label.setText(self.tr("1 consulta guardada") if n == 1 else many)
        self.clear_button.setEnabled(n > 0)

    def ask_clear_cache(self) -> QMessageBox:
        n = self.controller.cache_count()
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Vaciar caché"),
            self.tr(
                "¿Borrar las {0} consultas guardadas? Las próximas consultas se volverán a pagar."
            ).format(fmt_int(n)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda code: self._clear_answered(code))
        box.open()
        self._confirm = box
        return box

    def _clear_answered(self, code: int) -> None:
        if code == QMessageBox.StandardButton.Yes.value:
            removed = self.controller.clear_cache()
            self.services.events.statusMessage.emit(
                self.tr("Caché vaciada ({0} consultas).").format(fmt_int(removed))
            )
        self._show_cache_count()

    def accept(self) -> None:
        try:
            self.controller.save(
                self.token.text(), self.knobs(), session_only=self.storage.wants_session_only()
            )
        except ConfigError as exc:  # the keyring refused the token: offer to use it for this session
            self.storage.show_unavailable()
            self.test_result.setStyleSheet("color: #a12222;")
            self.test_result.setText(
                exc.user_message
                + " "
                + self.tr("Marca «Usar solo mientras la aplicación esté abierta» para usarlo igual.")
            )
            for label in (self.storage.explanation, self.test_result):
                label.setMinimumHeight(max(0, label.heightForWidth(FIELD_WIDTH)))
            return
        except Exception as exc:  # noqa: BLE001 - bad combination, unexpected failure
            message = getattr(exc, "user_message", None) or self.tr(
                "No se pudo guardar: {0}. Revisa que el almacén de contraseñas del sistema esté disponible."
            ).format(type(exc).__name__)
            self.test_result.setStyleSheet(f"color: {colors()['bad']};")
            self.test_result.setText(message)
            return
        choice = str(self.appearance.currentData())
        if choice != self.services.prefs.appearance():
            self.services.prefs.set_appearance(choice)
            self.services.events.appearanceChanged.emit(choice)
        super().accept()

    def done(self, result: int) -> None:
        self.controller.tasks.cancel("test")
        super().done(result)
