"""`pip install .` into a fresh venv for each given Python, then the installed commands must work.

    python3 packaging/check_install.py python3.11 ~/.pyenv/versions/3.12.1/bin/python python3.13

For each interpreter: a new venv in a temporary folder, `pip install <this tree>`, then `migo --version`,
`migo ruc 20131312955 --demo --json`, `migo-desktop --version` with no display, and `migo-desktop
--smoke-test` offscreen (window shown, every page built, clean exit). Scratch data folder, null keyring.
Prints one line per step and `N passed, N failed`. Standard library only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def check(python: str) -> list[str]:
    failures = []
    with tempfile.TemporaryDirectory(prefix="migo-install-") as tmp:
        venv = Path(tmp) / "venv"
        began = time.perf_counter()
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        bindir = venv / ("Scripts" if os.name == "nt" else "bin")
        pip = [str(bindir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, str(ROOT)], check=True)
        version = subprocess.run([str(bindir / "python"), "-c", "import sys; print(sys.version.split()[0])"],
                                 capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
        print(f"Python {version}: installed in {time.perf_counter() - began:.0f} s")
        env = {k: v for k, v in os.environ.items() if k not in ("MIGO_TOKEN", "MIGO_DEMO", "DISPLAY")}
        env.update(
            MIGO_DATA_DIR=str(Path(tmp) / "data"), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring"
        )
        steps = {
            "migo --version": [str(bindir / "migo"), "--version"],
            "migo ruc --demo --json": [str(bindir / "migo"), "ruc", "20131312955", "--demo", "--json"],
            "migo-desktop --version": [str(bindir / "migo-desktop"), "--version"],
            "migo-desktop --smoke-test": [
                str(bindir / "migo-desktop"),
                "--smoke-test",
                "-platform",
                "offscreen",
            ],
        }
        for name, args in steps.items():
            proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=180)
            ok = proc.returncode == 0
            if ok and name.startswith("migo ruc"):
                ok = json.loads(proc.stdout)[0]["resultado"] == "OK"
            print(f"  {'OK   ' if ok else 'FALLÓ'} {name}: {(proc.stdout or proc.stderr).strip()[:80]!r}")
            if not ok:
                failures.append(f"{version}: {name}")
    return failures


def main(pythons: list[str]) -> int:
    failures: list[str] = []
    for python in pythons or [sys.executable]:
        failures += check(python)
    total = 4 * len(pythons or [sys.executable])
    print(f"{total - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
