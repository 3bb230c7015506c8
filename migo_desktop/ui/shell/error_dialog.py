"""The last line of defence: ``sys.excepthook`` logs the (redacted) traceback and shows a Spanish dialog.

No traceback ever reaches the user; a ``MigoError`` shows its ``user_message``. The box is non-modal
(``open()``), so it is safe inside qasync callbacks.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ...core.errors import MigoError
from ...logs import redact

__all__ = ["ExceptHook", "install_excepthook", "user_text"]

log = logging.getLogger("migo_desktop.crash")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ErrorDialog", text)


def user_text(exc: BaseException, log_file: Path | None) -> str:
    if isinstance(exc, MigoError):
        return exc.user_message
    text = _tr("Ocurrió un error inesperado. Puedes seguir usando la aplicación; si se repite, reinicia.")
    if log_file is not None:
        text += "\n\n" + _tr("Detalles en el registro: {0}").format(str(log_file))
    return text


class ExceptHook:
    """Callable installed as ``sys.excepthook``; keeps the boxes it shows alive."""

    def __init__(self, log_file: Path | None, parent: Callable[[], QWidget | None] = lambda: None) -> None:
        self.log_file = log_file
        self.parent = parent
        self.boxes: list[QMessageBox] = []
        self.previous = sys.excepthook

    def __call__(self, etype: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            QApplication.quit()
            return
        text = redact("".join(traceback.format_exception(etype, exc, tb)))
        if isinstance(exc, MigoError):
            log.warning("Unhandled %s: %s", etype.__name__, redact(str(exc)))
        else:
            log.error("Unhandled exception:\n%s", text)
        if QApplication.instance() is None:
            return
        try:
            self.show(exc)
        except Exception:  # noqa: BLE001 - never recurse into the hook
            log.exception("Could not show the error dialog")

    def show(self, exc: BaseException) -> QMessageBox:
        box = QMessageBox(self.parent())
        box.setIcon(QMessageBox.Icon.Warning if isinstance(exc, MigoError) else QMessageBox.Icon.Critical)
        box.setWindowTitle(_tr("Migo Desktop"))
        box.setText(user_text(exc, self.log_file))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.finished.connect(lambda _=0, b=box: self._forget(b))
        self.boxes.append(box)
        box.open()
        return box

    def _forget(self, box: QMessageBox) -> None:
        if box in self.boxes:
            self.boxes.remove(box)
        box.deleteLater()

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self.previous


def install_excepthook(
    log_file: Path | None, parent: Callable[[], QWidget | None] = lambda: None
) -> ExceptHook:
    hook = ExceptHook(log_file, parent)
    sys.excepthook = hook
    return hook
