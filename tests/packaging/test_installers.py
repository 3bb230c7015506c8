"""The Windows installer, the macOS signing files and the release workflow agree with the app."""

from __future__ import annotations

import plistlib
import re
import shutil
import subprocess

import pytest

from migo_desktop import APP_SLUG, credentials

from .helpers import PACKAGING, ROOT, script

CFG = script("bundle_config.py")
ISS = (PACKAGING / "windows" / "migo-desktop.iss").read_text(encoding="utf-8")


def _define(name: str) -> str:
    match = re.search(rf'^#define {name} "([^"]*)"', ISS, re.MULTILINE)
    assert match, name
    return match.group(1)


def _setting(name: str) -> str:
    match = re.search(rf"^{name}=(.*)$", ISS, re.MULTILINE)
    assert match, name
    return match.group(1).strip()


def test_inno_script_names_what_the_app_uses():
    assert _setting("AppId") == "{{" + CFG["INNO_APP_GUID"] + "}"
    assert _define("AppUserModelID") == CFG["APP_ID"]
    assert _define("AppExe") == CFG["GUI_EXE"] + ".exe"
    # the data folder the uninstaller may delete is platformdirs' folder for the app, nothing wider
    assert _define("DataFolder") == "{localappdata}\\" + APP_SLUG
    assert _define("KeyringTarget") == credentials.KEYRING_SERVICE
    assert _define("KeyringUser") == credentials.KEYRING_USER


def test_inno_script_installs_per_user_in_spanish_and_keeps_data_by_default():
    assert _setting("PrivilegesRequired") == "lowest"
    assert _setting("DefaultDirName").startswith("{autopf}")
    assert 'MessagesFile: "compiler:Languages\\Spanish.isl"' in ISS
    assert re.search(r'^Name: "\{group\}\\\{#AppName\}"; Filename: "\{app\}\\\{#AppExe\}"', ISS, re.MULTILINE)
    code = ISS.split("[Code]", 1)[1]
    assert "not UninstallSilent" in code and "MB_DEFBUTTON2" in code  # «No» is the default answer
    assert code.index("IDYES") < code.index("DelTree")


def test_inno_script_paths_and_build_defines_exist():
    iss_dir = PACKAGING / "windows"
    for setting in ("SetupIconFile", "LicenseFile"):
        assert (iss_dir / _setting(setting).replace("\\", "/")).is_file(), setting
    build = (PACKAGING / "build.py").read_text(encoding="utf-8")
    for define in ("AppVersion", "SourceDir", "OutputDir"):
        assert f"#ifndef {define}" in ISS and f"/D{define}=" in build


def test_macos_entitlements_and_script():
    entitlements = plistlib.loads((PACKAGING / "macos" / "entitlements.plist").read_bytes())
    assert all(value is True for value in entitlements.values())
    script_path = PACKAGING / "macos" / "sign_and_dmg.sh"
    text = script_path.read_text(encoding="utf-8")
    assert "--options runtime" in text and "notarytool submit" in text and "stapler staple" in text
    if shutil.which("bash"):
        assert subprocess.run(["bash", "-n", str(script_path)], timeout=30).returncode == 0


@pytest.mark.parametrize("runner", ["windows-latest", "macos-14", "macos-13", "ubuntu-22.04"])
def test_release_workflow_builds_every_platform(runner):
    workflow = (PACKAGING / "github" / "release.yml").read_text(encoding="utf-8")
    assert f"os: {runner}" in workflow
    assert "python dev.py bundle" in workflow and "actions/upload-artifact" in workflow
    assert (ROOT / "dev.py").read_text(encoding="utf-8").count('"bundle"') >= 1
