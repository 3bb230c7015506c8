"""Dark mode (Preferencias and the OS scheme), the app's icons, Ctrl+1…4, Ayuda and the bulk badge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QStyle

from migo_desktop.core.models import LookupStatus
from migo_desktop.ui.base import theme
from migo_desktop.ui.base.status import STATUS_COLORS, TONE_COLORS
from migo_desktop.ui.base.style import AppStyle
from migo_desktop.ui.shell.app import Shell
from migo_desktop.ui.shell.appearance import Appearance
from migo_desktop.ui.shell.help import GUIDE_FILE, LICENSES
from migo_desktop.ui.widgets.badge import StateBadge


@pytest.fixture
def looks(qapp):
    """Leave the app in the light look for the next test, whatever this one did."""
    yield qapp
    theme.apply_theme(qapp, "claro")
    qapp.setStyleSheet("")


def _window_colour(app) -> str:
    return app.palette().color(QPalette.ColorRole.Window).name()


def test_dark_choice_applies_a_dark_palette_stylesheet_and_status_colours(services, looks, qtbot):
    app = looks
    services.prefs.set_appearance("oscuro")
    appearance = Appearance(app, services)
    assert appearance.scheme == "oscuro" and theme.is_dark()
    assert _window_colour(app) == theme.DARK["window"]
    assert QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert theme.DARK["surface"] in app.styleSheet()
    assert STATUS_COLORS[LookupStatus.OK].name() != "#1e8e3e"  # recoloured in place for the dark look
    surface = QColor(theme.DARK["surface"]).lightness()
    for tone in ("good", "bad", "warn"):  # «BAJA DE OFICIO» in Masiva must stay readable on the dark table
        assert TONE_COLORS[tone].lightness() > surface + 90, tone
    badge = StateBadge()
    qtbot.addWidget(badge)
    badge.set_state("ACTIVO")
    assert theme.tone_colors("ok")[0] in badge.styleSheet()
    services.events.appearanceChanged.emit("claro")  # what Preferencias sends on OK
    assert appearance.scheme == "claro" and _window_colour(app) == theme.LIGHT["window"]
    assert services.prefs.appearance() == "claro"
    assert theme.tone_colors("ok")[0] in badge.styleSheet()  # the badge followed the switch
    assert TONE_COLORS["bad"].name() == "#c5221f"  # and the table's tones too


def test_system_choice_follows_the_os_scheme_live(services, looks, monkeypatch):
    app = looks
    scheme = {"value": Qt.ColorScheme.Light}
    hints = app.styleHints()
    monkeypatch.setattr(type(hints), "colorScheme", lambda _self: scheme["value"])
    services.prefs.set_appearance("sistema")
    appearance = Appearance(app, services)
    assert appearance.scheme == "claro"
    scheme["value"] = Qt.ColorScheme.Dark
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert appearance.scheme == "oscuro" and _window_colour(app) == theme.DARK["window"]
    services.prefs.set_appearance("claro")  # an explicit choice wins over the OS
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    appearance.apply()
    assert appearance.scheme == "claro"


def test_preferences_offer_the_choice(shell, services, looks):
    dialog = shell.open_preferences()
    choices = [dialog.appearance.itemData(i) for i in range(dialog.appearance.count())]
    assert choices == ["sistema", "claro", "oscuro"]
    seen = []
    services.events.appearanceChanged.connect(seen.append)
    dialog.appearance.setCurrentIndex(2)
    dialog.accept()
    assert seen == ["oscuro"] and services.prefs.appearance() == "oscuro"


def test_message_boxes_use_our_svg_icons_and_buttons_have_no_bitmaps(looks):
    theme.apply_theme(looks, "claro")
    style = theme.app_style()
    assert isinstance(style, AppStyle)
    assert style.standardIcon(QStyle.StandardPixmap.SP_DialogOkButton).isNull()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert [b.icon().isNull() for b in buttons.buttons()] == [True, True]
    info = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
    assert not info.isNull() and info.pixmap(64, 64).width() == 64
    box = QMessageBox(QMessageBox.Icon.Warning, "Aviso", "Texto")
    assert not box.iconPixmap().isNull()  # drawn from aviso.svg through the app's style


def test_ctrl_1_to_4_switch_sections(shell):
    """Offscreen windows never become active, so the key press itself cannot be sent: check the bindings
    (unique, on the window, Ctrl+n in order) and what each one does."""
    w = shell.window
    taken = [a.shortcut() for a in w.findChildren(QAction) if not a.shortcut().isEmpty()]
    for n in range(1, len(w.section_actions) + 1):
        action = w.section_actions[n - 1]
        assert action.shortcut() == QKeySequence(f"Ctrl+{n}") and taken.count(action.shortcut()) == 1
        assert action in w.actions() and action.shortcutContext() == Qt.ShortcutContext.WindowShortcut
    for n, key in [(3, "tipo_cambio"), (1, "consulta"), (5, "padron"), (4, "historial"), (2, "masiva")]:
        w.section_actions[n - 1].trigger()
        assert w.current_key() == key
    menu = [a.text() for a in w.menu_go.actions()]
    assert menu == ["Consulta", "Masiva", "Tipo de cambio", "Historial", "Padrón SUNAT"]


def test_sidebar_shows_a_focus_indicator(shell):
    sheet = theme.stylesheet(theme.LIGHT)
    assert "QListWidget#navigation::item:focus" in sheet and theme.LIGHT["focus"] in sheet


def test_help_opens_the_shipped_guide_and_about_lists_licences(shell):
    assert GUIDE_FILE.exists()
    guide = shell.window.show_guide()
    text = guide.browser.toPlainText()
    assert "Consulta" in text and "Masiva" in text
    assert "contributors" not in text  # the note for contributors (an HTML comment) is not shown
    html = guide.browser.toHtml()
    assert 'src="img/consulta.png"' in html and 'width="760"' in html
    box = shell.window.about()
    assert isinstance(box, QMessageBox)
    for dist, licence in LICENSES:
        assert dist in box.text() and licence in box.text()
    box.close()
    guide.close()


def test_running_bulk_job_shows_a_sidebar_badge(shell):
    w = shell.window
    page = w.page("masiva")
    controller = page.controller
    assert shell.bulk_badge is not None and w.badge("masiva") == ""
    from migo_desktop.core.progress import Progress
    from migo_desktop.core.store import JobState

    counts = {LookupStatus.OK: 450, LookupStatus.PENDING: 550}
    progress = Progress(7, 1000, counts, 450, 8, 450, 0, 0, 10.0, 55.0, 8, JobState.RUNNING)
    controller.runningChanged.emit(True)
    controller.progressChanged.emit(progress)
    assert w.badge("masiva") == "45 %"
    item = w.nav.item(w.keys.index("masiva"))
    assert "n.º 7" in item.toolTip() and "450 de 1,000" in item.toolTip()
    controller.pausedChanged.emit(True)
    assert w.badge("masiva") == "En pausa"
    controller.runningChanged.emit(False)
    assert w.badge("masiva") == ""


def test_masiva_has_a_page_title(shell):
    page = shell.window.page("masiva")
    assert page.page_title.text() == "Consulta masiva" and page.page_title.objectName() == "pageTitle"


def test_shell_with_the_app_follows_the_look(services, loop, looks, qtbot):
    services.prefs.set_appearance("oscuro")
    sh = Shell(services, looks)
    qtbot.addWidget(sh.window)
    try:
        assert sh.appearance is not None and sh.appearance.scheme == "oscuro"
        assert not sh.window.nav.item(0).icon().isNull()
    finally:
        loop.run_until_complete(sh.aclose())


def test_the_shipped_guide_is_docs_guia_with_its_pictures():
    """resources/guia is a copy of docs/guia.md and docs/img (tests/support/screenshots.py syncs them)."""
    from pathlib import Path

    docs = Path(__file__).resolve().parents[3] / "docs"
    assert GUIDE_FILE.read_bytes() == (docs / "guia.md").read_bytes()
    shipped = {p.name: p.read_bytes() for p in (GUIDE_FILE.parent / "img").glob("*.png")}
    source = {p.name: p.read_bytes() for p in (docs / "img").glob("*.png")}
    assert shipped == source


@pytest.mark.parametrize("colours", [theme.LIGHT, theme.DARK], ids=["claro", "oscuro"])
def test_no_style_sheet_rule_reaches_a_table(colours):
    """A rule that matches a QTableView makes Qt paint each of its cells through QStyleSheetStyle (4–5×
    slower repaints of Masiva's results table): tables get their colours from the palette instead."""
    import re

    # Types a QTableView is (or inherits), which a selector without an #id or a sub-control would match.
    table_types = {"*", "QWidget", "QFrame", "QAbstractScrollArea", "QAbstractItemView", "QTableView"}
    selectors = []
    for block in re.findall(r"([^{}]+)\{", theme.stylesheet(colours)):
        selectors += [s.strip() for s in block.split(",") if s.strip()]
    assert "QListWidget" in selectors  # the parse found the rules
    for selector in selectors:
        last = selector.split()[-1]  # the widget a rule applies to is its last compound selector
        kind = re.split(r"[#:.\[]", last)[0]
        plain = not re.search(r"[#\[]|::", last)
        assert not (kind in table_types and plain), selector
