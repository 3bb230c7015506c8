"""Numbers as the pages show them: the es-PE formatting of ``core.numbers`` (thousands «,», decimal «.»)."""

from __future__ import annotations

from ...core.numbers import fmt_dec, fmt_duration, fmt_int, fmt_percent, fmt_rate, fmt_seconds

__all__ = ["fmt_dec", "fmt_duration", "fmt_int", "fmt_percent", "fmt_rate", "fmt_seconds"]
