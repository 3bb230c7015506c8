"""`migo --version` prints the package version and exits 0."""

from __future__ import annotations

import migo_desktop
from migo_desktop import cli


def test_version(capsys):
    assert cli.main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"migo (Migo Desktop) {migo_desktop.__version__}"
