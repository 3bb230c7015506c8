"""Consulta driven through its widgets against the demo API."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from stdnum.pe import ruc as stdnum_ruc

from migo_desktop.core.models import LookupStatus
from migo_desktop.demo import data as demo_data
from tests.ui.conftest import run

SUNAT = "20131312955"
OTHER = "20100070970"


def _page(shell):
    shell.window.show_page("consulta")
    return shell.lookup_page


def _type_and_enter(qtbot, page, text):
    page.field.clear()
    qtbot.keyClicks(page.field, text)
    qtbot.keyClick(page.field, Qt.Key.Key_Return)


def _not_found_ruc() -> str:
    for n in range(2010000000, 2010100000):
        base = str(n)
        ruc = base + stdnum_ruc.calc_check_digit(base)
        if demo_data.taxpayer_not_found(ruc):
            return ruc
    raise AssertionError("no not-found RUC in range")


def test_valid_ruc_shows_card_with_badges(shell, loop, qtbot, demo_api):
    page = _page(shell)
    _type_and_enter(qtbot, page, SUNAT)
    assert "RUC válido" in page.validation.text()
    result = run(loop, shell.lookup.current_task)
    assert result.status is LookupStatus.OK
    assert page.card.isVisibleTo(page)
    assert "SUNAT" in page.card.title.text()
    assert page.card.estado.text() == "ACTIVO" and page.card.estado.tone == "ok"
    assert page.card.condicion.text() == "HABIDO" and page.card.condicion.tone == "ok"
    assert "Apto para facturar: Sí" in page.card.apto.text()
    assert page.card.values["ruc"].text() == SUNAT
    # demo mode: the note does not claim the answer came from Migo
    assert "simulados" in page.card.note.text() and "Migo" not in page.card.note.text()
    assert not page.card.refresh_button.isVisibleTo(page)  # a fresh answer: nothing to ask again
    assert demo_api.stats.requests == 1


def test_invalid_check_digit_never_calls_the_api(shell, qtbot, demo_api):
    page = _page(shell)
    _type_and_enter(qtbot, page, "20131312956")
    assert "Dígito verificador incorrecto" in page.validation.text()
    assert not page.search_button.isEnabled()
    assert shell.lookup.current_task is None
    assert demo_api.stats.requests == 0


def test_not_found_shows_message(shell, loop, qtbot):
    page = _page(shell)
    ruc = _not_found_ruc()
    _type_and_enter(qtbot, page, ruc)
    result = run(loop, shell.lookup.current_task)
    assert result.status is LookupStatus.NOT_FOUND
    assert page.message.isVisibleTo(page)
    assert page.message.text() == f"No se encontró el RUC {ruc} en SUNAT. Revisa el número."
    assert "RENIEC" not in page.message.text()
    assert not page.card.isVisibleTo(page) and not page.card.headline.isVisibleTo(page)


def test_bad_token_offers_preferences(shell, loop, qtbot, services):
    services.apply_settings(services.settings.with_(token="wrong-token-xyz"))
    page = _page(shell)
    _type_and_enter(qtbot, page, SUNAT)
    assert run(loop, shell.lookup.current_task) is None
    assert "token" in page.message.text().lower()
    assert page.prefs_button.isVisibleTo(page)
    qtbot.mouseClick(page.prefs_button, Qt.MouseButton.LeftButton)
    assert shell.dialog is not None and shell.dialog.isVisible()


def test_second_lookup_comes_from_cache(shell, loop, qtbot, demo_api):
    page = _page(shell)
    _type_and_enter(qtbot, page, SUNAT)
    run(loop, shell.lookup.current_task)
    _type_and_enter(qtbot, page, SUNAT)
    again = run(loop, shell.lookup.current_task)
    assert again.from_cache
    assert "caché" in page.card.note.text()
    assert demo_api.stats.requests == 1


def test_new_search_cancels_the_one_in_flight(shell, loop, qtbot, demo_api):
    demo_api.latency = 0.3
    page = _page(shell)
    _type_and_enter(qtbot, page, SUNAT)
    first = shell.lookup.current_task
    _type_and_enter(qtbot, page, OTHER)
    second = shell.lookup.current_task
    assert first is not second
    result = run(loop, second)
    assert first.cancelled()
    assert result.number == OTHER
    assert page.card.values["ruc"].text() == OTHER
    assert demo_api.stats.answered.get(SUNAT, 0) == 0


def test_representatives_on_demand(shell, loop, qtbot, demo_api):
    page = _page(shell)
    _type_and_enter(qtbot, page, SUNAT)
    run(loop, shell.lookup.current_task)
    assert not page.reps.isVisibleTo(page)
    before = demo_api.stats.requests
    page.card.reps_button.click()
    reps = run(loop, shell.lookup.tasks.current("representatives"))
    assert demo_api.stats.requests == before + 1
    assert page.reps.isVisibleTo(page)
    assert page.reps.rowCount() == len(reps) >= 1
    assert page.reps.item(0, 2).text() == reps[0].nombre


def test_recent_lookup_reopens_without_a_call(shell, loop, qtbot, demo_api):
    page = _page(shell)
    _type_and_enter(qtbot, page, SUNAT)
    run(loop, shell.lookup.current_task)
    _type_and_enter(qtbot, page, OTHER)
    run(loop, shell.lookup.current_task)
    assert page.recent.count() == 2
    requests = demo_api.stats.requests
    item = next(
        page.recent.item(i) for i in range(page.recent.count()) if SUNAT in page.recent.item(i).text()
    )
    page.recent.itemClicked.emit(item)
    assert page.card.values["ruc"].text() == SUNAT
    assert page.field.text() == SUNAT
    assert demo_api.stats.requests == requests


def test_dni_lookup_and_copy_all(shell, loop, qtbot, qapp):
    page = _page(shell)
    _type_and_enter(qtbot, page, "45678912")
    assert "DNI válido" in page.validation.text()
    result = run(loop, shell.lookup.current_task)
    if result.status is LookupStatus.OK:
        assert result.person.nombre in page.card.title.text()
        assert not page.card.reps_button.isVisibleTo(page)
        page.card.copy_all.click()
        assert qapp.clipboard().text().startswith("DNI: 45678912")
    else:
        assert "No se encontró el DNI" in page.message.text()


def test_copy_buttons(shell, loop, qtbot, qapp):
    page = _page(shell)
    _type_and_enter(qtbot, page, SUNAT)
    run(loop, shell.lookup.current_task)
    page.card.copy_name.click()
    assert qapp.clipboard().text().startswith("SUPERINTENDENCIA NACIONAL")
    page.card.copy_all.click()
    text = qapp.clipboard().text()
    assert "Apto para facturar: Sí" in text and f"RUC: {SUNAT}" in text


def test_new_settings_cancel_the_lookup_in_flight(shell, loop, qtbot, demo_api, services):
    demo_api.latency = 0.3
    page = _page(shell)
    _type_and_enter(qtbot, page, SUNAT)
    task = shell.lookup.current_task
    assert page.search_button.text() == "Buscando…"
    services.apply_settings(services.settings.with_(concurrency=3))
    loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
    assert task.cancelled()
    assert page.search_button.text() == "Buscar"
    _type_and_enter(qtbot, page, SUNAT)  # the rebuilt client works
    assert run(loop, shell.lookup.current_task).status is LookupStatus.OK


def test_headline_stays_visible_above_the_scrolling_details(shell, loop, qtbot):
    page = _page(shell)
    shell.window.resize(960, 560)  # the smallest window
    shell.window.show()
    qtbot.waitExposed(shell.window)
    _type_and_enter(qtbot, page, SUNAT)
    run(loop, shell.lookup.current_task)
    head = page.card.headline
    assert head.isVisible() and not page.details_scroll.isAncestorOf(head)
    page.details_scroll.verticalScrollBar().setValue(page.details_scroll.verticalScrollBar().maximum())
    assert head.isVisible() and head.visibleRegion().boundingRect().height() == head.height()
    for widget in (page.card.title, page.card.estado, page.card.condicion, page.card.apto):
        assert head.isAncestorOf(widget) and widget.isVisible()


def test_representatives_scroll_into_view(shell, loop, qtbot):
    page = _page(shell)
    shell.window.resize(960, 560)
    shell.window.show()
    qtbot.waitExposed(shell.window)
    _type_and_enter(qtbot, page, SUNAT)
    run(loop, shell.lookup.current_task)
    page.details_scroll.verticalScrollBar().setValue(0)
    page.card.reps_button.click()
    run(loop, shell.lookup.tasks.current("representatives"))
    qtbot.waitUntil(lambda: not page.reps_title.visibleRegion().isEmpty())
    assert page.details_scroll.verticalScrollBar().value() > 0  # it had to scroll: the details are long


def test_consultar_de_nuevo_asks_migo_instead_of_the_cache(shell, loop, qtbot, demo_api):
    page = _page(shell)
    _type_and_enter(qtbot, page, SUNAT)
    run(loop, shell.lookup.current_task)
    _type_and_enter(qtbot, page, SUNAT)
    assert run(loop, shell.lookup.current_task).from_cache
    assert page.card.refresh_button.isVisibleTo(page)
    page.card.refresh_button.click()
    fresh = run(loop, shell.lookup.current_task)
    assert not fresh.from_cache and demo_api.stats.requests == 2


def test_a_dni_offers_its_ruc_10(shell, loop, qtbot):
    dni = next(f"{n:08d}" for n in range(45678912, 45679912) if demo_data.person(f"{n:08d}"))
    page = _page(shell)
    _type_and_enter(qtbot, page, dni)
    run(loop, shell.lookup.current_task)
    expected = "10" + dni + stdnum_ruc.calc_check_digit("10" + dni)
    assert page.card.ruc_button.isVisibleTo(page) and expected in page.card.ruc_button.text()
    page.card.ruc_button.click()
    assert page.field.text() == expected and shell.lookup.current_task is not None
    run(loop, shell.lookup.current_task)


def test_recent_lookups_say_what_they_are_when_empty(shell, loop, qtbot):
    page = _page(shell)
    assert page.recent.count() == 0 and page.recent_empty.isVisibleTo(page)
    assert "consultes" in page.recent_empty.text()
    _type_and_enter(qtbot, page, SUNAT)
    run(loop, shell.lookup.current_task)
    assert page.recent.count() == 1 and not page.recent_empty.isVisibleTo(page)


def test_errors_use_single_lookup_words_and_offer_reintentar(shell, loop, qtbot, demo_api):
    from migo_desktop.core.errors import ApiUnavailable, QuotaExceeded
    from migo_desktop.ui.lookup.messages import lookup_failure

    for exc in (ApiUnavailable(), QuotaExceeded()):
        text = lookup_failure(exc).text
        assert "lo ya consultado" not in text and "reanud" not in text.lower()
    page = _page(shell)
    _type_and_enter(qtbot, page, SUNAT)
    run(loop, shell.lookup.current_task)
    page.show_error(ApiUnavailable())
    assert page.retry_button.isVisibleTo(page) and "Reintentar" in page.message.text()
    before = demo_api.stats.requests
    page.retry_button.click()
    assert shell.lookup.current_task is not None
    run(loop, shell.lookup.current_task)
    assert not page.message.isVisibleTo(page)
    page.show_error(QuotaExceeded())
    assert page.prefs_button.isVisibleTo(page) and not page.retry_button.isVisibleTo(page)
    assert demo_api.stats.requests == before  # the retried lookup was answered from the cache
