"""Small widgets of the Masiva page: the inline message bar and the empty-state drop zone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

__all__ = ["DropZone", "MessageBar", "example_workbook"]


def example_workbook() -> Path:
    """The bundled demo workbook (package data: ``migo_desktop/resources/ejemplo_rucs.xlsx``)."""
    return Path(__file__).resolve().parents[1] / "resources" / "ejemplo_rucs.xlsx"


class MessageBar(QFrame):
    """A dismissible inline message with up to a few action buttons."""

    def __init__(self, parent: QWidget | None = None, *, tone: str = "info") -> None:
        super().__init__(parent)
        colors = {"info": "#e8f0fe", "warn": "#fef7e0", "error": "#fce8e6", "ok": "#e6f4ea"}
        self.setObjectName("messageBar")
        self.setStyleSheet(f"#messageBar {{ background: {colors[tone]}; border-radius: 6px; }}")
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

    def show_message(self, text: str, actions: list[tuple[str, Any]] = ()) -> None:
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


class DropZone(QFrame):
    """The empty state: a big target for files plus the Importar and example buttons."""

    fileDropped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setObjectName("dropZone")
        self.setStyleSheet("#dropZone { border: 2px dashed #9aa0a6; border-radius: 12px; }")
        self.setAccessibleName(self.tr("Zona para soltar archivos"))
        title = QLabel(self.tr("Arrastra aquí tu Excel, CSV o TXT con RUCs, o haz clic en Importar"), self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        formats = QLabel(self.tr("Formatos admitidos: .xlsx, .xlsm, .xls, .ods, .csv y .txt"), self)
        formats.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_button = QPushButton(self.tr("Importar archivo…"), self)
        self.import_button.setAccessibleName(self.tr("Importar archivo"))
        self.example_button = QPushButton(self.tr("Probar con el libro de ejemplo"), self)
        self.example_button.setFlat(True)
        self.example_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.example_button.setStyleSheet(
            "QPushButton { color: #1a73e8; text-decoration: underline; border: none; background: none; }"
        )
        self.example_button.setAccessibleName(self.tr("Cargar el libro de ejemplo"))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(formats)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.import_button)
        row.addWidget(self.example_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.fileDropped.emit(url.toLocalFile())
                event.acceptProposedAction()
                return
