"""An inline, dismissible message with a few action buttons (Masiva and Historial use it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ..base.theme import colors

__all__ = ["MessageBar"]


class MessageBar(QFrame):
    """A dismissible inline message with up to a few action buttons."""

    def __init__(self, parent: QWidget | None = None, *, tone: str = "info") -> None:
        super().__init__(parent)
        self.tone = tone if tone in ("info", "warn", "error", "ok") else "info"
        self._painted = ""
        self.setObjectName("messageBar")
        self._recolor()
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 6, 6)
        self._layout.addWidget(self.label, 1)
        self._buttons: list[QPushButton] = []
        self.close_button = QPushButton("✕", self)
        self.close_button.setFlat(True)
        self.close_button.setAccessibleName(self.tr("Cerrar mensaje"))
        self.close_button.clicked.connect(self.hide)
        self._layout.addWidget(self.close_button)
        self.hide()

    def _recolor(self) -> None:
        background = colors()[f"bar_{self.tone}"]
        if background != self._painted:
            self._painted = background
            self.setStyleSheet(f"#messageBar {{ background: {background}; border-radius: 6px; }}")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._recolor()
        super().changeEvent(event)

    def show_message(self, text: str, actions: Sequence[tuple[str, Any]] = ()) -> None:
        for button in self._buttons:
            button.deleteLater()
        self._buttons = []
        self.label.setText(text)
        for label, slot in actions:
            button = QPushButton(label, self)
            button.clicked.connect(slot)
            self._layout.insertWidget(self._layout.count() - 1, button)
            self._buttons.append(button)
        self.show()

    def button(self, label: str) -> QPushButton | None:
        return next((b for b in self._buttons if b.text().replace("&", "") == label.replace("&", "")), None)
