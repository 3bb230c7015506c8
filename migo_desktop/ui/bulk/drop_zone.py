"""The Masiva page's empty state: a drop zone for files, plus where the example workbook lives."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...paths import RESOURCE_DIR

__all__ = ["DropZone", "example_workbook"]


def example_workbook() -> Path:
    """The bundled demo workbook (package data: ``migo_desktop/resources/ejemplo_rucs.xlsx``)."""
    return RESOURCE_DIR / "ejemplo_rucs.xlsx"


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
