"""Tipo de cambio through its widgets: latest, one date, a range, chart data, copy and export."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import openpyxl
from PySide6.QtCore import Qt

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


def _last_sunday() -> date:
    today = date.today()
    sunday = today - timedelta(days=(today.weekday() + 1) % 7 or 7)
    assert sunday.weekday() == 6
    return sunday


def test_one_published_date(shell, loop, demo_api):
    page = _page(shell)
    day = _last_weekday_with_rate()
    page.set_day(day)
    rates = run(loop, page.fetch())
    assert [r.fecha for r in rates] == [day] and not rates[0].carried
    assert page.model.index(0, 0).data().endswith(f"{day:%d/%m/%Y}")
    assert page.model.index(0, 3).data() == ""
    assert demo_api.stats.requests == 1  # one call, even with the days before it asked for


def test_a_sunday_shows_the_rate_that_applies_and_says_so(shell, loop):
    page = _page(shell)
    sunday = _last_sunday()
    page.set_day(sunday)
    rates = run(loop, page.fetch())
    published = max(
        d for d in (sunday - timedelta(days=i) for i in range(1, 10)) if demo_data.exchange_rate(d)
    )
    [rate] = rates
    assert rate.fecha == sunday and rate.publicado == published and rate.carried
    expected = demo_data.exchange_rate(published)
    assert f"{rate.compra:.3f}" == expected["precio_compra"]
    assert not page.message.isVisibleTo(page)
    assert "domingo" in page.summary.text().lower() and "no publica" in page.summary.text()
    assert f"{published:%d/%m/%Y}" in page.summary.text()
    assert page.model.index(0, 3).data().endswith(f"{published:%d/%m/%Y}")
    assert page.model.index(0, 0).data(Qt.ItemDataRole.FontRole).italic()
    assert not page.chart.isVisibleTo(page) and page.chart.dates == []  # one day: no chart


def test_range_lists_every_calendar_day_and_marks_carried_ones(shell, loop):
    page = _page(shell)
    end = date.today() - timedelta(days=1)
    start = end - timedelta(days=30)
    page.set_range(start, end)
    rates = run(loop, page.fetch())
    assert [r.fecha for r in rates] == [start + timedelta(days=i) for i in range(31)]
    carried = [r for r in rates if r.carried]
    assert carried and all(demo_data.exchange_rate(r.fecha) is None for r in carried)
    assert all(demo_data.exchange_rate(r.fecha) is not None for r in rates if not r.carried)
    assert all(r.fecha.weekday() != 6 for r in rates if not r.carried)
    for r in carried:  # the last publication before the day
        assert r.publicado < r.fecha and demo_data.exchange_rate(r.publicado) is not None
        gap = [r.publicado + timedelta(days=i) for i in range(1, (r.fecha - r.publicado).days + 1)]
        assert all(demo_data.exchange_rate(d) is None for d in gap)
    assert page.model.rowCount() == 31
    assert f"{len(carried)} días sin publicación" in page.summary.text() or len(carried) == 1
    assert page.chart.isVisibleTo(page) or not page.isVisible()
    assert page.chart.dates == [r.fecha for r in rates]
    labels = [s[0] for s in page.chart.series]
    assert labels == ["Compra", "Venta"]
    assert page.chart.series[0][2] == [float(r.compra) for r in rates]
    assert page.chart.series[1][2] == [float(r.venta) for r in rates]
    lo, hi = page.chart.value_range()
    assert lo <= min(float(r.compra) for r in rates) and hi >= max(float(r.venta) for r in rates)
    page.chart.repaint()  # paints without error


def test_una_fecha_defaults_to_today_even_after_a_range(shell):
    page = _page(shell)
    assert page.start.date().toPython() == date.today()
    page.mode_range.setChecked(True)
    assert page.start.date().toPython() < date.today()
    page.mode_date.setChecked(True)
    assert page.start.date().toPython() == date.today()


def test_the_page_opens_with_the_latest_rate_loaded(shell, loop, qtbot):
    shell.window.show()
    qtbot.waitExposed(shell.window)

    async def open_page():
        page = _page(shell)
        task = page.controller.current_task
        assert task is not None, "showing the page did not start loading the latest rate"
        await task
        return page

    page = run(loop, open_page())
    assert page.model.rowCount() == 1 and page.mode_latest.isChecked()
    assert "Último publicado" in page.summary.text()


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
    assert lines[0] == "Fecha\tCompra\tVenta\tPublicado el"
    r = rates[0]
    assert lines[1] == f"{r.fecha:%d/%m/%Y}\t{r.compra:.3f}\t{r.venta:.3f}\t{r.publicado:%d/%m/%Y}"
    assert len(lines) == len(rates) + 1


def test_export_xlsx_and_csv(shell, loop, tmp_path):
    page = _page(shell)
    end = date.today() - timedelta(days=1)
    page.set_range(end - timedelta(days=10), end)
    rates = run(loop, page.fetch())
    xlsx = run(loop, page.export(tmp_path / "tc.xlsx"))
    wb = openpyxl.load_workbook(xlsx)
    ws = wb.active
    assert [c.value for c in ws[1]] == ["Fecha", "Compra", "Venta", "Publicado el"]
    assert ws.cell(2, 2).value == float(rates[0].compra)
    assert ws.cell(2, 2).number_format == "0.000"
    assert ws.cell(2, 1).value.date() == rates[0].fecha
    assert ws.max_row == len(rates) + 1
    wb.close()
    out = run(loop, page.export(tmp_path / "tc.csv"))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Fecha", "Compra", "Venta", "Publicado el"]
    r = rates[0]
    assert rows[1] == [r.fecha.isoformat(), f"{r.compra:.3f}", f"{r.venta:.3f}", r.publicado.isoformat()]
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
