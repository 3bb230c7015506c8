"""The fixed style sheet of our exports: style ids, status colours and the styles.xml that defines them."""

from __future__ import annotations

from ..core.models import LookupStatus

__all__ = ["STATUS_STYLE", "STYLES_XML", "Style"]


class Style:
    """cellXfs indexes in STYLES_XML."""

    DEFAULT = 0
    HEADER = 1
    TEXT = 2  # number format "@": identifiers, ubigeo
    QUOTED = 3  # text shown exactly as typed ("quote prefix"): neutralised formula-like text
    DATETIME = 4
    DATE = 5
    OK = 6
    WARN = 7  # NO ENCONTRADO, PENDIENTE
    BAD = 8  # INVÁLIDO, ERROR, "No" apto
    DUP = 9
    TITLE = 10  # bold, larger: Resumen title
    DEMO = 11  # bold red on yellow: "Datos de demostración"
    TIME = 12


STATUS_STYLE = {
    LookupStatus.OK: Style.OK,
    LookupStatus.NOT_FOUND: Style.WARN,
    LookupStatus.INVALID: Style.BAD,
    LookupStatus.DUPLICATE: Style.DUP,
    LookupStatus.ERROR: Style.BAD,
    LookupStatus.PENDING: Style.WARN,
}

_FILLS = ["C6EFCE", "FFEB9C", "FFC7CE", "DDEBF7", "D9E1F2", "FFFF00"]  # fillId 2.. in this order


def _fill(rgb: str) -> str:
    return (
        f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/>'
        "</patternFill></fill>"
    )


STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/>'
    '<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd"/>'
    '<numFmt numFmtId="166" formatCode="hh:mm:ss"/></numFmts>'
    '<fonts count="4">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="12"/><color rgb="FFC00000"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    f'<fills count="{2 + len(_FILLS)}"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>' + "".join(_fill(c) for c in _FILLS) + "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="13">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="6" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="4" borderId="0" xfId="0" applyFill="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="5" borderId="0" xfId="0" applyFill="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="3" fillId="7" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
