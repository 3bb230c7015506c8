"""The slim amber strip shown in demo mode, with a button to enter the token."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

__all__ = ["DemoBanner"]


class DemoBanner(QFrame):
    configureRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 10, 6)
        self.label = QLabel(
            self.tr("Modo demostración: los datos son simulados y no se cobra ninguna consulta."), self
        )
        self.label.setWordWrap(True)
        self.button = QPushButton(self.tr("Configurar token"), self)
        self.button.setAccessibleName(self.tr("Configurar el token de la API"))
        self.button.clicked.connect(self.configureRequested)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.setAccessibleName(self.tr("Aviso de modo demostración"))
