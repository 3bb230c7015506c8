"""Excel/CSV/TXT import and export. No Qt here (DESIGN.md §2).

Import: ``build_plan`` / ``preview`` / ``list_sheets`` (reader) → ``ImportPlan`` (plan).
Export: ``export_xlsx`` / ``export_csv`` (writer) over ``ExportRow`` + ``ExportSummary``.
Submodules are imported lazily by callers that only need one side; this module re-exports the public names.
"""

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
