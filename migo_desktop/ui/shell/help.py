"""Ayuda: «Guía de uso» (docs/guia.md, shipped as package data with its pictures) and «Acerca de» (version
and the licences of what the app is built on).

The guide is a copy of docs/guia.md under ``resources/guia`` (tests/support/screenshots.py keeps it in step
and a test checks they are equal); QTextBrowser renders its Markdown and finds the pictures beside it.
"""

from __future__ import annotations

import re
from importlib import metadata

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

from ... import APP_NAME, __version__
from ...paths import RESOURCE_DIR

__all__ = ["GUIDE_FILE", "LICENSES", "GuideDialog", "about_box", "about_text", "guide_html"]

GUIDE_FILE = RESOURCE_DIR / "guia" / "guia.md"

# (distribution, licence) of what ships inside the app.
LICENSES: tuple[tuple[str, str], ...] = (
    ("PySide6-Essentials", "LGPL v3 (Qt for Python)"),
    ("qasync", "BSD-2-Clause"),
    ("httpx", "BSD-3-Clause"),
    ("openpyxl", "MIT"),
    ("python-calamine", "MIT"),
    ("python-stdnum", "LGPL v2.1 o posterior"),
    ("platformdirs", "MIT"),
    ("keyring", "MIT"),
)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "—"


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Guía de uso de Migo Desktop"))
        self.resize(900, 680)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setAccessibleName(self.tr("Guía de uso"))
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if GUIDE_FILE.exists():
            self.browser.setSearchPaths([str(GUIDE_FILE.parent)])
            self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(GUIDE_FILE)))
            self.browser.setHtml(guide_html(GUIDE_FILE.read_text(encoding="utf-8")))
        else:
            self.browser.setPlainText(
                self.tr("La guía no está incluida en esta instalación. Reinstala Migo Desktop para tenerla.")
            )


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_IMAGE = re.compile(r"<img ([^>]*?)\s*/?>")
IMAGE_WIDTH = 760  # the screenshots are 1240 px wide: shown smaller, they fit the window without scrolling


def guide_html(markdown: str) -> str:
    """The guide as HTML for QTextBrowser: notes for contributors (HTML comments) dropped, pictures scaled."""
    doc = QTextDocument()
    doc.setMarkdown(_COMMENT.sub("", markdown))
    html = doc.toHtml()
    return _IMAGE.sub(lambda m: f'<img {m.group(1)} width="{IMAGE_WIDTH}" />', html)


def about_text(owner: QWidget, data_dir: str, log_dir: str) -> str:
    rows = "".join(
        f"<tr><td>{dist}</td><td>&nbsp;{_version(dist)}&nbsp;</td><td>{lic}</td></tr>"
        for dist, lic in LICENSES
    )
    return owner.tr(
        "<b>{0} {1}</b><br>Consulta de RUC, DNI y tipo de cambio con la API de Migo.<br><br>"
        "Datos: {2}<br>Registros: {3}<br><br><b>Hecho con</b> (versión y licencia):"
        "<table>{4}</table><br>Python {5}, licencia PSF."
    ).format(APP_NAME, __version__, data_dir, log_dir, rows, _python_version())


def _python_version() -> str:
    import platform

    return platform.python_version()


def about_box(parent: QWidget, data_dir: str, log_dir: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle(parent.tr("Acerca de Migo Desktop"))
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setText(about_text(parent, data_dir, log_dir))
    box.open()
    return box
