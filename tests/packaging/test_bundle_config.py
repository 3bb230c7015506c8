"""What the PyInstaller spec leaves out must be what the app never loads — and pydoc stays in."""

from __future__ import annotations

import json
import subprocess
import sys

from .helpers import PACKAGING, ROOT, script

# Everything the app can load: both faces, the lazily built pages, the keyring and the RUC check digits.
APP_IMPORTS = (
    "migo_desktop.cli",
    "migo_desktop.cli.bulk",
    "migo_desktop.ui.shell.app",
    "migo_desktop.ui.bulk.page",
    "migo_desktop.ui.history.page",
    "migo_desktop.ui.preferences.dialog",
    "migo_desktop.ui.padron.page",
    "migo_desktop.ui.exchange.page",
    "migo_desktop.ui.shell.help",
    "migo_desktop.core.padron.download",
    "migo_desktop.demo",
    "migo_desktop.credentials",
    "stdnum.pe.ruc",
    "keyring",
    "openpyxl",
    "python_calamine",
)


def _loaded_modules() -> set[str]:
    code = "\n".join(["import json, sys", *(f"import {name}" for name in APP_IMPORTS)])
    code += "\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout))


def test_excludes_keep_pydoc_which_python_stdnum_imports():
    cfg = script("bundle_config.py")
    assert "pydoc" in cfg["MUST_KEEP"]
    assert not set(cfg["MUST_KEEP"]) & set(cfg["EXCLUDES"])
    assert "pydoc" in _loaded_modules(), "python-stdnum no longer imports pydoc: MUST_KEEP can be revisited"


def test_nothing_excluded_is_loaded_by_the_app():
    cfg = script("bundle_config.py")
    loaded = _loaded_modules()
    excluded_loaded = {m for m in loaded for ex in cfg["EXCLUDES"] if m == ex or m.startswith(ex + ".")}
    assert not excluded_loaded, f"the bundle would miss these modules: {sorted(excluded_loaded)}"


def test_version_comes_from_the_package():
    import migo_desktop

    cfg = script("bundle_config.py")
    assert cfg["version"]() == migo_desktop.__version__
    numbers = cfg["version_tuple"]()
    assert len(numbers) == 4 and all(isinstance(n, int) for n in numbers)
    assert ".".join(map(str, numbers)).startswith(migo_desktop.__version__.split("rc")[0].split(".dev")[0])


def test_spec_names_files_that_exist():
    spec = (PACKAGING / "migo_desktop.spec").read_text(encoding="utf-8")
    compile(spec, "migo_desktop.spec", "exec")
    for name in ("entry_gui.py", "entry_cli.py", "bundle_config.py", "windows/version_info.py"):
        assert f'"{name.split("/")[-1]}"' in spec or name.split("/")[-1] in spec, name
        assert (PACKAGING / name).is_file(), name
    for icon in ("app.ico", "app.icns"):
        assert (PACKAGING / "icons" / icon).is_file()
    for needed in (
        "console=False",
        "console=True",
        "BUNDLE(",
        "NSHighResolutionCapable",
        "bundle_identifier",
    ):
        assert needed in spec, needed


def test_app_id_is_the_one_the_app_announces():
    import migo_desktop

    assert script("bundle_config.py")["APP_ID"] == migo_desktop.APP_ID
