"""Where the token is kept, told in plain Spanish when the system has no secure password store.

A Linux desktop without a Secret Service, or a locked-down Windows profile, has no keyring Migo Desktop can
use. Preferencias then says so and offers «Usar solo mientras la aplicación esté abierta»: the token lives
in memory until the app closes. It is never written to a file instead (DESIGN.md §5), and a GUI user is
never sent to a command-line option.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QWidget

__all__ = ["TokenStorageNotice"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("TokenStorageNotice", text)


class TokenStorageNotice:
    """The explanation and the session-only choice: two rows of the dialog's form (a wrapped label keeps its
    height there, which it would not inside a nested widget), hidden while the keyring works."""

    def __init__(self, parent: QWidget, form: QFormLayout) -> None:
        self.explanation = QLabel(
            _tr(
                "Este equipo no tiene un almacén seguro de contraseñas disponible (como el Llavero de macOS, "
                "el Administrador de credenciales de Windows o el llavero del escritorio de Linux), así que "
                "Migo Desktop no puede guardar tu token. Por seguridad, tampoco lo guarda en un archivo."
            ),
            parent,
        )
        self.explanation.setWordWrap(True)
        self.session_only = QCheckBox(_tr("Usar solo mientras la aplicación esté abierta"), parent)
        self.session_only.setToolTip(
            _tr("Al cerrar la aplicación el token se olvida y tendrás que pegarlo de nuevo.")
        )
        form.addRow("", self.explanation)
        form.addRow("", self.session_only)
        self._active = False
        self._show(False)

    def _show(self, visible: bool) -> None:
        self.explanation.setVisible(visible)
        self.session_only.setVisible(visible)

    @property
    def active(self) -> bool:
        """True when the keyring is unavailable (the notice applies), whether or not it is on screen yet."""
        return self._active

    def show_unavailable(self, session_only: bool = False) -> None:
        self._active = True
        self.session_only.setChecked(session_only)
        self._show(True)

    def wants_session_only(self) -> bool:
        return self._active and self.session_only.isChecked()
