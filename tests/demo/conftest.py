"""Fixtures for the demo API tests."""

from __future__ import annotations

import pytest

from migo_desktop.demo import DemoApi


@pytest.fixture
def api() -> DemoApi:
    return DemoApi()
