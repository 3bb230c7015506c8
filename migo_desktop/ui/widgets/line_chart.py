"""A small two-line chart (compra/venta over dates) painted with QPainter (QtCharts is not in Essentials).

The value axis has round ticks (``nice_ticks``: steps of 1, 2, 2.5 or 5 × 10^k, e.g. 3.700 3.725 3.750); the
colours come from the current look (a series colour may name one of ``theme.colors()``, e.g. "compra").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..base.numbers import fmt_dec
from ..base.theme import colors

__all__ = ["LineChart", "Series", "nice_ticks"]

Series = tuple[str, str, list[float]]  # (label, colour or a theme colour name, values)


def nice_ticks(lo: float, hi: float, target: int = 5) -> tuple[list[float], int]:
    """Round tick values covering [lo, hi] (about ``target`` of them) and the decimals their labels need."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0], 0
    if hi <= lo:
        lo, hi = lo - 0.005, hi + 0.005
    raw = (hi - lo) / max(1, target - 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw - 1e-12)
    first = math.floor(lo / step + 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    count = int(round((last - first) / step)) + 1
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    if step < 10 and abs(step / 10.0 ** math.floor(math.log10(step) + 1e-9) - 2.5) < 1e-9:
        decimals += 1  # 0.025 needs three decimals, not two
    return [round(first + i * step, decimals + 2) for i in range(count)], decimals


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
        """The axis range: from the round tick at or below the lowest value to the one at or above the top."""
        ticks, _ = self.ticks()
        return ticks[0], ticks[-1]

    def ticks(self) -> tuple[list[float], int]:
        values = [v for _, _, vals in self.series for v in vals]
        if not values:
            return [0.0, 1.0], 0
        return nice_ticks(min(values), max(values))

    @staticmethod
    def _colour(name: str) -> QColor:
        return QColor(colors().get(name, name))

    # painting ------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            c = colors()
            p.fillRect(self.rect(), QColor(c["chart_bg"]))
            fm = QFontMetrics(self.font())
            if not self.dates or not self.series:
                p.setPen(QColor(c["chart_text"]))
                p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Sin datos para graficar"))
                return
            ticks, decimals = self.ticks()
            lo, hi = ticks[0], ticks[-1]
            left = max(fm.horizontalAdvance(fmt_dec(t, decimals)) for t in ticks) + 14
            plot = QRectF(
                left, fm.height() + 12, self.width() - left - 14, self.height() - 2 * fm.height() - 30
            )
            self._axes(p, plot, ticks, decimals, fm)
            n = len(self.dates)
            for label_index, (label, colour, values) in enumerate(self.series):
                pen = QPen(self._colour(colour), 2)
                p.setPen(pen)
                path = QPainterPath()
                for i, v in enumerate(values):
                    pt = self._point(plot, i, n, v, lo, hi)
                    path.moveTo(pt) if i == 0 else path.lineTo(pt)
                if n == 1:
                    p.setBrush(self._colour(colour))
                    p.drawEllipse(self._point(plot, 0, n, values[0], lo, hi), 3, 3)
                else:
                    p.drawPath(path)
                # legend, top right
                x = plot.right() - (len(self.series) - label_index) * (fm.horizontalAdvance(label) + 34)
                p.drawLine(QPointF(x, fm.height() / 2 + 4), QPointF(x + 16, fm.height() / 2 + 4))
                p.setPen(QColor(c["text"]))
                p.drawText(QPointF(x + 20, fm.height() / 2 + 4 + fm.ascent() / 2 - 1), label)
        finally:
            p.end()

    @staticmethod
    def _point(plot: QRectF, i: int, n: int, v: float, lo: float, hi: float) -> QPointF:
        x = plot.left() + (plot.width() * i / (n - 1) if n > 1 else plot.width() / 2)
        y = plot.bottom() - (v - lo) / (hi - lo) * plot.height()
        return QPointF(x, y)

    def _axes(self, p: QPainter, plot: QRectF, ticks: list[float], decimals: int, fm: QFontMetrics) -> None:
        c = colors()
        grid = QPen(QColor(c["chart_grid"]), 1)
        text = QColor(c["chart_text"])
        lo, hi = ticks[0], ticks[-1]
        for v in ticks:
            y = plot.bottom() - (v - lo) / (hi - lo) * plot.height()
            p.setPen(grid)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(text)
            label = fmt_dec(v, decimals)
            p.drawText(QPointF(plot.left() - fm.horizontalAdvance(label) - 6, y + fm.ascent() / 2 - 1), label)
        p.setPen(QPen(QColor(c["chart_axis"]), 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        n = len(self.dates)
        day_ticks = sorted({0, n - 1, *(round((n - 1) * k / 4) for k in range(1, 4))}) if n > 1 else [0]
        p.setPen(text)
        last_right = -1e9
        for i in day_ticks:
            label = f"{self.dates[i]:%d/%m/%y}"
            w = fm.horizontalAdvance(label)
            x = self._point(plot, i, n, lo, lo, hi).x() - w / 2
            x = min(max(x, plot.left() - 4), plot.right() - w + 4)
            if x < last_right + 6:
                continue
            p.drawText(QPointF(x, plot.bottom() + fm.height() + 4), label)
            last_right = x + w
