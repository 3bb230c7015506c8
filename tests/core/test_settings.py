"""ApiSettings: https only (loopback excepted), token hidden, version switch, env reading."""

from __future__ import annotations

import pytest

from migo_desktop.core.errors import ConfigError
from migo_desktop.core.settings import DEFAULT_BASE_URL, ApiSettings, check_base_url

TOKEN = "tok-settings-8d2c"


@pytest.mark.parametrize(
    "url",
    [
        "http://api.migo.pe/api/v1",
        "http://192.168.1.10:8000/api/v1",
        "ftp://api.migo.pe",
        "api.migo.pe/api/v1",
    ],
)
def test_plain_http_and_odd_urls_are_refused(url):
    with pytest.raises(ConfigError) as info:
        ApiSettings(base_url=url)
    assert "https" in info.value.user_message or "no es válida" in info.value.user_message


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/api/v1", "http://localhost:1/api/v1", "http://[::1]:9/api/v1", DEFAULT_BASE_URL],
)
def test_loopback_http_and_https_are_allowed(url):
    assert ApiSettings(base_url=url + "/").base_url == url


def test_credentials_or_query_in_url_are_refused():
    with pytest.raises(ConfigError):
        check_base_url("https://user:pw@api.migo.pe/api/v1")
    with pytest.raises(ConfigError):
        check_base_url(f"https://api.migo.pe/api/v1?token={TOKEN}")


def test_repr_and_public_dict_hide_the_token():
    s = ApiSettings(token=TOKEN)
    assert TOKEN not in repr(s) and TOKEN not in str(s)
    assert "token" not in s.public_dict() and TOKEN not in str(s.public_dict())


def test_root_url_follows_api_version():
    assert ApiSettings().root_url == "https://api.migo.pe/api/v1"
    assert ApiSettings(api_version="v2").root_url == "https://api.migo.pe/api/v2"
    assert (
        ApiSettings(base_url="http://127.0.0.1:9/api/v2", api_version="v1").root_url
        == "http://127.0.0.1:9/api/v1"
    )


def test_validation_of_version_and_concurrency():
    with pytest.raises(ConfigError):
        ApiSettings(api_version="v3")
    for bad in (0, 201):
        with pytest.raises(ConfigError):
            ApiSettings(concurrency=bad)


def test_from_env_and_overrides():
    env = {"MIGO_TOKEN": f" {TOKEN} ", "MIGO_BASE_URL": "http://127.0.0.1:5/api/v1", "MIGO_DEMO": "1"}
    s = ApiSettings.from_env(env, concurrency=4, api_version=None)
    assert s.token == TOKEN and s.base_url == "http://127.0.0.1:5/api/v1" and s.demo and s.concurrency == 4
    assert ApiSettings.from_env({}).token == ""
    assert s.with_(concurrency=2).concurrency == 2 and s.concurrency == 4
