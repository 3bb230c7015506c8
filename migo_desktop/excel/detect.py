"""Find the data: the header row (title rows above it are common), the RUC column, the best sheet.

Two signals, combined per column: the header text (RUC, Nro. RUC, N° RUC, R.U.C., Número de documento…,
accent- and case-insensitive) and the content (how many cells below parse as a valid RUC/DNI). Content wins
over a misleading header; a clear RUC header wins over nothing (its rows then get rejection reasons).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..core.ids import Reasons, parse_identifier
from ..core.models import IdKind

__all__ = [
    "Layout",
    "cell_score",
    "column_letter",
    "detect_layout",
    "header_strength",
    "normalize_header",
    "resolve_column",
]

HEADER_SCAN_ROWS = 30
CONTENT_SAMPLE_ROWS = 300
CONTENT_SCAN_COLUMNS = 60  # beyond this, only a column with an identifier header is considered
_STRONG, _MEDIUM = 3, 2
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOC_TOKENS = {"documento", "doc", "docs", "documentos", "identidad", "identificacion", "nrodoc", "numdoc"}
_NUMBER_TOKENS = {"n", "no", "nro", "num", "numero", "nº", "nu", "cod", "codigo"}


def normalize_header(value: Any) -> str:
    """'N° R.U.C.' -> 'n r u c'; accents and case removed, punctuation to single spaces."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().lower()
    return _NON_ALNUM.sub(" ", text).strip()


def header_strength(value: Any) -> tuple[int, IdKind | None]:
    """How clearly a header names an identifier column: 3 RUC, 2 a document/DNI column, 0 no."""
    norm = normalize_header(value)
    if not norm:
        return 0, None
    tokens = norm.split()
    compact = norm.replace(" ", "")
    if "tipo" in tokens or len(tokens) > 6:  # "Tipo de documento" holds 1/6/RUC/DNI; long = a title
        return 0, None
    if "ruc" in tokens or compact == "ruc" or compact.startswith("ruc") or compact.endswith("ruc"):
        return _STRONG, None
    if "dni" in tokens or compact.startswith("dni"):
        return _MEDIUM, IdKind.DNI if "ruc" not in compact else None
    if _DOC_TOKENS & set(tokens) or compact in ("nrodoc", "numdoc", "nrodocumento"):
        return _MEDIUM, None
    return 0, None


def cell_score(value: Any, expect: IdKind | None = None) -> float | None:
    """1 a valid RUC, .5 a DNI, .6 RUC-shaped but wrong, 0 anything else; None for a blank cell."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value) > 40:
        return 0.0
    check = parse_identifier(value, expect=expect)
    if check.blank:
        return None
    if check.ok:
        return 1.0 if check.kind is IdKind.RUC else 0.5
    reason = check.reason or ""
    if reason == Reasons.CHECK_DIGIT or reason.startswith(("Número en notación", "Un RUC empieza")):
        return 0.6
    return 0.0


def column_letter(index: int) -> str:
    """0 -> 'A', 29 -> 'AD'."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(slots=True)
class Layout:
    header_index: int | None  # 0-based row index into the sheet rows, None = no header
    data_start: int  # 0-based row index of the first data row
    id_column: int
    expect: IdKind | None
    score: float
    count: int = 0  # non-blank cells scored in the sample
    warnings: list[str] = field(default_factory=list)


def _content(
    rows: list[list[Any]], col: int, start: int, expect: IdKind | None = None
) -> tuple[float, int, int | None]:
    """(mean score, scored cells, first id-like row index) of a column from ``start`` on."""
    total = 0.0
    n = 0
    first = None
    for i in range(start, min(len(rows), start + CONTENT_SAMPLE_ROWS)):
        row = rows[i]
        s = cell_score(row[col], expect) if col < len(row) else None
        if s is None:
            continue
        n += 1
        total += s
        if s > 0 and first is None:
            first = i
    return (total / n if n else 0.0), n, first


def _width(rows: list[list[Any]]) -> int:
    return max((len(r) for r in rows[: HEADER_SCAN_ROWS + CONTENT_SAMPLE_ROWS]), default=0)


def _non_blank(row: list[Any]) -> int:
    return sum(1 for v in row if v is not None and v != "")


