"""Who the app is to the desktop: window icon, desktop-file name (Linux/Wayland), AppUserModelID (Windows).

Without these the taskbar shows Python's icon and groups the window with other Python programs; on Wayland
the compositor cannot find the .desktop entry (packaging/linux/pe.migo.MigoDesktop.desktop) for the icon.
The Windows id must be set before the first window exists, so ``set_windows_app_id`` runs before the
QApplication is created; the installer's Start-menu shortcut carries the same id (packaging/windows).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from PySide6.QtGui import QGuiApplication, QIcon

from ... import APP_ID
from ..widgets.icons import icon_path

__all__ = ["app_icon", "apply_identity", "set_windows_app_id"]

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    return QIcon(str(icon_path("app")))


def set_windows_app_id(app_id: str = APP_ID, *, platform: str = sys.platform, shell32: Any = None) -> bool:
    """SetCurrentProcessExplicitAppUserModelID on Windows; a no-op elsewhere. True when it was set."""
    if platform != "win32":
        return False
    try:
        if shell32 is None:
            import ctypes

            shell32 = ctypes.windll.shell32  # type: ignore[attr-defined]
        result = shell32.SetCurrentProcessExplicitAppUserModelID(app_id)
    except (AttributeError, OSError) as exc:  # an old or locked-down Windows: cosmetic only
        log.warning("Could not set the Windows AppUserModelID (%s)", type(exc).__name__)
        return False
    return result == 0  # S_OK


def apply_identity(app: QGuiApplication) -> None:
    app.setWindowIcon(app_icon())
    QGuiApplication.setDesktopFileName(APP_ID)
