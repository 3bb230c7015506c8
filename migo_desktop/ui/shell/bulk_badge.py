"""A running bulk job seen from every page: a pill beside «Masiva» in the sidebar with its progress.

The shell builds one when the Masiva page is built and connects it to the page's controller signals
(``runningChanged``, ``progressChanged``, ``pausedChanged``); the badge disappears when the run ends. It also
forwards each move as ``AppEvents.jobChanged(job_id)`` so Historial can update the running job's row.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QObject

from ..base.numbers import fmt_int, fmt_percent

__all__ = ["BulkBadge"]


class _Window(Protocol):
    def set_badge(self, key: str, text: str, tooltip: str = "") -> None: ...


class BulkBadge(QObject):
    def __init__(self, window: _Window, controller: Any, events: Any = None, key: str = "masiva") -> None:
        super().__init__(controller)
        self._window = window
        self._events = events
        self._key = key
        self.running = False
        self.paused = False
        self._last: Any = None
        controller.runningChanged.connect(self._running)
        controller.progressChanged.connect(self._progress)
        controller.pausedChanged.connect(self._paused)

    def _running(self, running: bool) -> None:
        self.running = bool(running)
        if not self.running:
            job = getattr(self._last, "job_id", None)
            self.paused = False
            self._last = None
            self._window.set_badge(self._key, "")
            if job is not None and self._events is not None:
                self._events.jobChanged.emit(int(job))
        else:
            self._show()

    def _paused(self, paused: bool) -> None:
        self.paused = bool(paused)
        self._show()

    def _progress(self, progress: Any) -> None:
        self._last = progress
        self._show()
        job = getattr(progress, "job_id", None)
        if job is not None and self._events is not None:
            self._events.jobChanged.emit(int(job))

    def _show(self) -> None:
        if not self.running:
            return
        p = self._last
        fraction = float(getattr(p, "fraction", 0.0)) if p is not None else 0.0
        percent = fmt_percent(fraction, 0)
        text = self.tr("En pausa") if self.paused else percent
        job = getattr(p, "job_id", None)
        name = self.tr("Consulta masiva n.º {0}").format(job) if job else self.tr("Consulta masiva")
        state = self.tr("en pausa") if self.paused else self.tr("en curso")
        detail = ""
        if p is not None:
            detail = self.tr(": {0} de {1} filas ({2})").format(fmt_int(p.done), fmt_int(p.total), percent)
        self._window.set_badge(self._key, text, f"{name} {state}{detail}")
