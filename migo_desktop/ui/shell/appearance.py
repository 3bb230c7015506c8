"""The app's look follows Preferencias (Sistema / Claro / Oscuro) and, for «Sistema», the OS colour scheme
— live: Qt's ``styleHints().colorSchemeChanged`` re-applies it while the app runs.

    appearance = Appearance(app, services)   # applies the stored choice now
    appearance.changed.connect(window.retheme)
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from ..base.services import Services
from ..base.theme import apply_theme, resolve_scheme

__all__ = ["Appearance"]

log = logging.getLogger(__name__)


class Appearance(QObject):
    changed = Signal(str)  # the scheme applied: 'claro' or 'oscuro'

    def __init__(self, app: QApplication, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._prefs = services.prefs
        self.scheme = ""
        app.styleHints().colorSchemeChanged.connect(self._system_changed)
        services.events.appearanceChanged.connect(self.set_choice)
        self.apply()

    @property
    def choice(self) -> str:
        return self._prefs.appearance()

    def set_choice(self, choice: str) -> str:
        self._prefs.set_appearance(choice)
        return self.apply()

    def apply(self) -> str:
        scheme = resolve_scheme(self.choice, self._app)
        if scheme != self.scheme:
            self.scheme = apply_theme(self._app, scheme)
            log.info("Look: %s (choice %s)", self.scheme, self.choice)
            self.changed.emit(self.scheme)
        return self.scheme

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "sistema":
            self.apply()
