"""What the Masiva page tells the user in its non-modal bars: resume offers, how a run ended, errors, exports.

``BulkNotices`` owns the three ``MessageBar``s (the page places them in its layout) and composes their
Spanish text and actions; the actions come back to the page as signals. One bar at a time: a new message
replaces whatever was shown (bars never stack), and ``clear()`` drops them all when another run is opened,
because each message speaks of the run that was on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ..base.numbers import fmt_int
from ..widgets.message_bar import MessageBar

__all__ = ["BulkNotices"]


class BulkNotices(QObject):
    resumeRequested = Signal()  # finish the job on screen
    openJobRequested = Signal(int, bool)  # job id, resume
    preferencesRequested = Signal()

    def __init__(self, page: QWidget, services: Any) -> None:
        super().__init__(page)
        self.services = services  # its ``events.statusMessage`` goes to the status bar
        self.resume_bar = MessageBar(page, tone="info")
        self.error_bar = MessageBar(page, tone="error")
        self.info_bar = MessageBar(page, tone="ok")
        self._bars = (self.resume_bar, self.error_bar, self.info_bar)

    def _show(
        self, bar: MessageBar, text: str, actions: list[tuple[str, Callable[[], Any]]] | None = None
    ) -> None:
        for other in self._bars:
            if other is not bar:
                other.hide()
        bar.show_message(text, actions or [])

    def show_error(self, text: str) -> None:
        self._show(self.error_bar, text)

    def clear(self) -> None:
        for bar in self._bars:
            bar.hide()

    def visible_bars(self) -> list[MessageBar]:
        return [bar for bar in self._bars if not bar.isHidden()]

    def _resume_action(self) -> list[tuple[str, Callable[[], Any]]]:
        return [(self.tr("Reanudar"), self.resumeRequested.emit)]

    def _preferences_action(self) -> list[tuple[str, Callable[[], Any]]]:
        return [(self.tr("Abrir Preferencias"), self.preferencesRequested.emit)]

    def offer_resume_loaded(self, record: Any, pending: int, total: int) -> None:
        """A reopened job with rows left (paused, cancelled, stopped, or cut short by a crash): offer to
        finish it, in the same bar as the start-up offer."""
        state = getattr(record, "state", None)
        shown = getattr(state, "value", "") in ("paused", "cancelled", "stopped")  # not "running": a crash
        label = f" ({getattr(state, 'label', '')})" if shown else ""
        self._show(self.resume_bar,
            self.tr("Esta consulta quedó sin terminar%s: %s de %s filas pendientes. Reanúdala para "
                    "terminarla; lo ya consultado no se vuelve a pagar.")
            % (label, fmt_int(pending), fmt_int(total)),
            self._resume_action(),
        )  # fmt: skip

    def run_finished(self, summary: Any) -> None:
        """Say how the run ended: done, cancelled (offer to resume) or stopped (why, and what to do)."""
        reason = getattr(summary, "reason", None)
        resume = self._resume_action() if summary.pending else []
        if summary.message:
            self.services.events.statusMessage.emit(summary.message)
        if reason is None:
            self._show(self.info_bar, summary.message or self.tr("Consulta terminada."))
        elif reason == "cancelled":
            self._show(self.resume_bar, summary.message, resume)
        else:  # auth, quota, retry budget, network, unexpected failure
            prefs = self._preferences_action()
            actions = (prefs if reason in ("auth", "quota") else []) + resume
            self._show(self.error_bar, summary.message or self.tr("La consulta se detuvo."), actions)

    def error(self, message: str, offer_preferences: bool, can_resume: bool) -> None:
        actions = self._preferences_action() if offer_preferences else []
        if can_resume and offer_preferences:
            actions += self._resume_action()
        self._show(self.error_bar, message, actions)

    def exported(self, path: str, open_file: Callable[[], Any]) -> None:
        self._show(
            self.info_bar,
            self.tr("Resultados exportados a «%s».") % path,
            [(self.tr("Abrir archivo"), open_file)],
        )
        self.services.events.statusMessage.emit(self.tr("Exportado: %s") % Path(path).name)

    def offer_unfinished(self, jobs: list[Any]) -> None:
        """At start-up: the newest unfinished job, with Reanudar and Ver resultados."""
        job = jobs[0]
        more = self.tr(" (y %s más en el Historial)") % (len(jobs) - 1) if len(jobs) > 1 else ""
        text = self.tr("Hay una consulta masiva sin terminar: «%s», %s de %s filas pendientes%s.") % (
            job.source_name,
            fmt_int(job.pending),
            fmt_int(job.total),
            more,
        )
        self.services.events.statusMessage.emit(
            self.tr("Hay una consulta masiva sin terminar: ábrela en «Masiva» para reanudarla.")
        )
        self._show(
            self.resume_bar,
            text,
            [
                (self.tr("Reanudar"), lambda: self.openJobRequested.emit(job.id, True)),
                (self.tr("Ver resultados"), lambda: self.openJobRequested.emit(job.id, False)),
            ],
        )
