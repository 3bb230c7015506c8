"""The results table model and its filter proxy: Qt model contract, live updates, filters, sorting."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from migo_desktop.core.models import IdKind, LookupResult, LookupStatus, Person, Taxpayer
from migo_desktop.ui.base.numbers import fmt_int
from migo_desktop.ui.bulk.results_model import (
    COL_APTO,
    COL_CONSULTED,
    COL_ESTADO,
    COL_INDEX,
    COL_NAME,
    COL_NUMBER,
    COL_STATUS,
    COLUMNS,
    ColorRole,
    ResultRow,
    ResultsModel,
    RowRole,
    SortRole,
    row_from_any,
)
from migo_desktop.ui.bulk.results_proxy import ResultsFilterProxy


def _tp(ruc: str, name: str, estado: str = "ACTIVO", condicion: str = "HABIDO") -> Taxpayer:
    return Taxpayer(ruc=ruc, razon_social=name, estado=estado, condicion=condicion, distrito="LIMA")


def _ok(ruc: str, name: str, **kw) -> LookupResult:
    return LookupResult(
        IdKind.RUC, ruc, LookupStatus.OK, _tp(ruc, name, **kw), "", datetime(2026, 1, 2, 3, 4, 5)
    )


def _rows(n: int) -> list[ResultRow]:
    return [
        ResultRow(idx=i, number=f"2010000{i:04d}", raw=f"2010000{i:04d}", values=(f"P{i}", i))
        for i in range(n)
    ]


@pytest.fixture
def model(qtbot):
    m = ResultsModel(flush_interval_ms=10)
    m.set_rows(_rows(20), ["Código", "Monto"])
    return m


def test_qtmodeltester_source_and_proxy(qtmodeltester, model):
    model.queue_updates([(1, LookupStatus.OK, _ok("20100000001", "ACME SAC"))])
    model.flush()
    qtmodeltester.check(model, force_py=True)
    proxy = ResultsFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search_text("acme")
    qtmodeltester.check(proxy, force_py=True)


def test_headers_and_display(model):
    assert model.columnCount() == len(COLUMNS) + 2
    assert model.headerData(COL_STATUS, Qt.Orientation.Horizontal) == "Resultado"
    assert model.headerData(len(COLUMNS), Qt.Orientation.Horizontal) == "Código"
    model.queue_updates([(3, LookupStatus.OK, _ok("20100000003", "ACME SAC", condicion="NO HABIDO"))])
    model.flush()
    row = model.index(3, 0)
    assert model.data(row) == "4"  # 1-based
    assert model.data(model.index(3, COL_NAME)) == "ACME SAC"
    assert model.data(model.index(3, COL_STATUS)) == "OK"
    assert model.data(model.index(3, COL_APTO)) == "No"
    assert model.data(model.index(3, COL_CONSULTED)) == "02/01/2026 03:04:05"
    assert model.data(model.index(3, len(COLUMNS))) == "P3"
    assert model.data(model.index(3, COL_STATUS), ColorRole).name() == "#1e8e3e"
    assert model.data(model.index(3, COL_ESTADO), ColorRole).name() == "#1e8e3e"
    assert model.data(model.index(3, 0), RowRole).idx == 3
    assert model.data(model.index(0, COL_NAME)) == ""


def test_updates_are_coalesced_and_only_changed_rows_signal(qtbot, model):
    changes = []
    model.dataChanged.connect(lambda a, b, *_: changes.append((a.row(), b.row())))
    model.queue_updates([(i, LookupStatus.NOT_FOUND, None, "No existe") for i in (2, 3, 4)])
    model.queue_updates([(15, LookupStatus.ERROR, None, "Servicio no disponible")])
    assert changes == []  # nothing until the timer fires
    qtbot.waitUntil(lambda: bool(changes), timeout=2000)
    assert changes == [(2, 4), (15, 15)]
    assert model.counts()[LookupStatus.NOT_FOUND] == 3 and model.counts()[LookupStatus.PENDING] == 16
    assert model.row_by_idx(15).reason == "Servicio no disponible"
    # an OK answer clears the reason
    model.queue_updates([(15, LookupStatus.OK, _ok("20100000015", "X"))])
    assert model.flush() == 1 and model.row_by_idx(15).reason == ""


def test_proxy_filters(model):
    model.queue_updates(
        [
            (0, LookupStatus.OK, _ok("20100000000", "ALFA SAC")),
            (1, LookupStatus.OK, _ok("20100000001", "BETA EIRL", estado="BAJA DE OFICIO")),
            (2, LookupStatus.OK, _ok("20100000002", "GAMMA SA", condicion="NO HABIDO")),
            (3, LookupStatus.NOT_FOUND, None, "No existe"),
            (4, LookupStatus.INVALID, None, "Dígito verificador incorrecto"),
        ]
    )
    model.flush()
    proxy = ResultsFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_status_filter({LookupStatus.OK})
    assert proxy.rowCount() == 3
    proxy.set_filters(statuses=None, estado="activo")
    assert proxy.rowCount() == 2
    proxy.set_filters(estado="", condicion="NO HABIDO")
    assert proxy.rowCount() == 1 and proxy.index(0, COL_NAME).data() == "GAMMA SA"
    proxy.set_filters(condicion="", apto=True)
    assert [proxy.index(r, COL_NAME).data() for r in range(proxy.rowCount())] == ["ALFA SAC"]
    proxy.set_filters(apto=False)
    assert proxy.rowCount() == 2
    proxy.clear_filters()
    proxy.set_search_text("  beta  ")
    assert proxy.rowCount() == 1
    proxy.set_search_text("p19")  # an original column
    assert proxy.rowCount() == 1 and proxy.index(0, COL_INDEX).data() == "20"
    proxy.set_search_text("20100000004")
    assert proxy.rowCount() == 1 and proxy.index(0, COL_STATUS).data() == "INVÁLIDO"
    assert proxy.is_filtered()
    # a live update enters the filtered view
    proxy.set_filters(text="", statuses={LookupStatus.ERROR})
    assert proxy.rowCount() == 0
    model.queue_updates([(9, LookupStatus.ERROR, None, "Tiempo de espera agotado")])
    model.flush()
    assert proxy.rowCount() == 1


def test_sorting_through_the_proxy_keeps_updates_addressable(model):
    model.queue_updates(
        [(5, LookupStatus.OK, _ok("20100000005", "ZETA")), (6, LookupStatus.ERROR, None, "x")]
    )
    model.flush()
    proxy = ResultsFilterProxy()
    proxy.setSourceModel(model)
    persistent = proxy.index(5, 0)
    from PySide6.QtCore import QPersistentModelIndex

    keep = QPersistentModelIndex(persistent)
    proxy.sort(COL_STATUS, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, COL_STATUS).data() == "PENDIENTE"
    proxy.sort(COL_STATUS, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, COL_STATUS).data() == "OK"
    assert keep.isValid() and keep.data() == "6"  # the persistent index followed its row
    model.queue_updates([(5, LookupStatus.NOT_FOUND, None, "No existe")])
    model.flush()
    assert model.row_by_idx(5).status is LookupStatus.NOT_FOUND
    proxy.sort(COL_NUMBER, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, COL_NUMBER).data() == "20100000019"
    assert model.data(model.index(0, COL_INDEX), SortRole) == 19


def test_row_from_store_like_objects():
    person = Person(dni="12345678", nombre="PEREZ JUAN")
    row = row_from_any(
        {
            "idx": 7,
            "values": ("x", 1),
            "raw": 12345678,
            "kind": "dni",
            "number": "12345678",
            "status": "ok",
            "reason": "",
            "data": person,
            "consulted_at": datetime(2026, 1, 1),
        }
    )
    assert row.idx == 7 and row.kind is IdKind.DNI and row.name == "PEREZ JUAN" and row.apto is None
    assert row_from_any({"index": 2, "number": None, "status": "weird"}).status is LookupStatus.PENDING


def test_fmt_int_uses_peruvian_thousands():
    assert fmt_int(1234567) == "1,234,567" and fmt_int(12) == "12"


def test_large_model_loads_and_filters_fast(qtbot):
    import time

    m = ResultsModel()
    rows = [ResultRow(idx=i, number=f"20{i:09d}", values=(f"Prov {i}",)) for i in range(100_000)]
    start = time.process_time()  # CPU time: other processes (pytest -n, a busy CI box) do not inflate it
    m.set_rows(rows, ["Proveedor"])
    proxy = ResultsFilterProxy()
    proxy.setSourceModel(m)
    proxy.set_search_text("prov 99999")
    elapsed = time.process_time() - start
    assert proxy.rowCount() == 1
    assert elapsed < 5.0  # generous bound for slow CI; ~0.7 s here
