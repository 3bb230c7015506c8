"""The main window: left navigation + stacked pages, menus and shortcuts, demo banner, status bar, drops.

Pages are built lazily (the window is on screen before the heavy ones exist). ``add_page(key, title, icon,
widget_or_factory)`` registers one. Pages may offer, duck-typed: ``focus_search()`` (Ctrl+F), ``export()``
(Ctrl+E), ``open_file(path)`` (the bulk page: Ctrl+O and dropped files). Ctrl+1…Ctrl+9 go to the sections in
order; ``set_badge(key, text)`` puts a small pill beside a section's name (a running bulk job's progress).
The window fits the screen it opens on (``geometry.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ... import APP_NAME
from ..base.pages import ChoosesExport, Exportable, GuardsQuit, OpensFiles, Searchable
from ..base.services import Services
from ..widgets.files import IMPORT_FILTER, ask_open_file
from ..widgets.icons import icon
from .banner import DemoBanner
from .geometry import DEFAULT_SIZE, MINIMUM_SIZE, fit_new_window, pull_on_screen

if TYPE_CHECKING:
    from .help import GuideDialog

__all__ = ["DROP_SUFFIXES", "MainWindow"]

log = logging.getLogger(__name__)
DROP_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}
PageFactory = Callable[[], QWidget]


def guarded_page(name: str, build: PageFactory) -> QWidget:
    """Build a page defensively: a broken page becomes a Spanish placeholder, not a crash of the whole app."""
    try:
        return build()
    except Exception:  # noqa: BLE001 - one broken page must not take the whole app down
        log.exception("Page %s could not be built", name)
    label = QLabel(
        QCoreApplication.translate("MainWindow", "Esta sección no está disponible en esta versión.")
    )
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setObjectName("muted")
    return label


class MainWindow(QMainWindow):
    preferencesRequested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)
        self.resize(DEFAULT_SIZE)
        self.setMinimumSize(MINIMUM_SIZE)
        self._keys: list[str] = []
        self._titles: dict[str, str] = {}
        self._icons: dict[str, str] = {}
        self._badges: dict[str, QLabel] = {}
        self._pages: dict[str, QWidget | None] = {}
        self._factories: dict[str, PageFactory] = {}
        self.guide: GuideDialog | None = None
        self._build()
        self._build_actions()
        services.events.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 6000))
        services.events.demoChanged.connect(self.set_demo)
        services.events.openPreferences.connect(self.preferencesRequested)
        self.set_demo(services.demo)

    # layout ----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = DemoBanner(central)
        self.banner.configureRequested.connect(self.preferencesRequested)
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = QListWidget(central)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Secciones"))
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(190)
        self.stack = QStackedWidget(central)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_row)
        self.statusBar().showMessage(self.tr("Listo"))

    def _build_actions(self) -> None:
        menu_file = self.menuBar().addMenu(self.tr("&Archivo"))
        self.act_import = self._action(self.tr("&Importar Excel…"), "Ctrl+O", self.import_file, "importar")
        self.act_export = self._action(self.tr("&Exportar…"), "Ctrl+E", self.export_current, "exportar")
        self.act_prefs = self._action(
            self.tr("&Preferencias…"), "Ctrl+,", self.preferencesRequested.emit, "preferencias"
        )
        self.act_quit = self._action(self.tr("&Salir"), QKeySequence.StandardKey.Quit, self.close)
        for a in (self.act_import, self.act_export):
            menu_file.addAction(a)
        menu_file.addSeparator()
        menu_file.addAction(self.act_prefs)
        menu_file.addSeparator()
        menu_file.addAction(self.act_quit)
        self.act_find = self._action(self.tr("Buscar"), "Ctrl+F", self.focus_search)
        self.addAction(self.act_find)
        self.menu_go = self.menuBar().addMenu(self.tr("&Ir a"))
        self.section_actions: list[QAction] = []
        menu_help = self.menuBar().addMenu(self.tr("A&yuda"))
        self.act_guide = self._action(self.tr("&Guía de uso"), "F1", self.show_guide, "ayuda")
        self.act_logs = self._action(self.tr("Abrir carpeta de &registros"), None, self.open_log_folder)
        self.act_about = self._action(self.tr("&Acerca de Migo Desktop"), None, self.about)
        menu_help.addAction(self.act_guide)
        menu_help.addSeparator()
        menu_help.addAction(self.act_logs)
        menu_help.addAction(self.act_about)

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: Callable[[], object],
        icon_name: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if icon_name:
            action.setIcon(icon(icon_name))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # pages -------------------------------------------------------------------------------------------
    def add_page(self, key: str, title: str, icon_: QIcon | str, widget: QWidget | PageFactory) -> None:
        """Register a page; a callable that is not a widget is built the first time the page is shown."""
        item = QListWidgetItem(icon(icon_) if isinstance(icon_, str) else icon_, title)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        self._keys.append(key)
        self._titles[key] = title
        if isinstance(icon_, str):
            self._icons[key] = icon_
        self._add_section_action(key, title)
        holder = QWidget(self.stack)
        QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(holder)
        if isinstance(widget, QWidget):
            self._place(key, holder, widget)
        else:
            self._pages[key] = None
            self._factories[key] = widget
        self.nav.addItem(item)

    def _place(self, key: str, holder: QWidget, widget: QWidget) -> None:
        layout = holder.layout()
        assert layout is not None  # add_page gives every holder a layout
        layout.addWidget(widget)
        self._pages[key] = widget

    def _add_section_action(self, key: str, title: str) -> None:
        """Ctrl+1…Ctrl+9: the n-th section, also listed in the «Ir a» menu (so the keys can be discovered)."""
        n = len(self._keys)
        if n > 9:
            return
        action = self._action(title, f"Ctrl+{n}", lambda: self.show_page(key), self._icons.get(key))
        self.menu_go.addAction(action)
        self.addAction(action)  # active wherever the focus is in the window, menu open or not
        self.section_actions.append(action)

    def set_badge(self, key: str, text: str, tooltip: str = "") -> None:
        """A small pill at the right of a section's name ("" removes it); its text is also spoken."""
        if key not in self._keys:
            return
        item = self.nav.item(self._keys.index(key))
        title = self._titles[key]
        label = self._badges.get(key)
        if not text:
            if label is not None:
                label.hide()
            item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
            item.setToolTip("")
            return
        if label is None:
            holder = QWidget(self.nav)
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 14, 0)
            row.addStretch(1)
            label = QLabel(holder)
            label.setObjectName("navBadge")
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            holder.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            row.addWidget(label)
            self.nav.setItemWidget(item, holder)
            self._badges[key] = label
        label.setText(text)
        label.show()
        item.setToolTip(tooltip)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}: {tooltip or text}")

    def badge(self, key: str) -> str:
        label = self._badges.get(key)
        return label.text() if label is not None and not label.isHidden() else ""

    def retheme(self, _scheme: str = "") -> None:
        """Icons are drawn in the look's colours: set them again after a switch between light and dark."""
        self.setWindowIcon(icon("app"))
        for row, key in enumerate(self._keys):
            if key in self._icons:
                self.nav.item(row).setIcon(icon(self._icons[key]))
        for action, name in (
            (self.act_import, "importar"),
            (self.act_export, "exportar"),
            (self.act_prefs, "preferencias"),
            (self.act_guide, "ayuda"),
        ):
            action.setIcon(icon(name))
        for action, key in zip(self.section_actions, self._keys, strict=False):
            if key in self._icons:
                action.setIcon(icon(self._icons[key]))

    def page(self, key: str) -> QWidget | None:
        """The page widget, building it now if it is still lazy."""
        if key not in self._keys:
            return None
        if self._pages.get(key) is None and key in self._factories:
            holder = self.stack.widget(self._keys.index(key))
            assert holder is not None
            self._place(key, holder, self._factories.pop(key)())
        return self._pages.get(key)

    def built_page(self, key: str) -> QWidget | None:
        """The page widget if it was built already (never builds a lazy one: e.g. at quit)."""
        return self._pages.get(key)

    @property
    def keys(self) -> list[str]:
        return list(self._keys)

    def current_key(self) -> str | None:
        row = self.nav.currentRow()
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def show_page(self, key: str) -> QWidget | None:
        if key in self._keys:
            self.nav.setCurrentRow(self._keys.index(key))
        return self.page(key)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self._keys):
            self.page(self._keys[row])
            self.stack.setCurrentIndex(row)
            self.services.prefs.set_current_page(self._keys[row])

    # commands ----------------------------------------------------------------------------------------
    def focus_search(self) -> None:
        page = self.page(self.current_key() or "")
        if isinstance(page, Searchable):
            page.focus_search()

    def export_current(self) -> None:
        page = self.page(self.current_key() or "")
        if isinstance(page, ChoosesExport):
            page.choose_export()
        elif isinstance(page, Exportable):
            page.export()
        else:
            self.statusBar().showMessage(self.tr("Esta sección no tiene nada que exportar."), 5000)

    def import_file(self, path: Path | None = None) -> bool:
        """Ctrl+O: choose a spreadsheet and hand it to the bulk page (``BulkPage.open_file``)."""
        if path is None:
            path = ask_open_file(
                self, self.services.prefs, self.tr("Importar Excel, CSV o TXT"), IMPORT_FILTER
            )
            if path is None:
                return False
        return self.forward_file(Path(path))

    def forward_file(self, path: Path) -> bool:
        bulk = self.show_page("masiva")
        if isinstance(bulk, OpensFiles):
            self.services.prefs.set_last_folder("import", path)
            bulk.open_file(path)
            return True
        self.statusBar().showMessage(self.tr("La consulta masiva no está disponible."), 6000)
        return False

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.services.paths.log_dir)))

    def about(self) -> QMessageBox:
        from .help import about_box  # the guide and «Acerca de» load when asked for (start-up)

        paths = self.services.paths
        return about_box(self, str(paths.data_dir), str(paths.log_dir))

    def show_guide(self) -> GuideDialog:
        """Ayuda → Guía de uso: the guide shipped with the app, in a window that does not block this one."""
        if self.guide is None:
            from .help import GuideDialog

            self.guide = GuideDialog(self)
        self.guide.show()
        self.guide.raise_()
        return self.guide

    def set_demo(self, demo: bool, *, known: bool = True) -> None:
        """The demo banner and the title's note; ``known=False`` while the keyring has not answered (the
        window stays neutral: a saved token must not flash «modo demostración» by)."""
        demo = demo and known
        self.banner.setVisible(demo)
        title = APP_NAME + (self.tr(" — modo demostración") if demo else "")
        self.setWindowTitle(title)

    # drag and drop -----------------------------------------------------------------------------------
    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile():
                path = Path(url.toLocalFile())
                if path.suffix.lower() in DROP_SUFFIXES:
                    return path
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.forward_file(path)

    # geometry ----------------------------------------------------------------------------------------
    def restore_state(self, available: QRect | None = None) -> None:
        """Saved geometry (pulled back on screen if it no longer fits) or, the first time, a size that fits
        the screen's available area. ``available`` stands in for the screen in tests."""
        prefs = self.services.prefs
        geometry = prefs.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        area = available if available is not None else self._available_area()
        if area is not None:
            if self.isMaximized() or self.isFullScreen():
                pass
            elif geometry is None:
                self.setGeometry(fit_new_window(area))
            else:
                self.setGeometry(pull_on_screen(self.geometry(), area))
        key = prefs.current_page(self._keys[0] if self._keys else "")
        self.show_page(key if key in self._keys else (self._keys[0] if self._keys else ""))

    def _available_area(self) -> QRect | None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else None

    def save_state(self) -> None:
        prefs = self.services.prefs
        prefs.set_window_geometry(self.saveGeometry())
        current = self.current_key()
        if current:
            prefs.set_current_page(current)
        prefs.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        for key in self._keys:  # a running bulk job asks first, then saves what is in flight
            page = self.built_page(key)
            if isinstance(page, GuardsQuit) and not page.ready_to_quit(self.close):
                event.ignore()
                return
        self.save_state()
        super().closeEvent(event)
