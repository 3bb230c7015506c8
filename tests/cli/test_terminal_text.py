"""`migo ruc` prints API text: escape sequences and control characters never reach the terminal."""

from __future__ import annotations

import json

import httpx
import pytest

from migo_desktop.cli import lookup as cli_lookup
from migo_desktop.cli import main
from migo_desktop.cli.safe_text import json_text, terminal_text
from migo_desktop.core.client import MigoClient
from tests.support.hostile_server import ESCAPES

RUC = "20131312955"
ANSWER = {
    "success": True,
    "ruc": RUC,
    "nombre_o_razon_social": ESCAPES,
    "estado_del_contribuyente": "ACTIVO\x1b[5m",
    "condicion_de_domicilio": "HABIDO",
    "direccion": "AV.\tLIMA\nLINEA 2\x1b[1A\u202eOLLEB",
}
RAW = ("\x1b", "\x07", "\x9b", "\x00", "\r", "\x08", "\u202e")


@pytest.fixture
def hostile_api(monkeypatch):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/ruc"):
            return httpx.Response(200, json=ANSWER)
        return httpx.Response(404, json={"message": "No encontrado\x1b]0;PWNED\x07"})

    def factory(settings, **kw):
        return MigoClient(settings, transport=httpx.MockTransport(handler))

    monkeypatch.setattr(cli_lookup, "open_client", factory)
    monkeypatch.setenv("MIGO_TOKEN", "tok-abcdef-123")


def test_the_human_card_has_no_escape_or_control_characters(capsys, hostile_api):
    assert main(["ruc", RUC]) == 0
    out = capsys.readouterr().out
    assert not [c for c in RAW if c in out]
    assert "EMPRESA" in out and "S.A.C." in out and "AV. LIMA LINEA 2" in out
    assert out.count("\n") == 8  # the card's own lines only: no line smuggled in by the API


def test_json_output_stays_valid_and_escapes_what_json_leaves_raw(capsys, hostile_api):
    assert main(["ruc", RUC, "--json"]) == 0
    out = capsys.readouterr().out
    assert not [c for c in RAW if c in out]
    assert json.loads(out)[0]["datos"]["razon_social"] == ESCAPES  # the data itself is kept, escaped


def test_error_messages_quoting_the_api_are_clean(capsys, hostile_api):
    assert main(["dni", "12345678"]) == 0
    out, err = capsys.readouterr()
    assert "No encontrado" in out + err and not [c for c in RAW if c in out + err]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ACME\x1b[2J\x1b[H S.A.", "ACME S.A."),
        ("\x1b]0;title\x07ACME", "ACME"),
        ("A\r\nB\tC", "A B C"),
        ("\x9b31mROJO", "ROJO"),
        ("CAFÉ ÑANDÚ", "CAFÉ ÑANDÚ"),
    ],
)
def test_terminal_text(raw, clean):
    assert terminal_text(raw) == clean


def test_json_text_escapes_c1_and_bidi():
    assert (
        json_text('"a\x9b\u202eb"') == '"a\\u009b\\u202eb"' and json.loads(json_text('"a\x9bb"')) == "a\x9bb"
    )
