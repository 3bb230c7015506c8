"""Texts people reported: grammar of counts and of «No se pueden guardar»."""

from __future__ import annotations

from pathlib import Path

import pytest

from migo_desktop.core.errors import MigoError
from migo_desktop.excel.output import check_target


def test_saving_over_the_source_says_no_se_pueden_guardar(tmp_path: Path) -> None:
    source = tmp_path / "compras.xlsx"
    source.write_bytes(b"x")
    with pytest.raises(MigoError) as caught:
        check_target(source, source)
    assert caught.value.user_message.startswith("No se pueden guardar los resultados")
