"""Asking before a quit stops a running bulk job (the page then drains what is in flight, «Guardando…»)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

__all__ = ["confirm_quit"]


def confirm_quit(parent: QWidget) -> bool:
    """True when the person wants to quit anyway (the run is saved and can be resumed later)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("BulkPage", text)

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Consulta masiva en curso"))
    box.setText(tr("Hay una consulta masiva en curso. ¿Quieres salir?"))
    box.setInformativeText(
        tr(
            "Antes de cerrar se guardan las respuestas que ya están en camino (unos segundos). "
            "Después podrás "
            "reanudarla desde Masiva o el Historial sin volver a pagar lo ya consultado."
        )
    )
    leave = box.addButton(tr("Guardar y salir"), QMessageBox.ButtonRole.AcceptRole)
    stay = box.addButton(tr("Seguir consultando"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)
    box.exec()
    return box.clickedButton() is leave
