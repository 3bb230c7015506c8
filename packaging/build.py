"""Build the bundle for this OS (run by `dev.py bundle` with the clean bundle venv's Python).

1. PyInstaller with packaging/migo_desktop.spec → dist/migo-desktop/ (dist/Migo Desktop.app on macOS);
2. LICENSE and THIRD_PARTY_LICENSES.txt (generated from the installed distributions) into the bundle;
3. per OS: Linux — desktop entry, AppStream metainfo and icon (validated when the validators are installed)
   and dist/migo-desktop-<version>-linux-x86_64.tar.xz; Windows — the Inno Setup installer when `iscc` is on
   PATH; macOS — sign, notarize and .dmg through macos/sign_and_dmg.sh when MACOS_SIGN_IDENTITY is set.

Prints the build time and the unpacked size. Standard library + PyInstaller.
"""

from __future__ import annotations

import argparse
import os
import platform
import runpy
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
cfg = runpy.run_path(str(HERE / "bundle_config.py"))
licenses = runpy.run_path(str(HERE / "licenses.py"))
ROOT = cfg["ROOT"]


def tree_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def run_pyinstaller() -> None:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(cfg["dist_dir"]()), "--workpath", str(ROOT / "build" / "pyinstaller"),
         str(HERE / "migo_desktop.spec")],
        check=True, cwd=ROOT,
    )  # fmt: skip


def resources_dir() -> Path:
    """Where the licence texts go: beside the executables, or Contents/Resources in a macOS .app."""
    if cfg["platform_tag"]() == "macos":
        return cfg["bundle_dir"]() / "Contents" / "Resources"
    return cfg["bundle_dir"]()


def add_licences() -> None:
    target = resources_dir()
    shutil.copy2(ROOT / "LICENSE", target / "LICENSE.txt")
    (target / "THIRD_PARTY_LICENSES.txt").write_text(licenses["render"](), encoding="utf-8")


def linux_extras(xz_preset: int) -> Path:
    """share/ files inside the bundle, validated, and the .tar.xz next to it."""
    bundle = cfg["bundle_dir"]()
    app_id = cfg["APP_ID"]
    share = bundle / "share"
    for sub, src, name in (
        ("applications", HERE / "linux" / f"{app_id}.desktop", f"{app_id}.desktop"),
        ("metainfo", HERE / "linux" / f"{app_id}.metainfo.xml", f"{app_id}.metainfo.xml"),
        ("icons/hicolor/256x256/apps", HERE / "icons" / "app.png", f"{app_id}.png"),
    ):
        (share / sub).mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, share / sub / name)
    shutil.copy2(HERE / "linux" / "install.sh", bundle / "install.sh")
    validate_linux_files()
    arch = platform.machine().lower() or "x86_64"
    archive = cfg["dist_dir"]() / f"{cfg['GUI_EXE']}-{cfg['version']()}-linux-{arch}.tar.xz"
    started = time.perf_counter()
    with tarfile.open(archive, "w:xz", preset=xz_preset) as tar:
        tar.add(bundle, arcname=bundle.name)
    print(f"{archive.name}: {archive.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")
    return archive


def validate_linux_files() -> None:
    app_id = cfg["APP_ID"]
    checks = (
        ("desktop-file-validate", [str(HERE / "linux" / f"{app_id}.desktop")]),
        ("appstreamcli", ["validate", "--no-net", str(HERE / "linux" / f"{app_id}.metainfo.xml")]),
    )
    for tool, args in checks:
        exe = shutil.which(tool)
        if exe is None:
            print(f"AVISO: falta {tool}; no se validó (apt-get install desktop-file-utils appstream)")
            continue
        subprocess.run([exe, *args], check=True)
        print(f"{tool}: OK")


def windows_extras() -> None:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        print("AVISO: Inno Setup (iscc) no está en PATH; no se armó el instalador")
        return
    subprocess.run(
        [iscc, f"/DAppVersion={cfg['version']()}", f"/DSourceDir={cfg['bundle_dir']()}",
         f"/DOutputDir={cfg['dist_dir']()}", str(HERE / "windows" / "migo-desktop.iss")],
        check=True,
    )  # fmt: skip


def macos_extras() -> None:
    if not os.environ.get("MACOS_SIGN_IDENTITY"):
        print("AVISO: sin MACOS_SIGN_IDENTITY no se firma ni se arma el .dmg (ver packaging/README.md)")
        return
    subprocess.run(["bash", str(HERE / "macos" / "sign_and_dmg.sh"), str(cfg["bundle_dir"]())], check=True)


def check_version_resource() -> None:
    """Build the Windows version resource wherever PyInstaller's versioninfo imports (it needs pefile,
    which pip installs only on Windows), so a mistake shows before the Windows job."""
    make = runpy.run_path(str(HERE / "windows" / "version_info.py"))["version_info"]
    try:
        text = str(make(cfg["version_tuple"](), cfg["version"]()))
    except ModuleNotFoundError as exc:
        print(f"(recurso de versión de Windows no comprobado aquí: falta {exc.name})")
        return
    assert cfg["version"]() in text, "version resource without the version"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Arma el paquete de este sistema en dist/.")
    parser.add_argument(
        "--xz-preset", type=int, default=1, choices=range(10),
        help="compresión del .tar.xz de Linux: 1 (por defecto) tarda ~1 min aquí; 9 para publicar",
    )  # fmt: skip
    args = parser.parse_args(argv)
    started = time.perf_counter()
    check_version_resource()
    run_pyinstaller()
    add_licences()
    built = time.perf_counter() - started
    os_name = cfg["platform_tag"]()
    if os_name == "linux":
        linux_extras(args.xz_preset)
    elif os_name == "windows":
        windows_extras()
    else:
        macos_extras()
    size = tree_size(cfg["bundle_dir"]())
    print(f"Paquete: {cfg['bundle_dir']()}  ({size / 1e6:.1f} MB sin comprimir; armado en {built:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
