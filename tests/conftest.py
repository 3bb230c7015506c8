"""Shared fixtures: every test gets its own data folder and no real keyring or network."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch):
    data = tmp_path_factory.mktemp("migo-data")
    monkeypatch.setenv("MIGO_DATA_DIR", str(data))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    for var in ("MIGO_TOKEN", "MIGO_BASE_URL", "MIGO_DEMO"):
        monkeypatch.delenv(var, raising=False)
    yield data
