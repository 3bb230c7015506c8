"""The style sheet of our exports: style ids, status colours, and the styles.xml that defines them.

One table of formats (``_XFS``) serves two uses: ``STYLES_XML``, the whole style sheet of a workbook we write
from scratch (style id = ``Style.X``), and ``merge_styles``, which appends the same formats to the end of a
user's own styles.xml and returns the offset to add (style id = offset + ``Style.X``), leaving every one of
their styles where it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.models import LookupStatus

__all__ = ["STATUS_STYLE", "STYLES_XML", "MergedStyles", "Style", "merge_styles"]


class Style:
    """cellXfs indexes in STYLES_XML (offsets from ``MergedStyles.base`` in a user's workbook)."""

    DEFAULT = 0
    HEADER = 1
    TEXT = 2  # number format "@": identifiers, ubigeo
    QUOTED = 3  # text shown exactly as typed ("quote prefix"): neutralised formula-like text
    DATETIME = 4  # dd/mm/yyyy hh:mm
    DATE = 5  # dd/mm/yyyy
    OK = 6
    WARN = 7  # NO ENCONTRADO, PENDIENTE
    BAD = 8  # INVÁLIDO, ERROR, "No" apto
    DUP = 9
    TITLE = 10  # bold, larger: Resumen title
    DEMO = 11  # bold red on yellow: "Datos de demostración"
    TIME = 12
    MIGO_HEADER = 13  # the headers of the columns we add to a user's sheet: bold on their own fill


STATUS_STYLE = {
    LookupStatus.OK: Style.OK,
    LookupStatus.NOT_FOUND: Style.WARN,
    LookupStatus.INVALID: Style.BAD,
    LookupStatus.DUPLICATE: Style.DUP,
    LookupStatus.ERROR: Style.BAD,
    LookupStatus.PENDING: Style.WARN,
}

_NUM_FMTS = ("dd/mm/yyyy\\ hh:mm", "dd/mm/yyyy", "hh:mm:ss")  # our numFmt 0, 1, 2
_FONTS = (
    '<sz val="11"/><name val="Calibri"/><family val="2"/>',
    '<b/><sz val="11"/><name val="Calibri"/><family val="2"/>',
    '<b/><sz val="14"/><name val="Calibri"/><family val="2"/>',
    '<b/><sz val="12"/><color rgb="FFC00000"/><name val="Calibri"/><family val="2"/>',
    '<b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/>',
)
_FILLS = ("C6EFCE", "FFEB9C", "FFC7CE", "DDEBF7", "D9E1F2", "FFFF00", "1F6E43")  # our fill 0..6


@dataclass(frozen=True, slots=True)
class _Xf:
    num_fmt: int | None = None  # index into _NUM_FMTS, or a built-in id given as ("builtin", n)
    builtin_fmt: int = 0
    font: int = 0
    fill: int | None = None
    quote: bool = False


_XFS = (
    _Xf(),  # DEFAULT
    _Xf(font=1, fill=4),  # HEADER
    _Xf(builtin_fmt=49),  # TEXT
    _Xf(builtin_fmt=49, quote=True),  # QUOTED
    _Xf(num_fmt=0),  # DATETIME
    _Xf(num_fmt=1),  # DATE
    _Xf(fill=0),  # OK
    _Xf(fill=1),  # WARN
    _Xf(fill=2),  # BAD
    _Xf(fill=3),  # DUP
    _Xf(font=2),  # TITLE
    _Xf(font=3, fill=5),  # DEMO
    _Xf(num_fmt=2),  # TIME
    _Xf(font=4, fill=6),  # MIGO_HEADER
)


def _fill(rgb: str) -> str:
    return (
        f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/>'
        "</patternFill></fill>"
    )


def _xf(x: _Xf, fmt_base: int, font_base: int, fill_base: int, font_default: int = 0) -> str:
    fmt = fmt_base + x.num_fmt if x.num_fmt is not None else x.builtin_fmt
    font = font_base + x.font if x.font else font_default
    fill = fill_base + x.fill if x.fill is not None else 0
    attrs = f'numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"'
    if fmt:
        attrs += ' applyNumberFormat="1"'
    if x.font:
        attrs += ' applyFont="1"'
    if x.fill is not None:
        attrs += ' applyFill="1"'
    if x.quote:
        attrs += ' quotePrefix="1"'
    return f"<xf {attrs}/>"


def _num_fmt(fid: int, code: str) -> str:
    return f'<numFmt numFmtId="{fid}" formatCode="{code}"/>'


STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<numFmts count="{len(_NUM_FMTS)}">'
    + "".join(_num_fmt(164 + i, c) for i, c in enumerate(_NUM_FMTS))
    + "</numFmts>"
    f'<fonts count="{len(_FONTS)}">' + "".join(f"<font>{f}</font>" for f in _FONTS) + "</fonts>"
    f'<fills count="{2 + len(_FILLS)}"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>' + "".join(_fill(c) for c in _FILLS) + "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{len(_XFS)}">' + "".join(_xf(x, 164, 0, 2) for x in _XFS) + "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


# ---------------------------------------------------------------------------------------------- merging
@dataclass(frozen=True, slots=True)
class MergedStyles:
    xml: bytes  # the user's styles.xml with our formats appended
    base: int  # cellXfs index of our Style.DEFAULT; our Style.X is base + X


class StylesError(ValueError):
    """The styles part is not what SpreadsheetML says it should be."""


def _section(xml: str, prefix: str, tag: str) -> tuple[int, int, int] | None:
    """(start of the element, end of its open tag, start of its close tag) or None when absent."""
    m = re.search(rf"<{prefix}{tag}\b[^>]*?(/?)>", xml)
    if m is None:
        return None
    if m.group(1):  # <fills count="0"/>: treat as empty
        return m.start(), m.end(), m.end()
    close = xml.find(f"</{prefix}{tag}>", m.end())
    if close < 0:
        raise StylesError(f"unterminated <{tag}>")
    return m.start(), m.end(), close


def _count(xml: str, prefix: str, tag: str, child: str, span: tuple[int, int, int]) -> int:
    body = xml[span[1] : span[2]]
    return len(re.findall(rf"<{prefix}{child}\b", body))


def _append(
    xml: str, prefix: str, tag: str, child: str, items: list[str], before: tuple[str, ...]
) -> tuple[str, int]:
    """Append ``items`` to section ``tag``; returns (new xml, index of the first appended item)."""
    span = _section(xml, prefix, tag)
    if span is None:
        insert_at = len(xml)
        for name in before:  # schema order: create the section just before the first following one
            found = _section(xml, prefix, name)
            if found is not None:
                insert_at = min(insert_at, found[0])
        if insert_at == len(xml):
            insert_at = xml.rfind(f"</{prefix}styleSheet>")
        block = f'<{prefix}{tag} count="{len(items)}">' + "".join(items) + f"</{prefix}{tag}>"
        return xml[:insert_at] + block + xml[insert_at:], 0
    first = _count(xml, prefix, tag, child, span)
    start, open_end, close = span
    open_tag = xml[start:open_end]
    new_open = re.sub(r'\scount="\d+"', "", open_tag.rstrip("/>").rstrip())
    new_open = f'{new_open} count="{first + len(items)}">'
    body = xml[open_end:close] + "".join(items)
    tail = close + len(f"</{prefix}{tag}>") if close != open_end else open_end
    return xml[:start] + new_open + body + f"</{prefix}{tag}>" + xml[tail:], first


_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs")


def merge_styles(styles: bytes) -> MergedStyles:
    """Append our fonts, fills, number formats and cell formats to a user's styles.xml.

    Nothing of theirs moves: every existing index keeps its meaning, so their cells render as before.
    """
    xml = styles.decode("utf-8")
    root = re.search(r"<(\w+:)?styleSheet\b", xml)
    if root is None:
        raise StylesError("no styleSheet element")
    p = root.group(1) or ""
    ids = [int(i) for i in re.findall(rf"<{p}numFmt\b[^>]*?numFmtId=\"(\d+)\"", xml)]
    fmt_base = max([163, *ids]) + 1
    fmts = [f'<{p}numFmt numFmtId="{fmt_base + i}" formatCode="{c}"/>' for i, c in enumerate(_NUM_FMTS)]
    xml, _ = _append(xml, p, "numFmts", "numFmt", fmts, _ORDER[1:])
    fonts = [f"<{p}font>{_prefixed(f, p)}</{p}font>" for f in _FONTS[1:]]
    xml, font_first = _append(xml, p, "fonts", "font", fonts, _ORDER[2:])
    fills = [_prefixed(_fill(c), p) for c in _FILLS]
    xml, fill_base = _append(xml, p, "fills", "fill", fills, _ORDER[3:])
    if _section(xml, p, "borders") is None:
        xml, _ = _append(
            xml,
            p,
            "borders",
            "border",
            [_prefixed("<border><left/><right/><top/><bottom/><diagonal/></border>", p)],
            _ORDER[4:],
        )
    if _section(xml, p, "cellStyleXfs") is None:
        xml, _ = _append(
            xml,
            p,
            "cellStyleXfs",
            "xf",
            [f'<{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'],
            _ORDER[5:],
        )
    # Font 0 of ours is "the workbook's default font": use theirs (font 0), not Calibri, for plain cells.
    xfs = [_prefixed(_xf(x, fmt_base, font_first - 1, fill_base), p) for x in _XFS]
    xml, base = _append(xml, p, "cellXfs", "xf", xfs, _ORDER[6:])
    return MergedStyles(xml.encode("utf-8"), base)


def _prefixed(fragment: str, prefix: str) -> str:
    """Our un-prefixed fragment in the user's namespace prefix (some writers use <x:font>)."""
    if not prefix:
        return fragment
    return re.sub(r"<(/?)([A-Za-z])", rf"<\1{prefix}\2", fragment)
