"""A coloured pill for estado/condición: green ACTIVO/HABIDO, amber suspended/pending, red baja/no habido."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QWidget

from ...core.models import normalize_state
from ..base.theme import tone_colors

__all__ = ["StateBadge", "state_tone"]

_OK = {"ACTIVO", "HABIDO"}
_BAD_WORDS = ("BAJA", "NO HABIDO", "NO HALLADO", "ANULACION", "ANULADO")
_WARN_WORDS = ("SUSPENSION", "SUSP", "PENDIENTE", "PROVISIONAL", "INHABILITADO", "INCONSISTENCIA")


def state_tone(value: str | None) -> str:
    """'ok', 'warn', 'bad' or 'neutral' for an estado or condición value."""
    state = normalize_state(value).replace("Ó", "O")
    if not state:
        return "neutral"
    if state in _OK:
        return "ok"
    if any(word in state for word in _BAD_WORDS):
        return "bad"
    if any(word in state for word in _WARN_WORDS):
        return "warn"
    return "warn"


class StateBadge(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tone = "neutral"
        self._painted: tuple[str, str] | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.set_state("")

    def set_state(self, value: str | None, *, tone: str | None = None) -> None:
        text = normalize_state(value) or "—"
        self.tone = tone or state_tone(value)
        self.setText(text)
        self.setAccessibleName(text)
        self._recolor()

    def _recolor(self) -> None:
        colours = tone_colors(self.tone)
        if colours == self._painted:
            return
        self._painted = colours
        bg, fg = colours
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; border-radius: 9px; padding: 2px 10px;"
            " font-weight: 600; }"
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """The app switched between light and dark: take the new look's colours."""
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._recolor()
        super().changeEvent(event)
