"""Light and dark looks: a calm stylesheet, a matching palette, the colours badges, charts and statuses use.

    scheme = resolve_scheme("sistema", app)   # 'claro' | 'oscuro' (the OS colour scheme for 'sistema')
    apply_theme(app, scheme)                  # palette + stylesheet; STATUS colours follow
    colors()                                  # the current named colours (widgets paint with these)

Sizes in points/em so 150 % scaling stays readable. ``ThemeFollower`` (ui/shell) re-applies the look when the
OS switches between light and dark while the app runs.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from .status import recolor_statuses
from .style import AppStyle

__all__ = [
    "CHOICES",
    "DARK",
    "LIGHT",
    "STYLESHEET",
    "app_style",
    "apply_theme",
    "colors",
    "is_dark",
    "resolve_scheme",
    "stylesheet",
    "tone_colors",
]

CHOICES = ("sistema", "claro", "oscuro")  # Preferencias → Apariencia

LIGHT: dict[str, str] = {
    "window": "#f6f8fa",
    "surface": "#ffffff",
    "alt": "#f3f6f9",
    "border": "#dde3ea",
    "input_border": "#c5ced8",
    "text": "#1d2b3a",
    "nav_text": "#2b3a4a",
    "muted": "#5b6b7c",
    "disabled": "#9aa6b2",
    "accent": "#1f4e79",
    "accent_hover": "#27629a",
    "accent_disabled": "#9db4ca",
    "on_accent": "#ffffff",
    "selected": "#e3edf7",
    "hover": "#f0f4f8",
    "focus": "#1f6fd1",
    "header": "#f0f3f6",
    "row_line": "#eef1f4",
    "banner_bg": "#fff1d6",
    "banner_border": "#f0d9a8",
    "banner_fg": "#6b4700",
    "message_bg": "#fbe0e0",
    "message_fg": "#8a1c1c",
    "info_bg": "#e9edf2",
    "info_fg": "#2b3a4a",
    "bar_info": "#e8f0fe",
    "bar_warn": "#fef7e0",
    "bar_error": "#fce8e6",
    "bar_ok": "#e6f4ea",
    "good": "#1b6b34",
    "bad": "#a12222",
    "chart_bg": "#ffffff",
    "chart_grid": "#e6eaef",
    "chart_axis": "#9aa6b2",
    "chart_text": "#5b6b7c",
    "compra": "#1f77b4",
    "venta": "#d9822b",
    "badge_bg": "#1f4e79",
    "badge_fg": "#ffffff",
}

DARK: dict[str, str] = {
    "window": "#1b1f24",
    "surface": "#23282e",
    "alt": "#282e35",
    "border": "#3a424c",
    "input_border": "#4a535e",
    "text": "#e6ebf0",
    "nav_text": "#d3dbe3",
    "muted": "#a3afbb",
    "disabled": "#6b7682",
    "accent": "#4f8fd0",
    "accent_hover": "#6aa3dc",
    "accent_disabled": "#3a536b",
    "on_accent": "#0d1620",
    "selected": "#2c3e52",
    "hover": "#2a3139",
    "focus": "#7ab4f5",
    "header": "#2a3037",
    "row_line": "#30363e",
    "banner_bg": "#4a3a14",
    "banner_border": "#6b5520",
    "banner_fg": "#f3dca6",
    "message_bg": "#4d2222",
    "message_fg": "#ffd0d0",
    "info_bg": "#2c333b",
    "info_fg": "#d3dbe3",
    "bar_info": "#233247",
    "bar_warn": "#413515",
    "bar_error": "#4a2323",
    "bar_ok": "#1f3a28",
    "good": "#7fd69a",
    "bad": "#ff9b9b",
    "chart_bg": "#23282e",
    "chart_grid": "#353c44",
    "chart_axis": "#6b7682",
    "chart_text": "#a3afbb",
    "compra": "#6cb4f0",
    "venta": "#f0a95c",
    "badge_bg": "#4f8fd0",
    "badge_fg": "#0d1620",
}

# tone -> (background, foreground), for estado/condición badges
_TONES: dict[str, dict[str, tuple[str, str]]] = {
    "claro": {
        "ok": ("#dff3e4", "#1b6b34"),
        "warn": ("#fff1d6", "#8a5a00"),
        "bad": ("#fbe0e0", "#a12222"),
        "neutral": ("#e9edf2", "#3c4a5a"),
    },
    "oscuro": {
        "ok": ("#1f3a28", "#9be3b0"),
        "warn": ("#453813", "#f5d28a"),
        "bad": ("#4d2323", "#ffb3b3"),
        "neutral": ("#2f363e", "#d3dbe3"),
    },
}
TONES = _TONES["claro"]  # kept for callers that want the light pair

_state = {"scheme": "claro"}
_state_style: list[AppStyle] = []


def is_dark() -> bool:
    return _state["scheme"] == "oscuro"


def colors() -> dict[str, str]:
    """The named colours of the look in use."""
    return DARK if is_dark() else LIGHT


def tone_colors(tone: str) -> tuple[str, str]:
    tones = _TONES[_state["scheme"]]
    return tones.get(tone, tones["neutral"])


def resolve_scheme(choice: str, app: QGuiApplication | None = None) -> str:
    """'claro' or 'oscuro': the explicit choice, or for 'sistema' what the OS asks for (light if unknown)."""
    if choice in ("claro", "oscuro"):
        return choice
    scheme = (app if app is not None else QGuiApplication).styleHints().colorScheme()
    return "oscuro" if scheme == Qt.ColorScheme.Dark else "claro"


def stylesheet(c: dict[str, str]) -> str:
    # No rule may match QTableView: any rule on a table (even a border alone) sends every cell it paints
    # through QStyleSheetStyle, and a repaint of Masiva's results table cost 7.8 ms instead of 1.7 ms
    # (bench/ui_responsiveness.py). Tables take their colours from the palette (Base, AlternateBase,
    # Text, Highlight) and Fusion's frame instead.
    return f"""
