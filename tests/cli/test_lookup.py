"""`migo ruc|dni|tc|cuenta`: in-process with the demo transport, plus one subprocess run over real HTTP."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys

import httpx
import pytest

from migo_desktop import cli
from migo_desktop.cli import account as cli_account
from migo_desktop.cli import common as cli_common
from migo_desktop.cli import exchange as cli_exchange
from migo_desktop.cli import lookup as cli_lookup
from migo_desktop.cli import main
from migo_desktop.cli.common import EXIT_AUTH, EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, resolve_settings
from migo_desktop.core import errors
from migo_desktop.core.client import MigoClient

RUC_OK = "20131312955"
RUC_OK2 = "20100070970"
BAD_CHECK = "20123456789"


@pytest.fixture(autouse=True)
def _drop_log_handlers():
    """main() configures file logging; close those handlers so each test leaves no open files."""
    yield
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_migo", False):
            root.removeHandler(handler)
            handler.close()


def _scripted_client(monkeypatch, handler, **client_kw):
    """Make the CLI use a MigoClient over an httpx.MockTransport (and a fake, instant sleep)."""

    async def no_sleep(_delay: float) -> None:
        return None

    def factory(settings, **kw):
        return MigoClient(settings, transport=httpx.MockTransport(handler), sleep=no_sleep, **client_kw)

    for command_group in (cli_lookup, cli_exchange, cli_account):
        monkeypatch.setattr(command_group, "open_client", factory)


# -- ruc -----------------------------------------------------------------------------------------------------
def test_ruc_demo_json(capsys):
    code = main(["ruc", RUC_OK, "--demo", "--json"])
    out, err = capsys.readouterr()
    assert code == EXIT_OK
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 1
    assert data[0]["numero"] == RUC_OK and data[0]["resultado"] == "OK"
    assert data[0]["datos"]["razon_social"].startswith("SUPERINTENDENCIA")
    assert isinstance(data[0]["datos"]["apto_para_facturar"], bool)
    assert "Modo demostración: datos simulados" in err


def test_ruc_demo_human_card(capsys):
    code = main(["ruc", RUC_OK, "--demo"])
    out, err = capsys.readouterr()
    assert code == EXIT_OK
    for label in (
        "Razón social",
        "Estado",
        "Condición",
        "Apto para facturar",
        "Dirección",
        "Ubigeo",
        "Actualizado en",
    ):
        assert label in out
    assert f"RUC {RUC_OK}" in out
    assert "Apto para facturar  : Sí" in out or "Apto para facturar  : No" in out
    assert "Modo demostración" in err


def test_ruc_bad_check_digit_exits_2_without_any_call(capsys, monkeypatch):
    def forbidden(*_a, **_k):
        raise AssertionError("no API call (nor settings) expected for an invalid number")

    monkeypatch.setattr(cli_lookup, "open_client", forbidden)
    monkeypatch.setattr(cli_lookup, "resolve_settings", forbidden)
    monkeypatch.setattr(httpx.AsyncClient, "send", forbidden)
    code = main(["ruc", BAD_CHECK, "--demo"])
    out, err = capsys.readouterr()
    assert code == EXIT_USAGE
    assert f"{BAD_CHECK}: Dígito verificador incorrecto" in err
    assert out == ""


def test_ruc_bad_number_json_lists_it_as_invalid(capsys):
    code = main(["ruc", BAD_CHECK, "123", "--demo", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == EXIT_USAGE
    assert [d["resultado"] for d in data] == ["INVÁLIDO", "INVÁLIDO"]
    assert data[0]["mensaje"] == "Dígito verificador incorrecto"


def test_ruc_mixed_valid_and_invalid_looks_up_valid_and_exits_2(capsys):
    code = main(["ruc", BAD_CHECK, RUC_OK, "--demo"])
    out, err = capsys.readouterr()
    assert code == EXIT_USAGE
    assert f"RUC {RUC_OK}" in out and "Razón social" in out
    assert "Dígito verificador incorrecto" in err


def test_ruc_messy_input_duplicates_and_order(capsys):
    code = main(["ruc", RUC_OK2, f" {RUC_OK[:2]}-{RUC_OK[2:]} ", RUC_OK2, "--demo", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == EXIT_OK
    assert [d["numero"] for d in data] == [RUC_OK2, RUC_OK]


def test_ruc_given_a_dni_says_so(capsys):
    code = main(["ruc", "12345678", "--demo"])
    assert code == EXIT_USAGE
    assert "migo dni" in capsys.readouterr().err


def test_ruc_with_representatives(capsys):
    code = main(["ruc", RUC_OK, "--demo", "--json", "--representantes"])
    data = json.loads(capsys.readouterr().out)
    assert code == EXIT_OK and isinstance(data[0]["representantes"], list)


def test_ruc_lookups_run_concurrently_but_bounded(capsys, monkeypatch):
    in_flight = peak = 0
    body = {
        "success": True,
        "ruc": RUC_OK,
        "nombre_o_razon_social": "X SAC",
        "estado_del_contribuyente": "ACTIVO",
    }

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        for _ in range(3):
            await asyncio.sleep(0)
        in_flight -= 1
        return httpx.Response(200, json={**body, "ruc": json.loads(request.content)["ruc"]})

    _scripted_client(monkeypatch, handler)
    numbers = ["20131312955", "20100070970", "20100038146", "20100047218", "20100017491", "20100030595"]
    code = main(["ruc", *numbers, "--token", "tok-123456", "--concurrencia", "2", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == EXIT_OK
    assert [d["numero"] for d in data] == numbers
    assert peak == 2


def test_ruc_auth_error_exits_3_in_spanish(capsys, monkeypatch):
    _scripted_client(monkeypatch, lambda request: httpx.Response(401, json={"message": "Unauthenticated."}))
    code = main(["ruc", RUC_OK, RUC_OK2, "--token", "tok-wrong-999"])
    out, err = capsys.readouterr()
    assert code == EXIT_AUTH
    assert "token" in err and "no es válido" in err
    assert "Traceback" not in err and "tok-wrong-999" not in out + err


def test_ruc_service_unavailable_exits_4_with_error_rows(capsys, monkeypatch):
    _scripted_client(monkeypatch, lambda request: httpx.Response(503, text="<html>down</html>"))
    code = main(["ruc", RUC_OK, "--token", "tok-123456"])
    out, _ = capsys.readouterr()
    assert code == EXIT_INCOMPLETE
    assert f"RUC {RUC_OK}: ERROR" in out and "no está disponible" in out


def test_ruc_not_found_is_a_result_exit_0(capsys, monkeypatch):
    _scripted_client(monkeypatch, lambda request: httpx.Response(404, json={"message": "No existe"}))
    code = main(["ruc", RUC_OK, "--token", "tok-123456"])
    assert code == EXIT_OK
    assert f"RUC {RUC_OK}: NO ENCONTRADO — No existe" in capsys.readouterr().out


# -- token resolution ----------------------------------------------------------------------------------------
def test_no_token_no_demo_exits_3_with_hint(capsys, monkeypatch):
    monkeypatch.setattr(httpx.AsyncClient, "send", lambda *a, **k: pytest.fail("no request expected"))
    code = main(["ruc", RUC_OK])
    err = capsys.readouterr().err
    assert code == EXIT_AUTH
    assert "No hay un token" in err and "--demo" in err and "MIGO_TOKEN" in err


def test_migo_demo_env_forces_demo(capsys, monkeypatch):
    monkeypatch.setenv("MIGO_DEMO", "1")
    code = main(["ruc", RUC_OK, "--json"])
    out, err = capsys.readouterr()
    assert code == EXIT_OK and json.loads(out)[0]["resultado"] == "OK"
    assert "Modo demostración" in err


def test_token_precedence_option_env_keyring(monkeypatch):
    import migo_desktop.credentials as credentials

    monkeypatch.setattr(credentials, "get_token", lambda: "from-keyring")
    parser, _ = cli.build_parser()
    args = parser.parse_args(["ruc", RUC_OK])
    assert resolve_settings(args).token == "from-keyring"
    monkeypatch.setenv("MIGO_TOKEN", "from-env")
    assert resolve_settings(args).token == "from-env"
    args = parser.parse_args(
        ["ruc", RUC_OK, "--token", "from-option", "--api-version", "v2", "--concurrencia", "3"]
    )
    settings = resolve_settings(args)
    assert (settings.token, settings.api_version, settings.concurrency) == ("from-option", "v2", 3)
    assert settings.demo is False


def test_plain_http_base_url_is_refused_with_exit_2(capsys):
    code = main(["ruc", RUC_OK, "--token", "tok-123456", "--base-url", "http://example.com/api/v1"])
    assert code == EXIT_USAGE
    assert "https" in capsys.readouterr().err


# -- dni, tc, cuenta ---------------------------------------------------------------------------------------
def test_dni_demo(capsys):
    code = main(["dni", "01234567", "--demo", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == EXIT_OK
    assert data[0]["tipo"] == "dni" and data[0]["numero"] == "01234567" and data[0]["datos"]["nombre"]


def test_dni_human_and_ruc_given(capsys):
    assert main(["dni", "01234567", "--demo"]) == EXIT_OK
    assert "Nombre" in capsys.readouterr().out
    assert main(["dni", RUC_OK, "--demo"]) == EXIT_USAGE
    assert "migo ruc" in capsys.readouterr().err


def test_tc_latest_and_date_and_range(capsys):
    assert main(["tc", "--demo", "--json"]) == EXIT_OK
    latest = json.loads(capsys.readouterr().out)
    assert latest["moneda"] == "USD" and float(latest["venta"]) > 0

    assert main(["tc", "--fecha", "15/01/2026", "--demo", "--json"]) == EXIT_OK
    day = json.loads(capsys.readouterr().out)
    assert day["fecha"] == "2026-01-15" and day["compra"]

    assert main(["tc", "--fecha", "2026-01-15", "--demo", "--json", "--api-version", "v2"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == day

    assert main(["tc", "--desde", "2026-01-05", "--hasta", "09/01/2026", "--demo"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Compra" in out and "Venta" in out and "/01/2026" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["tc", "--desde", "2026-01-05"], "--hasta"),
        (["tc", "--desde", "2026-01-09", "--hasta", "2026-01-05"], "anterior"),
        (["tc", "--fecha", "2026-13-01"], "fecha no válida"),
        (
            ["tc", "--fecha", "2026-01-01", "--desde", "2026-01-01", "--hasta", "2026-01-02"],
            "no se puede usar",
        ),
    ],
)
def test_tc_bad_dates_exit_2(capsys, argv, needle):
    assert main([*argv, "--demo"]) == EXIT_USAGE
    assert needle in capsys.readouterr().err


def test_cuenta_demo(capsys):
    assert main(["cuenta", "--demo"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Consultas restantes" in out and "Cuenta demo" in out


def test_help_is_spanish_and_exits_0(capsys):
    assert main(["--help"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("uso: migo") and "consulta uno o más RUC" in out
    assert main([]) == EXIT_USAGE
    assert main(["ruc"]) == EXIT_USAGE
    assert "faltan argumentos obligatorios" in capsys.readouterr().err


# -- over real HTTP, in subprocesses -------------------------------------------------------------------------
def test_subprocess_wrong_token_against_demo_server(tmp_path):
    from tests.support.harness import server_process

    data_dir = tmp_path / "data"
    wrong = "wrong-token-5f1e2d"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIGO_")}
    env.update(MIGO_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    with server_process(tokens=["good-token-abc"]) as (_proc, base_url):
        migo = [sys.executable, "-m", "migo_desktop.cli", "ruc", RUC_OK, "--base-url", base_url]
        bad = subprocess.run([*migo, "--token", wrong], capture_output=True, text=True, env=env, timeout=60)
        env_ok = dict(env, MIGO_TOKEN="good-token-abc")
        good = subprocess.run([*migo, "--json"], capture_output=True, text=True, env=env_ok, timeout=60)
    assert bad.returncode == EXIT_AUTH, bad.stderr
    assert "Error:" in bad.stderr and "token" in bad.stderr and "no es válido" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert wrong not in bad.stdout and wrong not in bad.stderr
    log_file = data_dir / "logs" / "migo-desktop.log"
    log_text = log_file.read_text(encoding="utf-8")
    assert "HTTP 401" in log_text and "AuthError" in log_text
    assert wrong not in log_text
    assert good.returncode == EXIT_OK, good.stderr
    assert json.loads(good.stdout)[0]["resultado"] == "OK"
    assert "good-token-abc" not in log_file.read_text(encoding="utf-8") + good.stdout + good.stderr


# -- run_cli mapping -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("exc", "code", "needle"),
    [
        (errors.AuthError(), EXIT_AUTH, "token"),
        (errors.QuotaExceeded(), EXIT_AUTH, "saldo"),
        (errors.ApiUnavailable(), EXIT_INCOMPLETE, "no está disponible"),
        (errors.InputError("No se pudo leer «x.xlsx»."), EXIT_USAGE, "x.xlsx"),
        (errors.ApiFailure(), 1, "respondió con un error"),
        (RuntimeError("kaput"), 1, "Error inesperado (RuntimeError)"),
        (KeyboardInterrupt(), 130, "Interrumpido"),
    ],
)
def test_run_cli_maps_errors_to_exit_codes(capsys, exc, code, needle):
    async def boom():
        raise exc

    assert cli_common.run_cli(boom) == code
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_run_cli_verbose_prints_traceback_and_accepts_a_coroutine(capsys):
    async def boom():
        raise errors.ApiFailure()

    assert cli_common.run_cli(boom(), verbose=1) == 1
    assert "Traceback" in capsys.readouterr().err

    async def fine():
        return None

    assert cli_common.run_cli(fine) == EXIT_OK


def test_representatives_failure_keeps_the_taxpayer(capsys, monkeypatch):
    body = {"success": True, "ruc": RUC_OK, "nombre_o_razon_social": "X SAC"}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/representantes-legales"):
            return httpx.Response(200, json={"success": False, "message": "Servicio de representantes caído"})
        return httpx.Response(200, json=body)

    _scripted_client(monkeypatch, handler)
    code = main(["ruc", RUC_OK, "--token", "tok-123456", "--representantes"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "X SAC" in out and "representantes legales no disponibles" in err


def test_closed_stdout_pipe_is_not_an_error(tmp_path):
    """`migo ruc … --json | head -c 1`: the reader leaves early; no "Error inesperado", exit 0."""
    env = {**os.environ, "MIGO_DATA_DIR": str(tmp_path)}
    from stdnum.pe.ruc import calc_check_digit

    # ~300 distinct answers (~200 KB of JSON): more than a pipe buffer holds, so the writer must hit EPIPE.
    numbers = [f"20{n:08d}" + calc_check_digit(f"20{n:08d}") for n in range(100000, 100300)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "migo_desktop.cli", "ruc", *numbers, "--demo", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.read(1)
    proc.stdout.close()  # the pipe's reader goes away, like `head`
    err = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0
    assert first == b"["
    assert "Error inesperado" not in err


def test_tc_carries_the_last_published_rate_over_sundays_and_holidays(capsys):
    """The accountant's rule in the CLI too: Sunday 04/01/2026 takes Saturday's rate, and says so."""
    assert main(["tc", "--fecha", "2026-01-04", "--demo", "--json"]) == EXIT_OK
    sunday = json.loads(capsys.readouterr().out)
    assert sunday["fecha"] == "2026-01-04" and sunday["publicado"] == "2026-01-03"
    assert main(["tc", "--fecha", "2026-01-03", "--demo", "--json"]) == EXIT_OK
    saturday = json.loads(capsys.readouterr().out)
    assert (saturday["compra"], saturday["venta"]) == (sunday["compra"], sunday["venta"])

    assert main(["tc", "--desde", "2026-01-02", "--hasta", "2026-01-05", "--demo"]) == EXIT_OK
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].endswith("Publicado") and len(lines) == 5  # every calendar day, Sunday included
    assert lines[3].startswith("04/01/2026") and lines[3].endswith("03/01/2026")
    assert lines[1].endswith("(ese día)") and "domingos ni feriados" in captured.err
