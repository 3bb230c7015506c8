"""Finding our way around an .xlsx/.xlsm package: the workbook part, a sheet's part by its name (through the
workbook's relationships, never an assumed path), the styles part, free part names and relationship ids.

Only the small parts (root rels, workbook.xml and its rels) are parsed; every other part is left as bytes.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

__all__ = ["Package", "PackageError", "SheetRef"]

_REL_NS = "/officeDocument/2006/relationships"  # transitional and strict OOXML differ before this
_OFFICE_DOCUMENT = re.compile(r"/officeDocument$")


class PackageError(ValueError):
    """The package lacks a part SpreadsheetML requires (say what is missing in the detail)."""


@dataclass(frozen=True, slots=True)
class SheetRef:
    name: str
    part: str  # zip member name, e.g. "xl/worksheets/sheet1.xml"
    position: int  # 0-based position among the workbook's sheets


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target)).lstrip("/")


def rels_part(part: str) -> str:
    """The relationships part that belongs to ``part`` (xl/workbook.xml -> xl/_rels/workbook.xml.rels)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class Package:
    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.names = set(zf.namelist())
        root_rels = self._relationships("_rels/.rels", "")
        workbook = [t for typ, t, _ in root_rels if _OFFICE_DOCUMENT.search(typ)]
        if not workbook or workbook[0] not in self.names:
            raise PackageError("no workbook part")
        self.workbook_part = workbook[0]
        self.workbook_rels_part = rels_part(self.workbook_part)
        self.workbook_rels = self._relationships(self.workbook_rels_part, self.workbook_part)

    def _relationships(self, part: str, owner: str) -> list[tuple[str, str, str]]:
        """(type, resolved target, id) for each relationship in ``part``."""
        if part not in self.names:
            raise PackageError(f"missing {part}")
        root = ElementTree.fromstring(self.zf.read(part))
        out = []
        for rel in root:
            if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
                continue
            target = _resolve(owner, rel.get("Target", ""))
            out.append((rel.get("Type", ""), target, rel.get("Id", "")))
        return out

    def sheets(self) -> list[SheetRef]:
        """Every sheet of the workbook in tab order (worksheets; chartsheets are listed too)."""
        root = ElementTree.fromstring(self.zf.read(self.workbook_part))
        by_id = {rid: target for _, target, rid in self.workbook_rels}
        out: list[SheetRef] = []
        for element in root.iter():
            if _local(element.tag) != "sheet":
                continue
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id") and _REL_NS in k), None)
            name = element.get("name", "")
            part = by_id.get(rid or "")
            if part is None:
                raise PackageError(f"sheet {name!r} has no part")
            out.append(SheetRef(name, part, len(out)))
        return out

    def sheet(self, name: str | None) -> SheetRef:
        sheets = self.sheets()
        if not sheets:
            raise PackageError("the workbook has no sheets")
        if name is None:
            return sheets[0]
        for ref in sheets:
            if ref.name == name:
                return ref
        raise KeyError(name)

    def part_of_type(self, suffix: str) -> str | None:
        """The workbook's related part whose relationship type ends with ``suffix`` ("/styles")."""
        for typ, target, _ in self.workbook_rels:
            if typ.endswith(suffix) and target in self.names:
                return target
        return None

    def free_part(self, pattern: str) -> str:
        """The first unused name for ``pattern`` ("xl/worksheets/sheet{}.xml")."""
        n = 1
        while pattern.format(n) in self.names:
            n += 1
        return pattern.format(n)

    def free_rel_id(self) -> str:
        used = {rid for _, _, rid in self.workbook_rels}
        n = 1
        while f"rIdMigo{n}" in used:
            n += 1
        return f"rIdMigo{n}"
