"""What the store keeps, as Python values: job states and records, result rows, and the lossless JSON codec
for the original cells and the lookup payloads. No SQL connection here (see ``store.py``)."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from typing import Any

from .models import IdKind, LookupResult, LookupStatus, Person, Taxpayer

__all__ = [
    "JOB_COLUMNS",
    "UNFINISHED",
    "JobRecord",
    "JobResultRow",
    "JobState",
    "data_from_payload",
    "decode_values",
    "encode_values",
    "job_from_row",
    "payload_of",
    "when",
]


class JobState(str, enum.Enum):  # noqa: UP042 (same shape as LookupStatus)
    PENDING = "pending"
    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return _JOB_LABELS[self]


_JOB_LABELS = {
    JobState.PENDING: "pendiente",
    JobState.RUNNING: "en curso",
    JobState.PAUSED: "en pausa",
    JobState.COMPLETED: "terminado",
    JobState.CANCELLED: "cancelado",
    JobState.STOPPED: "detenido",
}
UNFINISHED = (JobState.PENDING, JobState.RUNNING, JobState.PAUSED, JobState.CANCELLED, JobState.STOPPED)


# ----------------------------------------------------------------- cell values <-> JSON (lossless)
def _enc(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, dtime):
        return {"$t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _dec(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((key, text),) = obj.items()
        if key == "$dt":
            return datetime.fromisoformat(text)
        if key == "$d":
            return date.fromisoformat(text)
        if key == "$t":
            return dtime.fromisoformat(text)
        if key == "$dec":
            return Decimal(text)
    return obj


def encode_values(values: Iterable[Any]) -> str:
    """Original cells → JSON, keeping dates, times and Decimals (tagged) so an export restores them."""
    return json.dumps(list(values), default=_enc, ensure_ascii=False, separators=(",", ":"))


def decode_values(text: str | None) -> tuple[Any, ...]:
    return tuple(json.loads(text, object_hook=_dec)) if text else ()


def _data_dict(data: Taxpayer | Person) -> dict[str, Any]:
    """Like ``to_dict()`` without ``dataclasses.asdict`` (its deepcopy dominated bulk-run profiles)."""
    out = {name: getattr(data, name) for name in data.__dataclass_fields__}
    when = out.get("actualizado_en")
    if isinstance(when, datetime):
        out["actualizado_en"] = when.isoformat(sep=" ")
    return out


def payload_of(result: LookupResult) -> str | None:
    if result.data is None:
        return None
    return json.dumps(_data_dict(result.data), ensure_ascii=False, separators=(",", ":"), default=str)


def data_from_payload(kind: str | None, payload: str | None) -> Taxpayer | Person | None:
    if not payload:
        return None
    obj = json.loads(payload)
    return Person.from_dict(obj) if kind == IdKind.DNI.value else Taxpayer.from_dict(obj)


def when(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch) if epoch is not None else None


# ----------------------------------------------------------------- records
@dataclass(frozen=True, slots=True)
class JobRecord:
    id: int
    source_name: str
    source_path: str
    source_hash: str
    sheet: str | None
    header_row: int | None
    id_column: int
    headers: list[str]
    settings: dict[str, Any]
    state: JobState
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    total: int
    counts: dict[LookupStatus, int]
    api_calls: int
    cache_hits: int
    retries: int
    last_message: str
    output_path: str | None = None

    @property
    def pending(self) -> int:
        return self.counts.get(LookupStatus.PENDING, 0)


@dataclass(frozen=True, slots=True)
class JobResultRow:
    """One input row as it should be exported/shown; duplicates carry their first occurrence's data."""

    idx: int
    source_row: int
    values: tuple[Any, ...]
    raw: Any
    kind: IdKind | None
    number: str | None
    status: LookupStatus
    reason: str
    data: Taxpayer | Person | None
    consulted_at: datetime | None
    duplicate_of: int | None


JOB_COLUMNS = (
    "id, source_name, source_path, source_hash, sheet, header_row, id_column, headers, settings, state, "
    "created_at, updated_at, finished_at, total, counts, api_calls, cache_hits, retries, last_message, "
    "output_path"
)


def job_from_row(row: tuple[Any, ...]) -> JobRecord:
    counts = {LookupStatus(k): v for k, v in json.loads(row[14]).items()}
    return JobRecord(
        id=row[0],
        source_name=row[1],
        source_path=row[2],
        source_hash=row[3],
        sheet=row[4],
        header_row=row[5],
        id_column=row[6],
        headers=json.loads(row[7]),
        settings=json.loads(row[8]),
        state=JobState(row[9]),
        created_at=datetime.fromtimestamp(row[10]),
        updated_at=datetime.fromtimestamp(row[11]),
        finished_at=when(row[12]),
        total=row[13],
        counts=counts,
        api_calls=row[15],
        cache_hits=row[16],
        retries=row[17],
        last_message=row[18],
        output_path=row[19],
    )
