"""Window geometry that fits the screen: a first start sized to the available area (taskbar excluded), and a
restored geometry pulled back on screen when the monitor it was saved on is gone or smaller.

Pure functions over ``QRect``/``QSize`` so tests can hand them any screen: a 1366×768 laptop with a 40 px
taskbar (1366×728 available) or 1920×1080 at 150 % (1280×720 logical, 1280×680 available).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize

__all__ = ["DEFAULT_SIZE", "FRAME", "MINIMUM_SIZE", "fit_new_window", "pull_on_screen"]

DEFAULT_SIZE = QSize(1280, 800)  # shrunk to the room there is (a 1366×768 laptop: 1280×688)
# Small enough for 1280×680 (1920×1080 at 150 % with a taskbar), large enough that Masiva's filter bar,
# legend and search box are not clipped.
MINIMUM_SIZE = QSize(960, 560)
# What the window manager adds around the client area (title bar, borders): keep it on screen too.
FRAME = QSize(16, 40)


def _client_room(available: QRect) -> QSize:
    return QSize(max(1, available.width() - FRAME.width()), max(1, available.height() - FRAME.height()))


def fit_new_window(available: QRect, wanted: QSize = DEFAULT_SIZE) -> QRect:
    """The client rectangle for a first start: ``wanted`` shrunk to the room there is, centred."""
    room = _client_room(available)
    width, height = min(wanted.width(), room.width()), min(wanted.height(), room.height())
    x = available.x() + (available.width() - width) // 2
    y = available.y() + FRAME.height() - 8 + (room.height() - height) // 2
    return QRect(x, max(available.y() + FRAME.height() - 8, y), width, height)


def pull_on_screen(client: QRect, available: QRect) -> QRect:
    """``client`` (the window's inner rectangle) resized to fit ``available`` and moved fully inside it."""
    room = _client_room(available)
    width, height = min(client.width(), room.width()), min(client.height(), room.height())
    top = available.y() + FRAME.height() - 8  # the title bar sits above the client area
    left = available.x() + FRAME.width() // 2
    x = min(max(client.x(), left), available.x() + available.width() - FRAME.width() // 2 - width)
    y = min(max(client.y(), top), available.y() + available.height() - 8 - height)
    return QRect(x, y, width, height)
