"""New parts for a user's package — a sheet appended after theirs, a styles part when they have none — and the
three small edits that register them: the workbook's relationships, [Content_Types].xml and (for a sheet)
workbook.xml's ``<sheets>``. Text insertions only, so nothing else in those parts changes.
"""

from __future__ import annotations

import posixpath
import re
from xml.sax.saxutils import quoteattr

from .package import Package, PackageError

__all__ = ["CT_SHEET", "CT_STYLES", "PartAdditions", "REL_SHEET", "REL_STYLES"]

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_SHEET = f"{_R}/worksheet"
REL_STYLES = f"{_R}/styles"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"


class PartAdditions:
    def __init__(self, package: Package) -> None:
        self.package = package
        zf = package.zf
        self._workbook = zf.read(package.workbook_part).decode("utf-8")
        self._rels = zf.read(package.workbook_rels_part).decode("utf-8")
        self._types = zf.read("[Content_Types].xml").decode("utf-8")
        self._new: dict[str, bytes] = {}
        self._ids = {rid for _, _, rid in package.workbook_rels}
        self._sheet_names = {s.name.casefold() for s in package.sheets()}
        self._touched: set[str] = set()

    def _rel_id(self) -> str:
        n = 1
        while f"rIdMigo{n}" in self._ids:
            n += 1
        self._ids.add(f"rIdMigo{n}")
        return f"rIdMigo{n}"

    def add_part(
        self, pattern: str, content_type: str, rel_type: str, data: bytes, *, preferred: str | None = None
    ) -> tuple[str, str]:
        """Add a part named ``preferred`` if free, else after ``pattern`` ("xl/worksheets/sheet{}.xml");
        returns (part, relationship id)."""
        taken = self.package.names | set(self._new)
        part = preferred or pattern.format(1)
        n = 1
        while part in taken:
            part = pattern.format(n)
            n += 1
        self._new[part] = data
        rid = self._rel_id()
        folder = posixpath.dirname(self.package.workbook_part)
        target = posixpath.relpath(part, folder) if folder else part
        rel = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/>'
        self._rels = _before_close(self._rels, "Relationships", rel)
        override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
        self._types = _before_close(self._types, "Types", override)
        self._touched |= {self.package.workbook_rels_part, "[Content_Types].xml"}
        return part, rid

    def add_sheet(self, name: str, data: bytes) -> str:
        """Append a worksheet after the user's sheets; returns the name it got (never one of theirs)."""
        final, n = name, 2
        while final.casefold() in self._sheet_names:
            final, n = f"{name} ({n})", n + 1
        self._sheet_names.add(final.casefold())
        _, rid = self.add_part("xl/worksheets/sheet{}.xml", CT_SHEET, REL_SHEET, data)
        wb = self._workbook
        root = re.search(r"<(\w+:)?workbook\b", wb)
        p = (root.group(1) or "") if root else ""
        bound = re.search(rf'xmlns:(\w+)="{re.escape(_R)}"', wb)
        prefix, ns = (bound.group(1), "") if bound else ("mr", f' xmlns:mr="{_R}"')
        ids = [int(i) for i in re.findall(r'<(?:\w+:)?sheet\b[^>]*?\bsheetId="(\d+)"', wb)]
        sheet_id = max([0, *ids]) + 1
        element = f'<{p}sheet name={quoteattr(final)} sheetId="{sheet_id}"{ns} {prefix}:id="{rid}"/>'
        close = f"</{p}sheets>"
        if close not in wb:
            raise PackageError("no </sheets> in workbook.xml")
        self._workbook = wb.replace(close, element + close, 1)
        self._touched.add(self.package.workbook_part)
        return final

    def result(self) -> dict[str, bytes]:
        """{part: bytes} for every edited and every new part."""
        edited = {
            self.package.workbook_part: self._workbook,
            self.package.workbook_rels_part: self._rels,
            "[Content_Types].xml": self._types,
        }
        out = {k: v.encode("utf-8") for k, v in edited.items() if k in self._touched}
        out.update(self._new)
        return out


def _before_close(xml: str, tag: str, insert: str) -> str:
    found = list(re.finditer(rf"</(\w+:)?{tag}>", xml))
    if not found:
        raise PackageError(f"no </{tag}>")
    at = found[-1].start()
    return xml[:at] + insert + xml[at:]
