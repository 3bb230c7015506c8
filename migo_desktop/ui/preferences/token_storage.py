"""Where the token is kept, told in plain Spanish when the system has no secure password store.

A Linux desktop without a Secret Service, or a locked-down Windows profile, has no keyring Migo Desktop can
use. Preferencias then says so and offers «Usar solo mientras la aplicación esté abierta»: the token lives
in memory until the app closes. It is never written to a file instead (DESIGN.md §5), and a GUI user is
never sent to a command-line option.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

__all__ = ["TokenStorageNotice"]


class TokenStorageNotice(QWidget):
    """Hidden while the keyring works; otherwise the explanation and the session-only choice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.explanation = QLabel(
            self.tr(
                "Este equipo no tiene un almacén seguro de contraseñas disponible (como el Llavero de macOS, "
                "el Administrador de credenciales de Windows o el llavero del escritorio de Linux), así que "
                "Migo Desktop no puede guardar tu token. Por seguridad, tampoco lo guarda en un archivo."
            ),
            self,
        )
        self.explanation.setWordWrap(True)
        self.session_only = QCheckBox(self.tr("Usar solo mientras la aplicación esté abierta"), self)
        self.session_only.setToolTip(
            self.tr("Al cerrar la aplicación el token se olvida y tendrás que pegarlo de nuevo.")
        )
        layout.addWidget(self.explanation)
        layout.addWidget(self.session_only)
        self.setVisible(False)
        self._active = False

    @property
    def active(self) -> bool:
        """True when the keyring is unavailable (the notice applies), whether or not it is on screen yet."""
        return self._active

    def show_unavailable(self, session_only: bool = False) -> None:
        self._active = True
        self.session_only.setChecked(session_only)
        self.setVisible(True)

    def wants_session_only(self) -> bool:
        return self._active and self.session_only.isChecked()
