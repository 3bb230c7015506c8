"""A small QPainter chart of the result breakdown: one stacked bar plus a legend with counts."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...core.models import LookupStatus
from ..base.numbers import fmt_int
from ..base.status import STATUS_COLORS, status_title

__all__ = ["BreakdownChart"]


class BreakdownChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts: dict[LookupStatus, int] = {}
        self.setMinimumHeight(44)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Gráfico de resultados"))

    def sizeHint(self) -> QSize:
        return QSize(400, 44)

    def counts(self) -> dict[LookupStatus, int]:
        return dict(self._counts)

    def set_counts(self, counts: dict[LookupStatus, int]) -> None:
        counts = {s: int(counts.get(s, 0)) for s in LookupStatus}
        if counts != self._counts:
            self._counts = counts
            total = sum(counts.values())
            desc = ", ".join(f"{s.label}: {fmt_int(n)}" for s, n in counts.items() if n)
            self.setAccessibleDescription(desc or self.tr("Sin resultados"))
            self.setToolTip(desc + (f" (total {fmt_int(total)})" if total else ""))
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        total = sum(self._counts.values())
        bar = QRectF(0, 2, self.width(), 14)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().mid())
        painter.drawRoundedRect(bar, 4, 4)
        if total:
            x = 0.0
            for status, n in self._counts.items():
                if not n:
                    continue
                w = self.width() * n / total
                painter.setBrush(STATUS_COLORS[status])
                painter.drawRect(QRectF(x, bar.top(), max(w, 1.0), bar.height()))
                x += w
        # legend
        metrics = painter.fontMetrics()
        x, y = 0, bar.bottom() + 6
        painter.setPen(self.palette().text().color())
        for status, n in self._counts.items():
            if not n:
                continue
            pct = 100.0 * n / total if total else 0.0
            text = f"{status_title(status)} {fmt_int(n)} ({pct:.0f} %)"
            painter.fillRect(QRectF(x, y + 3, 10, 10), STATUS_COLORS[status])
            painter.drawText(int(x + 14), int(y + metrics.ascent()), text)
            x += 14 + metrics.horizontalAdvance(text) + 16
        painter.end()
