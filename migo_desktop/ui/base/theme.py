"""A small, calm stylesheet and the colours badges use. Sizes in points/em so 150 % scaling stays readable."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

__all__ = ["STYLESHEET", "TONES", "apply_theme", "tone_colors"]

# tone -> (background, foreground)
TONES: dict[str, tuple[str, str]] = {
    "ok": ("#dff3e4", "#1b6b34"),
    "warn": ("#fff1d6", "#8a5a00"),
    "bad": ("#fbe0e0", "#a12222"),
    "neutral": ("#e9edf2", "#3c4a5a"),
}

ACCENT = "#1f4e79"

STYLESHEET = f"""
QMainWindow, QDialog {{ background: #f6f8fa; }}
QListWidget#navigation {{
    background: #ffffff; border: none; border-right: 1px solid #dde3ea; outline: 0; padding-top: 6px;
}}
QListWidget#navigation::item {{ padding: 9px 12px; margin: 1px 6px; border-radius: 6px; color: #2b3a4a; }}
QListWidget#navigation::item:selected {{ background: #e3edf7; color: {ACCENT}; font-weight: 600; }}
QListWidget#navigation::item:hover:!selected {{ background: #f0f4f8; }}
QFrame#card {{ background: #ffffff; border: 1px solid #dde3ea; border-radius: 8px; }}
QLabel#pageTitle {{ font-size: 15pt; font-weight: 600; color: #1d2b3a; }}
QLabel#cardTitle {{ font-size: 13pt; font-weight: 600; color: #1d2b3a; }}
QLabel#muted {{ color: #5b6b7c; }}
QLabel#fieldLabel {{ color: #5b6b7c; }}
QLabel#validOk {{ color: #1b6b34; }}
QLabel#validBad {{ color: #a12222; }}
QLabel#message {{ padding: 8px 10px; border-radius: 6px; background: #fbe0e0; color: #8a1c1c; }}
QLabel#info {{ padding: 8px 10px; border-radius: 6px; background: #e9edf2; color: #2b3a4a; }}
QFrame#banner {{ background: #fff1d6; border-bottom: 1px solid #f0d9a8; }}
QFrame#banner QLabel {{ color: #6b4700; }}
QLineEdit#searchField {{ font-size: 13pt; padding: 6px 8px; }}
QLineEdit {{ padding: 4px 6px; border: 1px solid #c5ced8; border-radius: 5px; background: #ffffff; }}
QLineEdit:focus {{ border: 1px solid {ACCENT}; }}
QSpinBox, QDoubleSpinBox, QDateEdit, QComboBox {{ min-height: 1.6em; }}
QPushButton {{
    padding: 5px 14px; border: 1px solid #c5ced8; border-radius: 5px; background: #ffffff; color: #1d2b3a;
}}
QPushButton:hover {{ background: #f0f4f8; }}
QPushButton:disabled {{ color: #9aa6b2; background: #f3f5f7; }}
QPushButton#primary {{ background: {ACCENT}; color: #ffffff; border-color: {ACCENT}; font-weight: 600; }}
QPushButton#primary:hover {{ background: #27629a; }}
QPushButton#primary:disabled {{ background: #9db4ca; border-color: #9db4ca; }}
QToolButton#copy {{ border: none; padding: 2px; border-radius: 4px; }}
QToolButton#copy:hover {{ background: #e3edf7; }}
QTableView, QListWidget {{ background: #ffffff; border: 1px solid #dde3ea; border-radius: 6px; }}
QListWidget#recent::item {{ padding: 6px 8px; border-bottom: 1px solid #eef1f4; }}
QListWidget#recent::item:selected {{ background: #e3edf7; color: #1d2b3a; }}
QHeaderView::section {{
    background: #f0f3f6; border: none; border-bottom: 1px solid #dde3ea; padding: 4px 6px;
}}
"""


def tone_colors(tone: str) -> tuple[str, str]:
    return TONES.get(tone, TONES["neutral"])


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setStyleSheet(STYLESHEET)
