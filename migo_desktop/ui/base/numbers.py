"""Numbers as the pages show them."""

from __future__ import annotations

__all__ = ["fmt_int"]


def fmt_int(value: int) -> str:
    """Spanish thousands separator, used everywhere in the bulk pages: 12345 -> '12.345'."""
    return f"{int(value):,}".replace(",", ".")
