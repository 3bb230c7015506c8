"""``QT_TR_NOOP`` typed as ``str -> str`` (PySide6's stub says ``object``), for labels translated later.

pyside6-lupdate finds the marker by its name, so code imports this one instead of QtCore's.
"""

from __future__ import annotations

__all__ = ["QT_TR_NOOP"]


def QT_TR_NOOP(text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text
