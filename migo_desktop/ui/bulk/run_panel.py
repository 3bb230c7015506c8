"""The run's dashboard: progress bar, counts per state, rate, ETA and Pausar/Reanudar/Cancelar.

The state line says what the run is doing when that is not obvious: «Pausando… (N consultas en curso)» while
the answers already asked for arrive after Pausar, then «En pausa»; «Guardando…» while a quit drains them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ...core.models import LookupStatus
from ...core.numbers import fmt_dec
from ..base.numbers import fmt_int
from ..base.status import STATUS_COLORS, status_title

__all__ = ["RunPanel", "format_eta"]


def format_eta(seconds: float | None) -> str:
    if seconds is None or seconds < 0:
        return "—"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {sec:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class RunPanel(QWidget):
    pauseRequested = Signal()
    resumeRequested = Signal()
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paused = False
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)  # per mille: QProgressBar repaints synchronously on every new value
        self.bar.setValue(0)
        self.bar.setTextVisible(True)
        self.bar.setAccessibleName(self.tr("Progreso de la consulta masiva"))
        self.summary = QLabel(self)
        self.counts = QLabel(self)
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.speed = QLabel(self)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("runState")
        self.state_label.setStyleSheet("QLabel#runState { font-weight: 600; }")
        self.state_label.setAccessibleName(self.tr("Estado de la consulta masiva"))
        self._stopping = False
        self.pause_button = QPushButton(self.tr("&Pausar"), self)
        self.pause_button.setAccessibleName(self.tr("Pausar o reanudar la consulta"))
        self.pause_button.clicked.connect(self._toggle_pause)
        self.cancel_button = QPushButton(self.tr("&Cancelar"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancelar la consulta"))
        self.cancel_button.clicked.connect(self.cancelRequested)

        top = QHBoxLayout()
        top.addWidget(self.bar, 1)
        top.addWidget(self.pause_button)
        top.addWidget(self.cancel_button)
        info = QHBoxLayout()
        info.addWidget(self.summary)
        info.addSpacing(12)
        info.addWidget(self.state_label)
        info.addStretch(1)
        info.addWidget(self.speed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(info)
        layout.addWidget(self.counts)
        self.set_running(False)

    # ---- inputs --------------------------------------------------------------------------------------
    def set_running(self, running: bool) -> None:
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        if not running:
            self.set_paused(False)
            self.set_stopping(False)

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        self.pause_button.setText(self.tr("&Reanudar") if paused else self.tr("&Pausar"))
        if not self._stopping:
            self.state_label.setText(self.tr("Pausando…") if paused else "")

    def set_stopping(self, stopping: bool) -> None:
        """A quit is draining the requests in flight: nothing to press until it is saved."""
        self._stopping = stopping
        if stopping:
            self.pause_button.setEnabled(False)
            self.cancel_button.setEnabled(False)
            self.state_label.setText(self.tr("Guardando…"))
        else:
            self.state_label.setText(self.tr("Pausando…") if self._paused else "")

    def _show_pause_state(self, in_flight: int) -> None:
        if self._stopping:
            return
        if not self._paused:
            self.state_label.setText("")
        elif in_flight == 1:
            self.state_label.setText(self.tr("Pausando… (1 consulta en curso)"))
        elif in_flight > 1:
            self.state_label.setText(self.tr("Pausando… (%s consultas en curso)") % fmt_int(in_flight))
        else:
            self.state_label.setText(self.tr("En pausa"))

    def is_settled_pause(self) -> bool:
        """Paused and nothing in flight: the counts on screen no longer move."""
        return self._paused and self.state_label.text() == self.tr("En pausa")

    def set_counts(self, counts: dict[LookupStatus, int], total: int | None = None) -> None:
        total = sum(counts.values()) if total is None else total
        done = total - counts.get(LookupStatus.PENDING, 0)
        # QProgressBar.setValue repaints at once (and with it everything else waiting to be painted), then the
        # labels below ask for a second paint: with updates off the bar joins the window's next paint instead.
        self.bar.setUpdatesEnabled(False)
        self.bar.setValue(done * 1000 // total if total else 0)
        self.bar.setUpdatesEnabled(True)
        self.summary.setText(self.tr("%s de %s filas") % (fmt_int(done), fmt_int(total)))
        parts = []
        for status in LookupStatus:
            color = STATUS_COLORS[status].name()
            count = fmt_int(counts.get(status, 0))
            parts.append(f"<span style='color:{color}'>■</span> {status_title(status)}: <b>{count}</b>")
        self.counts.setText(" &nbsp; ".join(parts))

    def update_progress(
        self,
        progress: Any,
        counts: dict[LookupStatus, int] | None = None,
        *,
        earlier_requests: int = 0,
        earlier_cache_hits: int = 0,
    ) -> None:
        """Show an engine ``Progress`` snapshot. ``counts`` (the table's, when given) win over the engine's so
        the panel and the chart's legend never disagree; the API and cache totals add what earlier runs of
        the same job used, as the exported Resumen does."""
        self.set_counts(progress.counts if counts is None else counts, progress.total)
        self._show_pause_state(int(getattr(progress, "in_flight", 0) or 0))
        rate = getattr(progress, "rate", 0.0) or 0.0
        eta = getattr(progress, "eta_seconds", None)
        usage = self.usage_text(
            earlier_requests + int(getattr(progress, "requests", 0)),
            earlier_cache_hits + int(getattr(progress, "cache_hits", 0)),
        )
        if self._paused or self._stopping:  # no speed or time left to speak of while nothing is asked
            self.speed.setText(usage)
            return
        extra = self.tr("%s consultas/s · faltan %s · %s") % (
            fmt_dec(rate),
            format_eta(eta),
            usage,
        )
        message = getattr(progress, "message", "")
        self.speed.setText(f"{message} · {extra}" if message else extra)

    def usage_text(self, requests: int, cache_hits: int) -> str:
        return self.tr("%s a la API · %s desde caché") % (fmt_int(requests), fmt_int(cache_hits))

    def show_usage(self, requests: int, cache_hits: int) -> None:
        """A run that is not running: what the whole job used (the same figures as the export's Resumen)."""
        self.speed.setText(self.usage_text(requests, cache_hits))

    def _toggle_pause(self) -> None:
        if self._paused:
            self.resumeRequested.emit()
        else:
            self.pauseRequested.emit()
