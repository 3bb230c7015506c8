"""Text from the API is untrusted: before it reaches a terminal, escape sequences and control characters go.

A server (or anyone in the middle) could put ``ESC ] 0 ; … BEL`` (retitle the window), ``ESC [ 2 J`` (clear
the screen), a carriage return or backspaces (overwrite what was printed, e.g. a razón social over the
«Apto para facturar» line), or bidi overrides (show text reversed) into a razón social. ``terminal_text``
keeps the printable text on one line; ``json_text`` keeps JSON valid and escapes what JSON leaves raw (C1
controls, DEL, bidi and zero-width characters).
"""

from __future__ import annotations

import re

__all__ = ["json_text", "terminal_text"]

# CSI (ESC [ … final, or the 8-bit CSI \x9b), OSC / DCS / APC / PM strings (to BEL or ST), two-byte escapes.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
_BREAKS = re.compile(r"[\t\n\r\v\f\x85\u2028\u2029]+")
_INVISIBLE = "\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_CONTROLS = re.compile(f"[{_INVISIBLE}]")


def terminal_text(value: object) -> str:
    """``value`` as one printable line: escape sequences and control characters removed, breaks → spaces."""
    text = _ESCAPES.sub("", str(value))
    text = _BREAKS.sub(" ", text)
    text = _CONTROLS.sub("", text)
    return text.strip()


def json_text(dumped: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) with the characters JSON leaves raw escaped."""
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
