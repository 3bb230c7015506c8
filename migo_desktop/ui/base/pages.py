"""What the shell may ask of a page: optional abilities, typed as runtime-checkable Protocols.

A page offers an ability by having the method; the main window checks with ``isinstance(page, Searchable)``
instead of ``hasattr``, so a renamed method is a type error, not a silently dead shortcut.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "Closable",
    "ChoosesExport",
    "Exportable",
    "GuardsQuit",
    "OpensFiles",
    "OpensJobs",
    "Searchable",
]


@runtime_checkable
class Searchable(Protocol):
    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the page's search box."""


@runtime_checkable
class ChoosesExport(Protocol):
    def choose_export(self) -> Any:
        """Ctrl+E on a page whose export first asks what to export (Historial: the selected run)."""


@runtime_checkable
class Exportable(Protocol):
    def export(self) -> Any:
        """Ctrl+E: export what the page shows (asks for the file)."""


@runtime_checkable
class OpensFiles(Protocol):
    def open_file(self, path: Path) -> Any:
        """Ctrl+O and files dropped on the window: import ``path`` (Masiva)."""


@runtime_checkable
class OpensJobs(Protocol):
    def open_job(self, job_id: int, *, resume: bool = False) -> Any:
        """Show a past bulk run (and with ``resume`` run what is left) — Historial's Reabrir/Reanudar."""


@runtime_checkable
class Closable(Protocol):
    def aclose(self) -> Awaitable[None]:
        """Stop the page's work and wait for it (quit): a bulk run is saved before the store closes."""


@runtime_checkable
class GuardsQuit(Protocol):
    def ready_to_quit(self, on_ready: Callable[[], Any]) -> bool:
        """Closing the window: True to close now; False keeps it open (the person chose to stay, or the page
        is saving its work first and calls ``on_ready`` once that is done — Masiva drains a running job)."""
