#!/usr/bin/env python3
"""Set-up and entry point for developers and users who run from a checkout.

    python3 dev.py            # crea el entorno si hace falta y abre la aplicación
    python3 dev.py test       # crea el entorno si hace falta y corre todas las pruebas
    python3 dev.py migo ...   # la línea de comandos `migo` dentro del entorno
    python3 dev.py bundle     # arma la aplicación instalable de este sistema en dist/ y la prueba

Only the standard library is used here, so a machine with nothing but Python 3.11+ can run it.
The virtual environment lives in `.venv/` and is reinstalled only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("MIGO_VENV", ROOT / ".venv"))
STAMP = VENV / ".migo-installed"
# `dev.py bundle` builds from its own clean environment, with the pinned versions of packaging/constraints.
BUNDLE_VENV = Path(os.environ.get("MIGO_BUNDLE_VENV", ROOT / ".venv-bundle"))


def _python(venv_dir: Path = VENV) -> Path:
    if os.name == "nt":
        return venv_dir / "Scripts" / "python.exe"
    return venv_dir / "bin" / "python"


def _wanted_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_env() -> Path:
    if sys.version_info < (3, 11):
        sys.exit("Se necesita Python 3.11 o más reciente (tienes %s)." % sys.version.split()[0])
    py = _python()
    if not py.exists():
        print("Creando el entorno en %s ..." % VENV, flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    wanted = _wanted_stamp()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("Instalando dependencias (solo la primera vez) ...", flush=True)
        pip = [str(py), "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--quiet", "-e", str(ROOT) + "[test]"], check=True)
        STAMP.write_text(wanted)
    return py


def _constraints() -> Path:
    name = "windows" if os.name == "nt" else "macos" if sys.platform == "darwin" else "linux"
    return ROOT / "packaging" / "constraints" / (name + ".txt")


def bundle(rest: list[str]) -> int:
    """Build the one-folder bundle for this OS in a clean venv (.venv-bundle), then run its smoke test.

    The venv is made anew with --clean, or when pyproject.toml, the constraints or Python changed; the app
    itself is always reinstalled from the working tree (not editable: the bundle must see what a user gets).
    """
    if sys.version_info < (3, 11):
        sys.exit("Se necesita Python 3.11 o más reciente (tienes %s)." % sys.version.split()[0])
    constraints = _constraints()
    py = _python(BUNDLE_VENV)
    stamp = BUNDLE_VENV / ".migo-bundle"
    digest = hashlib.sha256(constraints.read_bytes())
    digest.update(_wanted_stamp().encode())
    wanted = digest.hexdigest()
    clean = "--clean" in rest
    rest = [a for a in rest if a != "--clean"]
    pip = [str(py), "-m", "pip", "--disable-pip-version-check", "install", "--quiet", "-c", str(constraints)]
    # setuptools builds the wheel in build/lib and never removes files from there: modules deleted or moved
    # in the tree would still be installed (and could be frozen) from an earlier build.
    for stale in [ROOT / "build" / "lib", *(ROOT / "build").glob("bdist.*")]:
        shutil.rmtree(stale, ignore_errors=True)
    if clean or not py.exists() or not stamp.exists() or stamp.read_text().strip() != wanted:
        print("Creando el entorno limpio del paquete en %s ..." % BUNDLE_VENV, flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(BUNDLE_VENV)
        subprocess.run([*pip, "pyinstaller", str(ROOT)], check=True)
        stamp.write_text(wanted)
    else:
        subprocess.run([*pip, "--no-deps", "--force-reinstall", str(ROOT)], check=True)
    code = subprocess.call([str(py), str(ROOT / "packaging" / "build.py"), *rest], cwd=ROOT)
    if code:
        return code
    return subprocess.call([str(py), str(ROOT / "packaging" / "smoke.py")], cwd=ROOT)


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "app"
    rest = argv[1:]
    if cmd == "bundle":
        return bundle(rest)
    py = ensure_env()
    env = dict(os.environ)
    if cmd == "test":
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env.setdefault("PYTHONHASHSEED", "0")
        # Spread the suite over every core (2 on CI) unless the caller chose otherwise.
        parallel = [] if any(a.startswith("-n") or a == "-p" for a in rest) else ["-n", "auto"]
        args = [str(py), "-m", "pytest", *parallel, *rest]
    elif cmd == "app":
        args = [str(py), "-m", "migo_desktop", *rest]
    elif cmd == "migo":
        args = [str(py), "-m", "migo_desktop.cli", *rest]
    elif cmd == "bench":
        args = [str(py), *rest]
    else:
        print(__doc__)
        return 2
    return subprocess.call(args, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
