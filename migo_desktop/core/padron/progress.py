"""Progress reports, cancellation and errors shared by the importer and the downloader.

MigoError (core.errors)
└── PadronError            the padrón could not be imported/downloaded; ``user_message`` says what to do
    └── PadronCancelled    the person cancelled; the padrón in use is untouched
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import MigoError
from ..numbers import fmt_dec, fmt_duration, fmt_int, fmt_percent

__all__ = ["Cancel", "PadronCancelled", "PadronError", "Progress", "ProgressCallback", "RateMeter"]


class PadronError(MigoError):
    default_message = "No se pudo actualizar el padrón SUNAT. Se sigue usando el anterior."


class PadronCancelled(PadronError):
    default_message = "Cancelaste la actualización del padrón. Se sigue usando el anterior."


@dataclass(frozen=True, slots=True)
class Progress:
    """``phase``: 'descarga' (bytes), 'lectura' (bytes of text read), 'indice' (rows indexed)."""

    phase: str
    done: int
    total: int | None
    rate: float | None = None  # units per second, over the phase so far
    eta_seconds: float | None = None

    @property
    def fraction(self) -> float | None:
        return min(1.0, self.done / self.total) if self.total else None

    def text(self, *, percent: bool = False) -> str:
        """«Descargando: 120 de 373 MB · 4.2 MB/s · quedan 1:00» (rows for the index phase; es-PE numbers),
        the same words in the GUI and the CLI; ``percent`` puts «32.2 %» after the phase."""
        scale, unit = (1e6, "MB") if self.phase != "indice" else (1.0, "filas")
        text = f"{_PHASES.get(self.phase, self.phase)}: "
        if percent and self.fraction is not None:
            text += f"{fmt_percent(self.fraction)} "
        text += fmt_int(round(self.done / scale))
        text += f" de {fmt_int(round(self.total / scale))} {unit}" if self.total else f" {unit}"
        if self.rate:
            text += f" · {fmt_dec(self.rate / scale)} {unit}/s"
        if self.eta_seconds is not None:
            text += f" · quedan {fmt_duration(self.eta_seconds)}"
        return text


_PHASES = {"descarga": "Descargando", "lectura": "Importando", "indice": "Preparando la búsqueda por nombre"}


ProgressCallback = Callable[[Progress], None]


class Cancel:
    """A cancellation flag safe to set from any thread (the GUI's Cancelar, Ctrl+C in the CLI)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    @property
    def is_set(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise PadronCancelled()


class RateMeter:
    """Turns (done, total) samples into :class:`Progress` with a rate and an ETA; calls the callback at most
    every ``interval`` seconds (plus the last sample) so the GUI is not flooded."""

    def __init__(
        self,
        phase: str,
        callback: ProgressCallback | None,
        total: int | None,
        *,
        start_at: int = 0,
        interval: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.phase, self.callback, self.total, self.interval, self.clock = (
            phase,
            callback,
            total,
            interval,
            clock,
        )
        self.start_at = start_at
        self.started = clock()
        self._last = float("-inf")

    def update(self, done: int, *, force: bool = False) -> None:
        if self.callback is None:
            return
        now = self.clock()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        elapsed = now - self.started
        moved = done - self.start_at
        rate = moved / elapsed if elapsed > 0 and moved > 0 else None
        eta = (self.total - done) / rate if rate and self.total else None
        self.callback(Progress(self.phase, done, self.total, rate, eta))
