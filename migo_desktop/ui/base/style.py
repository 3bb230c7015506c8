"""Fusion with the app's own icons: message boxes show our SVGs, dialog buttons show text only.

Qt's standard icons on Linux are small bitmaps that look blurry at 125–150 % scaling; a proxy style swaps
the few we meet (message box icons) for the SVG set in ``resources/icons`` and gives OK/Cancel/Yes/No
buttons no icon. Only ``standardIcon`` is overridden: Qt asks a style for hints thousands of times while it
builds and paints widgets, and each answer from Python cost ~5 µs (about 2,000 at start-up alone).
"""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleFactory, QStyleOption, QWidget

from ...paths import RESOURCE_DIR

__all__ = ["AppStyle", "MESSAGE_ICONS"]

SP = QStyle.StandardPixmap
MESSAGE_ICONS = {
    SP.SP_MessageBoxInformation: "info",
    SP.SP_MessageBoxWarning: "aviso",
    SP.SP_MessageBoxCritical: "error",
    SP.SP_MessageBoxQuestion: "pregunta",
}
# Icons Qt would draw on standard dialog buttons: text is clearer than a blurry bitmap.
_BUTTON_ICONS = {
    SP.SP_DialogOkButton,
    SP.SP_DialogCancelButton,
    SP.SP_DialogYesButton,
    SP.SP_DialogNoButton,
    SP.SP_DialogApplyButton,
    SP.SP_DialogCloseButton,
    SP.SP_DialogSaveButton,
    SP.SP_DialogDiscardButton,
    SP.SP_DialogResetButton,
    SP.SP_DialogHelpButton,
    SP.SP_DialogOpenButton,
}


class AppStyle(QProxyStyle):
    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def standardIcon(  # noqa: N802 - Qt override
        self,
        standard_icon: QStyle.StandardPixmap,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> QIcon:
        name = MESSAGE_ICONS.get(standard_icon)
        if name is not None:
            path = RESOURCE_DIR / "icons" / f"{name}.svg"
            if path.exists():
                return QIcon(str(path))
        if standard_icon in _BUTTON_ICONS:
            return QIcon()
        return super().standardIcon(standard_icon, option, widget)
