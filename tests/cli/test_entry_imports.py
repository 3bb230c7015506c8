"""The `migo` script imports ``migo_desktop.cli`` at its top, and so does every workbook-reader child it
spawns (multiprocessing runs the main script again in the child): that import must not load the command
line, or each big workbook's parse starts ~0.5 s late."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_cli_package_loads_nothing_heavy() -> None:
    script = "import json, sys; import migo_desktop.cli; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    heavy = {"migo_desktop.cli.command", "migo_desktop.core.client", "migo_desktop.excel.reader", "aiohttp"}
    assert not heavy & loaded


def test_the_lazy_entry_is_the_command() -> None:
    from migo_desktop import cli
    from migo_desktop.cli import command

    parser, _ = cli.build_parser()
    assert parser is not None and parser.prog
    assert cli.main(["--version"]) == command.main(["--version"]) == 0
