"""Translations. Source strings are Spanish, so Spanish needs no .qm file; Qt's own dialogs use qtbase_es,
corrected by our ``qtbase_migo_es`` (Peruvian words — «archivo», never «fichero» — and the app's «tú»), which
is installed after it so its strings win. Its source is ``resources/i18n/qtbase_migo_es.ts``.

Adding a language (e.g. English):
1. ``pyside6-lupdate migo_desktop/ui/*/*.py -ts migo_desktop/resources/i18n/migo_en.ts``
2. translate the .ts with Qt Linguist (``pyside6-linguist``);
3. ``pyside6-lrelease migo_desktop/resources/i18n/migo_en.ts -qm migo_desktop/resources/i18n/migo_en.qm``;
4. start with ``MIGO_LANG=en`` (or a system locale in that language). No code changes are needed.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ...paths import RESOURCE_DIR

__all__ = ["I18N_DIR", "QT_OVERRIDES", "install_translators", "ui_language"]

log = logging.getLogger(__name__)
I18N_DIR = RESOURCE_DIR / "i18n"
QT_OVERRIDES = "qtbase_migo_es"  # our corrections to Qt's Spanish catalogue


def ui_language(environ: dict[str, str] | None = None) -> str:
    """'es' unless MIGO_LANG (or the system locale) names a language we ship a .qm for."""
    env = os.environ if environ is None else environ
    wanted = (env.get("MIGO_LANG") or QLocale.system().name()).split("_")[0].lower()
    if wanted != "es" and (I18N_DIR / f"migo_{wanted}.qm").exists():
        return wanted
    return "es"


def install_translators(app: QCoreApplication, language: str | None = None) -> list[QTranslator]:
    """Install Qt's own strings and the app's; returns the translators (keep them alive)."""
    language = language or ui_language()
    QLocale.setDefault(
        QLocale(QLocale.Language.Spanish, QLocale.Country.Peru) if language == "es" else QLocale(language)
    )
    installed: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    else:
        log.info("Qt translations for %s not found in %s", language, qt_dir)
    if language == "es":
        fixes = QTranslator(app)
        if fixes.load(QT_OVERRIDES, str(I18N_DIR)):
            app.installTranslator(fixes)  # installed last: searched first
            installed.append(fixes)
        else:
            log.warning("Qt Spanish overrides %s not found in %s", QT_OVERRIDES, I18N_DIR)
    own = QTranslator(app)
    if language != "es" and own.load(f"migo_{language}", str(I18N_DIR)):
        app.installTranslator(own)
        installed.append(own)
    return installed
