"""The window fits the screen it opens on, keeps a usable minimum, and comes back on screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QLabel

from migo_desktop.ui.base.settings_store import Preferences
from migo_desktop.ui.shell.geometry import DEFAULT_SIZE, FRAME, MINIMUM_SIZE, fit_new_window, pull_on_screen
from migo_desktop.ui.shell.main_window import MainWindow

LAPTOP = QRect(0, 0, 1366, 728)  # 1366×768 with a 40 px taskbar at the bottom
SCALED = QRect(0, 0, 1280, 680)  # 1920×1080 at 150 %: 1280×720 logical, minus the taskbar
BIG = QRect(0, 0, 2560, 1400)


def _inside(client: QRect, area: QRect) -> bool:
    """The client area plus the window frame fits in ``area``."""
    outer = client.adjusted(-FRAME.width() // 2, -(FRAME.height() - 8), FRAME.width() // 2, 8)
    return area.contains(outer)


@pytest.mark.parametrize("area", [LAPTOP, SCALED, BIG, QRect(1920, 0, 1366, 728)])
def test_first_start_fits_the_available_area(area):
    rect = fit_new_window(area)
    assert _inside(rect, area), (rect, area)
    assert rect.width() <= DEFAULT_SIZE.width() and rect.height() <= DEFAULT_SIZE.height()
    assert rect.width() >= MINIMUM_SIZE.width() and rect.height() >= MINIMUM_SIZE.height()


def test_minimum_size_fits_a_scaled_full_hd_screen():
    rect = fit_new_window(SCALED, MINIMUM_SIZE)
    assert rect.size() == MINIMUM_SIZE and _inside(rect, SCALED)


@pytest.mark.parametrize(
    "saved",
    [
        QRect(2200, 300, 1180, 760),  # saved on a second monitor that is gone
        QRect(-900, -400, 1000, 700),  # dragged off the top-left
        QRect(100, 100, 1900, 1000),  # saved on a bigger screen
    ],
)
def test_restored_geometry_is_pulled_back_on_screen(saved):
    rect = pull_on_screen(saved, LAPTOP)
    assert _inside(rect, LAPTOP), rect
    assert rect.width() == min(saved.width(), LAPTOP.width() - FRAME.width())


def test_window_uses_the_fake_screen_on_first_start_and_after_restore(services, paths, qtbot):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.add_page("consulta", "Consulta", "consulta", QLabel("a"))
    assert services.prefs.window_geometry() is None
    window.restore_state(available=SCALED)
    assert _inside(window.geometry(), SCALED) and window.minimumSize() == MINIMUM_SIZE
    # a geometry saved on a big monitor, restored on the laptop
    window.setGeometry(QRect(1500, 900, 1400, 900))
    window.save_state()
    again = MainWindow(services)
    qtbot.addWidget(again)
    again.add_page("consulta", "Consulta", "consulta", QLabel("a"))
    assert Preferences(paths.settings_file).window_geometry() is not None
    again.restore_state(available=LAPTOP)
    assert _inside(again.geometry(), LAPTOP), again.geometry()


def test_nothing_is_clipped_at_the_minimum_size(shell, qtbot):
    w = shell.window
    w.resize(MINIMUM_SIZE)
    w.show()
    qtbot.waitExposed(w)
    for key in w.keys:
        page = w.show_page(key)
        assert page is not None
        hint = page.minimumSizeHint()
        room = w.stack.size()
        assert hint.width() <= room.width() and hint.height() <= room.height(), (key, hint, room)
    assert w.size() == QSize(MINIMUM_SIZE)
