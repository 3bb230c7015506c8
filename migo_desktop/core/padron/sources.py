"""Sources for bulk runs: «Solo padrón (gratis)», «Padrón primero; Migo para lo que falte o esté
desactualizado», «Solo Migo».

:class:`PadronResolver` is the engine's ``pre_resolve`` hook: before the engine reads its pending rows, it
answers from the padrón every row the chosen policy lets it answer and records them in the job (like cache
hits: persisted first, never paid, never in the Migo cache). The engine then makes no call for those rows;
the rest go to Migo under the usual cache, resume and «nothing paid twice» rules.

- ``PADRON``: every pending RUC is answered — OK when listed, NO ENCONTRADO («No figura en el padrón SUNAT»)
  when not; DNI rows become ERROR (the padrón has no DNI). No call at all. No padrón: a clear error.
- ``HYBRID``: a RUC listed in a padrón younger than ``max_age_days`` is answered from it, unless Migo's own
  cache already holds a fresh answer (the engine serves that for free, and it is newer). Missing RUCs, DNI
  rows, or every row when the padrón is older than ``max_age_days`` (or absent) go to Migo: one call each.
- ``MIGO``: the padrón is not used.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from ..models import IdKind, LookupResult, LookupStatus, ResultSource
from ..settings import ApiSettings
from ..store import Store
from .progress import PadronError
from .records import not_in_padron, to_result
from .store import PadronStore

__all__ = ["DEFAULT_MAX_AGE_DAYS", "PadronResolver", "SourceEstimate", "SourcePolicy", "estimate"]

DEFAULT_MAX_AGE_DAYS = 7
NO_PADRON = (
    "No hay un padrón SUNAT en este equipo. Descárgalo o impórtalo primero (en «Padrón SUNAT», o con "
    "«migo padron descargar»), o elige «Solo Migo»."
)
DNI_NOT_IN_PADRON = "El padrón SUNAT no tiene DNI: consulta esta fila con Migo"


class SourcePolicy(str, enum.Enum):  # noqa: UP042 - same shape as LookupStatus
    MIGO = "migo"
    PADRON = "padron"
    HYBRID = "hibrido"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    SourcePolicy.PADRON: "Solo padrón (gratis)",
    SourcePolicy.HYBRID: "Padrón primero; Migo para lo que falte o esté desactualizado",
    SourcePolicy.MIGO: "Solo Migo",
}


def _usable(padron: PadronStore, policy: SourcePolicy, max_age_days: int, today: date) -> date | None | bool:
    """False when the padrón must not be used for this policy; else its date (None when undated)."""
    if policy is SourcePolicy.MIGO:
        return False
    info = padron.info()
    if info is None:
        if policy is SourcePolicy.PADRON:
            raise PadronError(NO_PADRON)
        return False
    age = info.age_days(today)
    if policy is SourcePolicy.HYBRID and (age is None or age > max_age_days):
        return False
    return info.fecha


@dataclass
class PadronResolver:
    padron: PadronStore
    store: Store
    policy: SourcePolicy
    settings: ApiSettings
    max_age_days: int = DEFAULT_MAX_AGE_DAYS
    force_refresh: bool = False
    today: Callable[[], date] = date.today
    answered: int = 0  # rows the last call answered from the padrón

    def __call__(self, job_id: int) -> list[tuple[int, LookupResult]]:
        self.store.forget_pending_sources(job_id)
        self.answered = 0
        usable = _usable(self.padron, self.policy, self.max_age_days, self.today())
        if usable is False:
            return []
        fecha = usable if isinstance(usable, date) else None
        pending = self.store.pending_rows(job_id)
        found = self.padron.lookup_many(n for _, k, n in pending if k is IdKind.RUC)
        answers: list[tuple[int, LookupResult]] = []
        failed: list[tuple[int, LookupResult]] = []
        only_padron = self.policy is SourcePolicy.PADRON
        s = self.settings
        cached = (
            {}
            if only_padron or self.force_refresh
            else self.store.cache_get_many(
                ((IdKind.RUC, n) for n in found),
                ttl_found=s.cache_ttl_found,
                ttl_not_found=s.cache_ttl_not_found,
            )
        )
        for idx, kind, number in pending:
            if kind is not IdKind.RUC:
                if only_padron:
                    failed.append((idx, _dni_error(number, fecha)))
                continue
            record = found.get(number)
            if record is None:
                if only_padron:
                    answers.append((idx, not_in_padron(number, fecha)))
                continue
            if (kind, number) in cached:  # a fresh answer from Migo wins over the padrón's
                continue
            answers.append((idx, to_result(record, fecha)))
        self.store.record_source_answers(job_id, answers)
        for idx, result in failed:
            self.store.mark_row(job_id, idx, LookupStatus.ERROR, result.message)
        self.answered = len(answers)
        return answers + failed


def _dni_error(number: str, fecha: date | None) -> LookupResult:
    return LookupResult(
        kind=IdKind.DNI,
        number=number,
        status=LookupStatus.ERROR,
        message=DNI_NOT_IN_PADRON,
        source=ResultSource.PADRON,
        source_date=fecha,
    )


@dataclass(frozen=True)
class SourceEstimate:
    """For the cost preview: of ``lookups`` distinct valid identifiers, how many the padrón answers."""

    lookups: int
    from_padron: int
    padron_date: date | None

    @property
    def paid(self) -> int:
        return self.lookups - self.from_padron


def estimate(
    padron: PadronStore,
    numbers: Iterable[tuple[IdKind, str]],
    policy: SourcePolicy,
    *,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    today: date | None = None,
) -> SourceEstimate:
    """How many paid calls ``policy`` saves before the run starts (cache hits not counted here)."""
    items = list(numbers)
    try:
        usable = _usable(padron, policy, max_age_days, today or date.today())
    except PadronError:
        return SourceEstimate(len(items), 0, None)
    if usable is False:
        return SourceEstimate(len(items), 0, None)
    rucs = [n for k, n in items if k is IdKind.RUC]
    if policy is SourcePolicy.PADRON:
        return SourceEstimate(len(items), len(items), usable if isinstance(usable, date) else None)
    found = padron.lookup_many(rucs)
    return SourceEstimate(len(items), len(found), usable if isinstance(usable, date) else None)