def _header_above(rows: list[list[Any]], col: int, first_data: int) -> int | None:
    """The row right above the first data row, if it looks like a header (≥2 texts, not an id)."""
    for i in range(first_data - 1, -1, -1):
        row = rows[i]
        if _non_blank(row) == 0:
            return None
        cell = row[col] if col < len(row) else None
        if (cell_score(cell) or 0) > 0:
            return None
        if any(not isinstance(v, str) for v in row if v is not None and v != ""):
            return None  # a header row holds titles, not numbers or dates
        return i if _non_blank(row) >= 2 or _width(rows) == 1 else None
    return None


def detect_layout(
    rows: list[list[Any]], *, header_index: int | None | bool = None, column: int | None = None
) -> Layout | None:
    """Best (header, column) for a sheet sample; None when no column looks like identifiers.

    ``header_index``: None = detect, False = the sheet has no header row, an int = that row (0-based).
    ``column``: None = detect, or the 0-based column the caller chose.
    """
    width = _width(rows)
    if width == 0:
        return None
    candidates: list[tuple[float, Layout]] = []

    def consider(h: int | None, col: int, strength: int, expect: IdKind | None, start: int) -> None:
        score, n, first = _content(rows, col, start, expect)
        bonus = {_STRONG: 0.6, _MEDIUM: 0.3}.get(strength, 0.0)
        acceptable = score >= 0.3 or strength == _STRONG or (strength and n == 0) or column is not None
        if not acceptable:
            return
        data_start = (
            start if h is not None or header_index is False else (first if first is not None else start)
        )
        total = score + bonus + 0.1 * min(n, 100) / 100  # more identifier cells: more likely the data
        candidates.append((total, Layout(h, data_start, col, expect, total, n)))

    fixed_header = header_index is not None and header_index is not False
    columns = [column] if column is not None else list(range(width))
    if fixed_header:
        h = int(header_index or 0)  # an int here (fixed_header)
        header = rows[h] if h < len(rows) else []
        for col in columns:
            strength, expect = header_strength(header[col] if col < len(header) else None)
            consider(h, col, strength, expect, h + 1)
    elif header_index is False:
        for col in columns:
            consider(None, col, 0, None, 0)
    else:
        for h in range(min(len(rows), HEADER_SCAN_ROWS)):
            row = rows[h]
            for col in columns:
                strength, expect = header_strength(row[col] if col < len(row) else None)
                if strength:
                    consider(h, col, strength, expect, h + 1)
        for col in columns[:CONTENT_SCAN_COLUMNS]:  # content alone (no header, or a misleading one)
            score, _, first = _content(rows, col, 0)
            if first is None:
                continue
            above = _header_above(rows, col, first)
            strength, expect = (
                header_strength(rows[above][col])
                if above is not None and col < len(rows[above])
                else (0, None)
            )
            consider(above, col, strength, expect, first if above is None else above + 1)
    if not candidates:
        return None
    candidates.sort(key=lambda c: (-c[0], c[1].data_start, c[1].id_column))
    best = candidates[0][1]
    for _, other in candidates[1:]:
        if (
            other.header_index is not None
            and header_strength(rows[other.header_index][other.id_column])[0]
            and other.id_column != best.id_column
            and _content(rows, other.id_column, other.data_start)[0] < 0.3
        ):
            label = rows[other.header_index][other.id_column]
            best.warnings.append(
                f"La columna «{label}» parece de RUC por su título pero no contiene RUC válidos; "
                f"se usó la columna {column_letter(best.id_column)}. Puedes elegir otra."
            )
            break
    return best


def resolve_column(column: int | str, headers: list[str], width: int) -> int | None:
    """A caller's column choice: 0-based int, a header text (exact, accent/case-insensitive) or a letter."""
    if isinstance(column, int):
        return column if 0 <= column < max(width, 1) else None
    text = str(column).strip()
    wanted = normalize_header(text)
    for i, h in enumerate(headers):
        if wanted and normalize_header(h) == wanted:
            return i
    if text.isdigit():
        n = int(text) - 1  # "3" from a CLI means the third column
        return n if 0 <= n < width else None
    if re.fullmatch(r"[A-Za-z]{1,3}", text):
        n = 0
        for ch in text.upper():
            n = n * 26 + ord(ch) - 64
        return n - 1 if n - 1 < width else None
    return None
