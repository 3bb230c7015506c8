"""Tipo de cambio through its widgets: latest, one date, a range, chart data, copy and export."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import openpyxl

from migo_desktop.demo import data as demo_data
from tests.ui.conftest import run


def _page(shell):
    return shell.window.show_page("tipo_cambio")


def _last_weekday_with_rate() -> date:
    day = date.today() - timedelta(days=3)
    while demo_data.exchange_rate(day) is None:
        day -= timedelta(days=1)
    return day


def test_latest_rate(shell, loop):
    page = _page(shell)
    page.mode_latest.setChecked(True)
    rates = run(loop, page.fetch())
    assert len(rates) == 1
    assert page.model.rowCount() == 1
    assert page.model.index(0, 1).data() == f"{rates[0].compra:.3f}"
    assert "compra" in page.summary.text() and "venta" in page.summary.text()
    assert page.copy_button.isEnabled() and page.export_button.isEnabled()


def test_one_date_and_a_day_without_rate(shell, loop):
    page = _page(shell)
    day = _last_weekday_with_rate()
    page.set_day(day)
    rates = run(loop, page.fetch())
    assert [r.fecha for r in rates] == [day]
    assert page.model.index(0, 0).data() == f"{day:%d/%m/%Y}"
    sunday = date.today() - timedelta(days=(date.today().weekday() + 1) % 7 or 7)
    assert sunday.weekday() == 6
    page.set_day(sunday)
    assert run(loop, page.fetch()) is None
    assert page.message.isVisibleTo(page)
    assert "no publicó" in page.message.text()


def test_range_fills_table_and_chart(shell, loop):
    page = _page(shell)
    end = date.today() - timedelta(days=1)
    start = end - timedelta(days=30)
    page.set_range(start, end)
    rates = run(loop, page.fetch())
    assert 15 <= len(rates) <= 31
    assert [r.fecha for r in rates] == sorted(r.fecha for r in rates)
    assert page.model.rowCount() == len(rates)
    assert page.chart.dates == [r.fecha for r in rates]
    labels = [s[0] for s in page.chart.series]
    assert labels == ["Compra", "Venta"]
    assert page.chart.series[0][2] == [float(r.compra) for r in rates]
    assert page.chart.series[1][2] == [float(r.venta) for r in rates]
    lo, hi = page.chart.value_range()
    assert lo < min(float(r.compra) for r in rates) and hi > max(float(r.venta) for r in rates)
    page.chart.repaint()  # paints without error


def test_range_longer_than_a_year_is_refused_without_a_call(shell, demo_api):
    page = _page(shell)
    end = date.today()
    page.set_range(end - timedelta(days=400), end)
    assert page.fetch() is None
    assert "un año" in page.message.text()
    assert demo_api.stats.requests == 0


def test_copy_table_is_tab_separated(shell, loop, qapp):
    page = _page(shell)
    end = date.today() - timedelta(days=1)
    page.set_range(end - timedelta(days=10), end)
    rates = run(loop, page.fetch())
    text = page.copy_table()
    assert qapp.clipboard().text() == text
    lines = text.strip().split("\n")
    assert lines[0] == "Fecha\tCompra\tVenta"
    assert lines[1] == f"{rates[0].fecha:%d/%m/%Y}\t{rates[0].compra:.3f}\t{rates[0].venta:.3f}"
    assert len(lines) == len(rates) + 1


def test_export_xlsx_and_csv(shell, loop, tmp_path):
    page = _page(shell)
    end = date.today() - timedelta(days=1)
    page.set_range(end - timedelta(days=10), end)
    rates = run(loop, page.fetch())
    xlsx = run(loop, page.export(tmp_path / "tc.xlsx"))
    wb = openpyxl.load_workbook(xlsx)
    ws = wb.active
    assert [c.value for c in ws[1]] == ["Fecha", "Compra", "Venta"]
    assert ws.cell(2, 2).value == float(rates[0].compra)
    assert ws.cell(2, 2).number_format == "0.000"
    assert ws.cell(2, 1).value.date() == rates[0].fecha
    assert ws.max_row == len(rates) + 1
    wb.close()
    out = run(loop, page.export(tmp_path / "tc.csv"))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Fecha", "Compra", "Venta"]
    assert rows[1] == [rates[0].fecha.isoformat(), f"{rates[0].compra:.3f}", f"{rates[0].venta:.3f}"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left behind


def test_export_to_an_unwritable_place_says_what_to_do_in_spanish(shell, loop, tmp_path):
    page = _page(shell)
    end = date.today() - timedelta(days=1)
    page.set_range(end - timedelta(days=5), end)
    run(loop, page.fetch())
    assert run(loop, page.export(tmp_path / "no-existe" / "tc.xlsx")) is None
    assert page.message.isVisibleTo(page)
    assert "no existe" in page.message.text() and "Elige otra ubicación" in page.message.text()
    assert run(loop, page.export(tmp_path)) is None  # a folder, not a file name
    assert "es una carpeta" in page.message.text()
