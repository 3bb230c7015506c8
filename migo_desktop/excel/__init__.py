"""Excel/CSV/TXT import and export. No Qt here (DESIGN.md §2).

Import: ``build_plan`` / ``preview`` / ``list_sheets`` (reader) → ``ImportPlan`` (plan).
Export: ``export_xlsx`` / ``export_csv`` (writer) over ``ExportRow`` + ``ExportSummary``.

The public names are re-exported lazily (PEP 562): importing this package costs nothing, which matters to the
memory-capped reader child (``excel.isolated``), whose start-up is on the critical path of every big import
and which needs none of the reader, writer or openpyxl (importing them all took ~100 ms there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .output import ExportCancelled, ExportError
    from .plan import ImportPlan, PlanRow, PlanTotals
    from .reader import ImportCancelled, SheetPreview, build_plan, list_sheets, preview
    from .writer import ENRICHMENT_HEADERS, ExportRow, ExportSummary, export_csv, export_xlsx

__all__ = [
    "ENRICHMENT_HEADERS",
    "ExportCancelled",
    "ExportError",
    "ExportRow",
    "ExportSummary",
    "ImportCancelled",
    "ImportPlan",
    "PlanRow",
    "PlanTotals",
    "SheetPreview",
    "build_plan",
    "export_csv",
    "export_xlsx",
    "list_sheets",
    "preview",
]

_OUTPUT = frozenset({"ExportCancelled", "ExportError"})
_PLAN = frozenset({"ImportPlan", "PlanRow", "PlanTotals"})
_READER = frozenset({"ImportCancelled", "SheetPreview", "build_plan", "list_sheets", "preview"})


def __getattr__(name: str) -> Any:
    if name in _OUTPUT:
        from . import output

        return getattr(output, name)
    if name in _PLAN:
        from . import plan

        return getattr(plan, name)
    if name in _READER:
        from . import reader

        return getattr(reader, name)
    if name in __all__:
        from . import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
