"""One Spanish everywhere: Qt's own dialogs in Peruvian Spanish with «tú», and no English left in the UI."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from migo_desktop.ui.shell.i18n import install_translators

UI = Path(__file__).resolve().parents[3] / "migo_desktop" / "ui"

SPAIN_ONLY = re.compile(r"(?i)\bfichero|\bdesea\b|\bverifique\b|\busted\b|está seguro|\bordenador\b")


@pytest.fixture
def spanish(qapp):
    from PySide6.QtCore import QLocale

    before = QLocale()
    translators = install_translators(qapp, "es")
    yield qapp
    for t in translators:
        qapp.removeTranslator(t)
    QLocale.setDefault(before)


def test_qt_file_dialogs_say_archivo_and_use_tu(spanish):
    t = QCoreApplication.translate
    assert t("QFileDialog", "File &name:") == "&Nombre del archivo:"
    assert t("QFileDialog", "All Files (*)") == "Todos los archivos (*)"
    assert "¿Quieres reemplazarlo?" in t("QFileDialog", "%1 already exists.\nDo you want to replace it?")
    assert t("QPlatformTheme", "Cancel") == "Cancelar"  # Qt's own Spanish still answers the rest


def test_a_real_file_dialog_shows_no_spain_only_words(spanish, qtbot):
    dialog = QFileDialog(None, "Importar", str(Path.home()), "Todos los archivos (*)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    texts = []
    for widget in dialog.findChildren(QWidget):
        for getter in ("text", "toolTip", "accessibleName"):
            value = getattr(widget, getter, None)
            if callable(value):
                try:
                    texts.append(str(value()))
                except TypeError:
                    continue
    shown = " | ".join(texts)
    assert "archivo" in shown.lower() and not SPAIN_ONLY.search(shown), shown


# English words that give a UI string away (our strings are Spanish; code identifiers are not user text).
ENGLISH = re.compile(
    r"\b(the|and|with|please|file|files|folder|open|save|cancel|loading|retry|settings|"
    r"search|results?|export|import|failed|warning|unknown|select|done|yes|no\s+data)\b"
)
USER_TEXT_CALLS = {"tr", "translate", "QT_TR_NOOP", "setText", "setToolTip", "setPlaceholderText",
                   "setWindowTitle", "setAccessibleName", "showMessage", "show_message", "_message", "QLabel",
                   "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "addMenu", "addItem",
                   "setSpecialValueText", "setHorizontalHeaderLabels", "emit", "_t"}  # fmt: skip


def _user_strings(path: Path) -> list[tuple[int, str]]:
    """String literals passed to the calls that put text on screen."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in USER_TEXT_CALLS:
            continue
        args = node.args[1:] if name == "translate" else node.args  # translate(context, text)
        for arg in args:
            parts = arg.values if isinstance(arg, ast.JoinedStr) else [arg]
            for part in parts:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found.append((node.lineno, part.value))
    return found


def test_no_english_strings_anywhere_in_the_ui():
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        for line, text in _user_strings(path):
            if "<" in text and ">" in text:
                text = re.sub(r"<[^>]+>", " ", text)  # HTML tags are markup, not words
            if ENGLISH.search(text.lower()) or SPAIN_ONLY.search(text):
                offenders.append(f"{path.relative_to(UI)}:{line}: {text!r}")
    assert offenders == []


def test_the_scan_catches_english():
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        bad = Path(folder) / "page.py"
        bad.write_text(
            'def f(self):\n    self.label.setText(self.tr("Loading results…"))\n', encoding="utf-8"
        )
        strings = [text for _, text in _user_strings(bad)]
    assert strings == ["Loading results…"] and ENGLISH.search(strings[0].lower())


def test_qt_widgets_format_numbers_as_sunat_publishes(spanish):
    """install_translators makes es-PE Qt's default locale: spin boxes agree with core.numbers."""
    from PySide6.QtWidgets import QDoubleSpinBox

    from migo_desktop.core.numbers import fmt_dec

    box = QDoubleSpinBox()
    box.setRange(0, 1e7)
    box.setDecimals(1)
    box.setGroupSeparatorShown(True)
    assert box.textFromValue(1234.5) == fmt_dec(1234.5, 1) == "1,234.5"
