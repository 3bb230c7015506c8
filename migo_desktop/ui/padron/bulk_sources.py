"""The padrón as a source for Masiva, handed to the bulk feature through ``Services.bulk_sources`` (features
never import each other): the chosen policy (kept in the preferences), the engine's ``pre_resolve`` hook for
a run, and the cost preview's line saying how many paid calls the choice saves.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from ...core.padron.sources import PadronResolver, SourcePolicy, estimate
from ..base.numbers import fmt_int
from .controller import PadronController

__all__ = ["PREF_POLICY", "PadronBulkSources"]

PREF_POLICY = "padron/fuente_masiva"


class PadronBulkSources:
    def __init__(self, controller: PadronController) -> None:
        self.controller = controller

    @property
    def policy(self) -> SourcePolicy:
        value = self.controller.services.prefs.value(PREF_POLICY, SourcePolicy.MIGO.value)
        try:
            return SourcePolicy(value)
        except ValueError:
            return SourcePolicy.MIGO

    def set_policy(self, policy: SourcePolicy) -> None:
        self.controller.services.prefs.set_value(PREF_POLICY, policy.value)

    def resolver(self, store: Any, settings: Any) -> Callable[[int], Any] | None:
        """The engine's ``pre_resolve`` for one run (None: Solo Migo, or no padrón for the hybrid policy)."""
        policy = self.policy
        if policy is SourcePolicy.MIGO or (policy is SourcePolicy.HYBRID and self.controller.info() is None):
            return None
        return PadronResolver(
            self.controller.store, store, policy, settings, max_age_days=self.controller.stale_days
        )

    async def savings_text(self, plan: Any) -> str:
        """One line for the import dialog's cost preview ('' without a padrón)."""
        if self.controller.info() is None:
            return ""
        items = plan.unique_lookups()
        policy = self.policy
        shown = SourcePolicy.HYBRID if policy is SourcePolicy.MIGO else policy
        found = await asyncio.to_thread(
            estimate, self.controller.store, items, shown, max_age_days=self.controller.stale_days
        )
        if policy is SourcePolicy.MIGO:
            if not found.from_padron:
                return ""
            return (
                f"Con «{SourcePolicy.HYBRID.label}» ahorrarías {fmt_int(found.from_padron)} consultas: "
                "el padrón SUNAT responde esos RUC gratis (elige la fuente en «Padrón SUNAT»)."
            )
        return (
            f"Fuente: {policy.label}. El padrón responde {fmt_int(found.from_padron)} de "
            f"{fmt_int(found.lookups)}: consultas pagadas a Migo como máximo {fmt_int(found.paid)} "
            f"(ahorras {fmt_int(found.from_padron)})."
        )
