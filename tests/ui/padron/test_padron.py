"""«Padrón SUNAT» page and the padrón panel in Consulta, driven through their widgets (pytest-qt)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from migo_desktop.core.padron import Progress, import_padron
from tests.core.padron.fixture import CONTENT, write_zip
from tests.ui.conftest import run


def _page(shell):
    return shell.window.show_page("padron")


def test_import_from_a_file_shows_status_report_and_progress(shell, loop, tmp_path: Path) -> None:
    page = _page(shell)
    assert page.status.text() == "No hay padrón en este equipo" and not page.remove_button.isEnabled()
    seen: list[Progress] = []
    shell.padron.progress.connect(seen.append)
    source = write_zip(tmp_path)
    task = shell.padron.import_file(source)
    assert not page.update_button.isEnabled() and page.progress_box.isVisibleTo(page)
    run(loop, task)
    assert page.status.text().startswith("Padrón del ") and "8 contribuyentes" in page.details.text()
    assert "Contribuyentes importados: 8" in page.report.text() and page.report.isVisibleTo(page)
    assert page.update_button.isEnabled() and page.remove_button.isEnabled()
    assert not page.progress_box.isVisibleTo(page)
    loop.run_until_complete(_settle())
    assert seen and seen[-1].phase in ("lectura", "indice")


async def _settle() -> None:
    """Let queued progress signals from the worker thread arrive."""
    import asyncio

    for _ in range(3):
        await asyncio.sleep(0)


def test_cancel_keeps_the_padron_in_use(shell, loop, tmp_path: Path) -> None:
    page = _page(shell)
    import_padron(write_zip(tmp_path), shell.padron.store, fecha=date(2026, 11, 1))
    shell.padron.infoChanged.emit(shell.padron.info())
    task = shell.padron.import_file(write_zip(tmp_path, CONTENT * 2000, name="grande.zip"))
    shell.padron.cancel()
    run(loop, task)
    assert "Cancelaste" in page.report.text() and page.status.text() == "Padrón del 01/11/2026"


def test_stale_hint_and_remove(shell, loop, tmp_path: Path) -> None:
    page = _page(shell)
    import_padron(write_zip(tmp_path), shell.padron.store, fecha=date.today() - timedelta(days=20))
    shell.padron.infoChanged.emit(shell.padron.info())
    assert page.hint.isVisibleTo(page) and "20 días" in page.hint.text()
    page.stale_days.setValue(30)
    assert not page.hint.isVisibleTo(page)
    page._removed(True)
    assert page.status.text() == "No hay padrón en este equipo" and shell.padron.info() is None


def test_progress_text_says_size_rate_and_eta() -> None:
    text = Progress("descarga", 120_000_000, 373_000_000, 4_200_000.0, 60.0).text()
    assert text == "Descargando: 120 de 373 MB · 4.2 MB/s · quedan 1:00"  # es-PE, as everywhere
    rows = Progress("indice", 500_000, 2_000_000, 125_000.0, 12.0).text(percent=True)  # the CLI's line
    expected = "Preparando la búsqueda por nombre: 25.0 % 500,000 de 2,000,000 filas · "
    assert rows == expected + "125,000.0 filas/s · quedan 0:12"


def test_consulta_answers_from_the_padron_for_free_and_goes_live_on_request(
    shell, loop, qtbot, demo_api, tmp_path: Path
) -> None:
    import_padron(write_zip(tmp_path), shell.padron.store, fecha=date(2026, 11, 28))
    shell.padron.infoChanged.emit(shell.padron.info())
    shell.window.show_page("consulta")
    page, panel = shell.lookup_page, shell.padron_panel
    assert panel.isVisibleTo(page) and "padrón del 28/11/2026" in panel.title.text()
    page.field.setText("20330033313")
    run(loop, panel.tasks.current("ruc"))
    assert (
        page.card.isVisibleTo(page) and page.card.title.text() == "PERUANA DE ESTACIONES DE SERVICIOS S.A.C"
    )
    assert page.card.note.text() == "Padrón 28/11/2026 · gratis, sin conexión"
    assert "Respuesta gratis del padrón del 28/11/2026" in panel.answer.text()
    assert demo_api.stats.requests == 0  # answered by the padrón: nothing paid
    panel.live_button.click()
    run(loop, shell.lookup.tasks.current("search"))
    assert demo_api.stats.requests >= 1 and page.card.note.text().startswith(
        "Datos simulados del modo demostración"
    )  # live, in demo mode


def test_name_search_in_consulta(shell, loop, tmp_path: Path) -> None:
    import_padron(write_zip(tmp_path), shell.padron.store, fecha=date(2026, 11, 28))
    shell.padron.infoChanged.emit(shell.padron.info())
    shell.window.show_page("consulta")
    page, panel = shell.lookup_page, shell.padron_panel
    panel.name_field.setText("nunez maria")
    panel._search_now()
    run(loop, panel.tasks.current("search"))
    assert panel.results.count() == 1 and panel.results.item(0).text().startswith("NUÑEZ PEÑA MARÍA JOSÉ")
    panel._open(panel.results.item(0))
    assert page.card.title.text() == "NUÑEZ PEÑA MARÍA JOSÉ"
    panel.name_field.setText("zzzz")
    panel._search_now()
    run(loop, panel.tasks.current("search"))
    assert panel.results.item(0).text() == "Ningún nombre del padrón tiene esas palabras."


def test_masiva_uses_the_chosen_source_and_the_preview_says_what_it_saves(
    shell, loop, qtbot, demo_api, tmp_path: Path
) -> None:
    from migo_desktop.core.jobs import plan_from_values
    from migo_desktop.core.padron.sources import SourcePolicy
    from tests.core.test_engine import rucs

    numbers = rucs(12)
    empty = "|".join(["-"] * 10)
    text = "\n".join(
        f"{n}|EMPRESA PADRON {i} S.A.C.|ACTIVO|HABIDO|150101|{empty}|" for i, n in enumerate(numbers[:9])
    )
    source = tmp_path / "padron.txt"
    source.write_bytes(text.encode("cp1252") + b"\n")
    import_padron(source, shell.padron.store, fecha=date.today())
    page = _page(shell)
    sources = shell.services.bulk_sources
    plan = plan_from_values(numbers)
    saving = loop.run_until_complete(sources.savings_text(plan))
    assert saving.startswith("Con «Padrón primero") and "ahorrarías 9 consultas" in saving
    page.policy.setCurrentIndex(page.policy.findData(SourcePolicy.HYBRID))
    assert sources.policy is SourcePolicy.HYBRID
    saving = loop.run_until_complete(sources.savings_text(plan))
    assert "responde 9 de 12" in saving and "como máximo 3" in saving
    bulk = shell.window.show_page("masiva")
    bulk.controller.start_plan(plan)
    run(loop, bulk.controller.tasks.current("run"))
    assert demo_api.stats.requests == 3  # the 9 RUCs the padrón answered cost nothing
