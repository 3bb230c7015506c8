"""A small two-line chart (compra/venta over dates) painted with QPainter (QtCharts is not in Essentials)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

__all__ = ["LineChart", "Series"]

Series = tuple[str, str, list[float]]  # (label, colour, values)


class LineChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dates: list[date] = []
        self.series: list[Series] = []
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Gráfico de tipo de cambio"))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(480, 220)

    def set_data(self, dates: Sequence[date], series: Sequence[Series]) -> None:
        self.dates = list(dates)
        self.series = [(label, colour, [float(v) for v in values]) for label, colour, values in series]
        self.update()

    def clear(self) -> None:
        self.set_data([], [])

    def value_range(self) -> tuple[float, float]:
        values = [v for _, _, vals in self.series for v in vals]
        if not values:
            return 0.0, 1.0
        lo, hi = min(values), max(values)
        pad = max((hi - lo) * 0.1, 0.005)
        return lo - pad, hi + pad

    # painting ------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.fillRect(self.rect(), QColor("#ffffff"))
            fm = QFontMetrics(self.font())
            if not self.dates or not self.series:
                p.setPen(QColor("#7a8794"))
                p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Sin datos para graficar"))
                return
            lo, hi = self.value_range()
            left = fm.horizontalAdvance("0.0000") + 14
            plot = QRectF(
                left, fm.height() + 12, self.width() - left - 14, self.height() - 2 * fm.height() - 30
            )
            self._axes(p, plot, lo, hi, fm)
            n = len(self.dates)
            for label_index, (label, colour, values) in enumerate(self.series):
                pen = QPen(QColor(colour), 2)
                p.setPen(pen)
                path = QPainterPath()
                for i, v in enumerate(values):
                    pt = self._point(plot, i, n, v, lo, hi)
                    path.moveTo(pt) if i == 0 else path.lineTo(pt)
                if n == 1:
                    p.setBrush(QColor(colour))
                    p.drawEllipse(self._point(plot, 0, n, values[0], lo, hi), 3, 3)
                else:
                    p.drawPath(path)
                # legend, top right
                x = plot.right() - (len(self.series) - label_index) * (fm.horizontalAdvance(label) + 34)
                p.drawLine(QPointF(x, fm.height() / 2 + 4), QPointF(x + 16, fm.height() / 2 + 4))
                p.setPen(QColor("#2b3a4a"))
                p.drawText(QPointF(x + 20, fm.height() / 2 + 4 + fm.ascent() / 2 - 1), label)
        finally:
            p.end()

    @staticmethod
    def _point(plot: QRectF, i: int, n: int, v: float, lo: float, hi: float) -> QPointF:
        x = plot.left() + (plot.width() * i / (n - 1) if n > 1 else plot.width() / 2)
        y = plot.bottom() - (v - lo) / (hi - lo) * plot.height()
        return QPointF(x, y)

    def _axes(self, p: QPainter, plot: QRectF, lo: float, hi: float, fm: QFontMetrics) -> None:
        grid = QPen(QColor("#e6eaef"), 1)
        text = QColor("#5b6b7c")
        for k in range(5):
            v = lo + (hi - lo) * k / 4
            y = plot.bottom() - plot.height() * k / 4
            p.setPen(grid)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(text)
            label = f"{v:.3f}"
            p.drawText(QPointF(plot.left() - fm.horizontalAdvance(label) - 6, y + fm.ascent() / 2 - 1), label)
        p.setPen(QPen(QColor("#9aa6b2"), 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        n = len(self.dates)
        ticks = sorted({0, n - 1, *(round((n - 1) * k / 4) for k in range(1, 4))}) if n > 1 else [0]
        p.setPen(text)
        last_right = -1e9
        for i in ticks:
            label = f"{self.dates[i]:%d/%m/%y}"
            w = fm.horizontalAdvance(label)
            x = self._point(plot, i, n, lo, lo, hi).x() - w / 2
            x = min(max(x, plot.left() - 4), plot.right() - w + 4)
            if x < last_right + 6:
                continue
            p.drawText(QPointF(x, plot.bottom() + fm.height() + 4), label)
            last_right = x + w
