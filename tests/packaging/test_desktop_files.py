"""Linux desktop entry and AppStream metainfo: valid (when the validators are installed) and in step
with the app (id, icon, version)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

import migo_desktop

from .helpers import PACKAGING, script

CFG = script("bundle_config.py")
APP_ID = CFG["APP_ID"]
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_validates():
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_validates():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_matches_the_bundle():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"].split()[0] == CFG["GUI_EXE"]
    assert section["Icon"] == APP_ID
    assert section["StartupWMClass"] == CFG["GUI_EXE"]


def test_metainfo_matches_the_app():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("project_license") == "MIT"
    assert root.find("launchable").text == DESKTOP.name
    versions = [r.get("version") for r in root.iter("release")]
    assert versions[0] == migo_desktop.__version__, "add a <release> for the new version"