QMainWindow, QDialog {{ background: {c["window"]}; }}
QListWidget#navigation {{
    background: {c["surface"]}; border: none; border-right: 1px solid {c["border"]}; outline: 0;
    padding-top: 6px;
}}
QListWidget#navigation::item {{
    padding: 9px 12px; margin: 1px 6px; border-radius: 6px; color: {c["nav_text"]};
    border: 2px solid transparent;
}}
QListWidget#navigation::item:selected {{
    background: {c["selected"]}; color: {c["accent"]}; font-weight: 600;
}}
QListWidget#navigation::item:hover:!selected {{ background: {c["hover"]}; }}
QListWidget#navigation::item:focus {{ border: 2px solid {c["focus"]}; }}
QFrame#card {{ background: {c["surface"]}; border: 1px solid {c["border"]}; border-radius: 8px; }}
QFrame#headline {{ background: {c["surface"]}; border: 1px solid {c["border"]}; border-radius: 8px; }}
QLabel#pageTitle {{ font-size: 15pt; font-weight: 600; color: {c["text"]}; }}
QLabel#cardTitle {{ font-size: 13pt; font-weight: 600; color: {c["text"]}; }}
QLabel#muted {{ color: {c["muted"]}; }}
QLabel#fieldLabel {{ color: {c["muted"]}; }}
QLabel#validOk {{ color: {c["good"]}; }}
QLabel#validBad {{ color: {c["bad"]}; }}
QLabel#message {{
    padding: 8px 10px; border-radius: 6px; background: {c["message_bg"]}; color: {c["message_fg"]};
}}
QLabel#info {{ padding: 8px 10px; border-radius: 6px; background: {c["info_bg"]}; color: {c["info_fg"]}; }}
QLabel#navBadge {{
    background: {c["badge_bg"]}; color: {c["badge_fg"]}; border-radius: 8px; padding: 1px 6px;
    font-size: 8pt; font-weight: 700;
}}
QFrame#banner {{ background: {c["banner_bg"]}; border-bottom: 1px solid {c["banner_border"]}; }}
QFrame#banner QLabel {{ color: {c["banner_fg"]}; }}
QLineEdit#searchField {{ font-size: 13pt; padding: 6px 8px; }}
QLineEdit {{
    padding: 4px 6px; border: 1px solid {c["input_border"]}; border-radius: 5px; background: {c["surface"]};
    color: {c["text"]};
}}
QLineEdit:focus {{ border: 1px solid {c["focus"]}; }}
QSpinBox, QDoubleSpinBox, QDateEdit, QComboBox {{ min-height: 1.6em; }}
QRadioButton::indicator {{
    width: 12px; height: 12px; border-radius: 7px; border: 1px solid {c["muted"]}; background: {c["surface"]};
}}
QRadioButton::indicator:checked {{ border: 4px solid {c["accent"]}; width: 6px; height: 6px; }}
QRadioButton:focus {{ color: {c["accent"]}; }}
QPushButton {{
    padding: 5px 14px; border: 1px solid {c["input_border"]}; border-radius: 5px; background: {c["surface"]};
    color: {c["text"]};
}}
QPushButton:hover {{ background: {c["hover"]}; }}
QPushButton:focus {{ border: 2px solid {c["focus"]}; padding: 4px 13px; }}
QPushButton:disabled {{ color: {c["disabled"]}; background: {c["alt"]}; }}
QPushButton#primary {{
    background: {c["accent"]}; color: {c["on_accent"]}; border-color: {c["accent"]}; font-weight: 600;
}}
QPushButton#primary:hover {{ background: {c["accent_hover"]}; }}
QPushButton#primary:disabled {{ background: {c["accent_disabled"]}; border-color: {c["accent_disabled"]}; }}
QToolButton#copy {{ border: none; padding: 2px; border-radius: 4px; }}
QToolButton#copy:hover {{ background: {c["selected"]}; }}
QListWidget {{
    background: {c["surface"]}; alternate-background-color: {c["alt"]}; border: 1px solid {c["border"]};
    border-radius: 6px; color: {c["text"]};
}}
QListWidget#recent::item {{ padding: 6px 8px; border-bottom: 1px solid {c["row_line"]}; }}
QListWidget#recent::item:selected {{ background: {c["selected"]}; color: {c["text"]}; }}
QHeaderView::section {{
    background: {c["header"]}; color: {c["text"]}; border: none; border-bottom: 1px solid {c["border"]};
    padding: 4px 6px;
}}
"""


STYLESHEET = stylesheet(LIGHT)


def palette(c: dict[str, str]) -> QPalette:
    """A Fusion palette in the look's colours (menus, dialogs, file dialogs and scroll bars follow it)."""
    pal = QPalette()
    role = QPalette.ColorRole
    pairs = {
        role.Window: c["window"],
        role.WindowText: c["text"],
        role.Base: c["surface"],
        role.AlternateBase: c["alt"],
        role.ToolTipBase: c["surface"],
        role.ToolTipText: c["text"],
        role.Text: c["text"],
        role.Button: c["surface"],
        role.ButtonText: c["text"],
        role.BrightText: "#ffffff",
        role.Highlight: c["accent"],
        role.HighlightedText: c["on_accent"],
        role.Link: c["focus"],
        role.PlaceholderText: c["muted"],
        role.Mid: c["border"],
        role.Dark: c["input_border"],
        role.Light: c["surface"],
        role.Midlight: c["alt"],
        role.Shadow: "#000000",
    }
    for r, value in pairs.items():
        pal.setColor(r, QColor(value))
    for r in (role.Text, role.WindowText, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, r, QColor(c["disabled"]))
    return pal


def app_style() -> AppStyle | None:
    """The proxy style installed by ``apply_theme`` (None before the first call, or once Qt deleted it
    because someone set another style)."""
    style = _state_style[0] if _state_style else None
    return style if style is not None and shiboken6.isValid(style) else None


def apply_theme(app: QApplication, scheme: str = "claro") -> str:
    """Apply the light ('claro') or dark ('oscuro') look to the whole app; returns the scheme applied."""
    scheme = scheme if scheme in ("claro", "oscuro") else "claro"
    _state["scheme"] = scheme
    recolor_statuses(scheme == "oscuro")
    if app_style() is None:  # with a stylesheet set, app.style() is Qt's wrapper around ours: track it here
        style = AppStyle()
        style.setParent(app)  # owned by the app in C++: Qt deletes it when another style replaces it
        _state_style[:] = [style]
        app.setStyle(style)
    c = colors()
    app.setPalette(palette(c))
    app.setStyleSheet(stylesheet(c))
    return scheme
