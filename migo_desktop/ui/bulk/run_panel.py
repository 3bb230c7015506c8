"""The run's dashboard: progress bar, counts per state, rate, ETA and Pausar/Reanudar/Cancelar."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ...core.models import LookupStatus
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
            self.speed.setText("")

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        self.pause_button.setText(self.tr("&Reanudar") if paused else self.tr("&Pausar"))

    def set_counts(self, counts: dict[LookupStatus, int], total: int | None = None) -> None:
        total = sum(counts.values()) if total is None else total
        done = total - counts.get(LookupStatus.PENDING, 0)
        self.bar.setValue(done * 1000 // total if total else 0)
        self.summary.setText(self.tr("%s de %s filas") % (fmt_int(done), fmt_int(total)))
        parts = []
        for status in LookupStatus:
            color = STATUS_COLORS[status].name()
            count = fmt_int(counts.get(status, 0))
            parts.append(f"<span style='color:{color}'>■</span> {status_title(status)}: <b>{count}</b>")
        self.counts.setText(" &nbsp; ".join(parts))

    def update_progress(self, progress: Any) -> None:
        """Show an engine ``Progress`` snapshot."""
        self.set_counts(progress.counts, progress.total)
        rate = getattr(progress, "rate", 0.0) or 0.0
        eta = getattr(progress, "eta_seconds", None)
        extra = self.tr("%s consultas/s · faltan %s · %s a la API · %s desde caché") % (
            f"{rate:.1f}".replace(".", ","),
            format_eta(eta),
            fmt_int(getattr(progress, "requests", 0)),
            fmt_int(getattr(progress, "cache_hits", 0)),
        )
        message = getattr(progress, "message", "")
        self.speed.setText(f"{message} · {extra}" if message else extra)

    def _toggle_pause(self) -> None:
        if self._paused:
            self.resumeRequested.emit()
        else:
            self.pauseRequested.emit()
