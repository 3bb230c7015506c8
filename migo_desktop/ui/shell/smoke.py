"""``migo-desktop --smoke-test``: start, build every page, close the window, report in the log.

The bundle smoke test (packaging/smoke.py) runs the frozen app with it: a module a freezer left out, a
missing Qt plug-in or package data shows up as a page that cannot be built, and the exit code says so.
"""

from __future__ import annotations

import logging
from typing import Protocol

from .main_window import MainWindow

__all__ = ["smoke_test"]

log = logging.getLogger(__name__)
PAGE_LOGGER = "migo_desktop.ui.shell.main_window"  # guarded_page logs a page that could not be built


class HasWindow(Protocol):  # the Shell (not imported: app.py imports this module)
    window: MainWindow


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def smoke_test(shell: HasWindow) -> int:
    errors = _Errors()
    logging.getLogger(PAGE_LOGGER).addHandler(errors)
    try:
        built = [key for key in shell.window.keys if shell.window.page(key) is not None]
    finally:
        logging.getLogger(PAGE_LOGGER).removeHandler(errors)
    code = 1 if errors.records or len(built) != len(shell.window.keys) else 0
    log.info(
        "Smoke test: %d of %d pages built, %d errors", len(built), len(shell.window.keys), len(errors.records)
    )
    shell.window.close()
    return code
