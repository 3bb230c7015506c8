"""A small icon button that copies a value to the clipboard."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QToolButton, QToolTip, QWidget

from .icons import icon

__all__ = ["CopyButton"]


class CopyButton(QToolButton):
    copied = Signal(str)

    def __init__(self, value: Callable[[], str], what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = value
        self.setObjectName("copy")
        self.setIcon(icon("copiar"))
        self.setIconSize(QSize(16, 16))
        self.setToolTip(self.tr("Copiar {0}").format(what))
        self.setAccessibleName(self.tr("Copiar {0}").format(what))
        self.clicked.connect(self.copy)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Light and dark looks draw the icon in different colours."""
        if event.type() == QEvent.Type.PaletteChange:
            self.setIcon(icon("copiar"))
        super().changeEvent(event)

    def copy(self) -> str:
        text = self._value() or ""
        QGuiApplication.clipboard().setText(text)
        if self.isVisible():
            QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), self.tr("Copiado"), self)
        self.copied.emit(text)
        return text
