"""Linux desktop integration: the .desktop file and AppStream metadata validate, icons match."""

from __future__ import annotations

import configparser
import hashlib
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from counsellor_app import __version__

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "org.counsellordesk.CounsellorDesk"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
SOURCE_SVG = ROOT / "resources" / "icons" / "counsellor-desk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path is not None, f"{name} is missing: scripts/setup installs it"
    return path


def test_appstream_metainfo_validates() -> None:
    completed = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_desktop_file_validates() -> None:
    completed = subprocess.run(
        [_tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True, timeout=60
    )
    errors = [line for line in completed.stdout.splitlines() if "error:" in line]
    assert completed.returncode == 0 and not errors, completed.stdout


def test_desktop_file_launches_the_bundle_program_with_the_app_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"].split()[0] == "counsellor-app"
    assert section["Icon"] == APP_ID
    assert section["Terminal"] == "false"


def test_metainfo_names_the_desktop_file_and_the_current_version() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("project_license") == "MIT"
    versions = [release.get("version") for release in component.iter("release")]
    assert versions[0] == __version__, "add a <release> for the new version"


def test_icon_set_is_rendered_from_the_current_svg() -> None:
    icons = LINUX / "icons"
    digest = hashlib.sha256(SOURCE_SVG.read_bytes()).hexdigest()
    recorded = (icons / "source.sha256").read_text(encoding="ascii").strip()
    assert recorded == digest, "the SVG changed: run packaging/linux/render_icons.py"
    scalable = icons / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == SOURCE_SVG.read_bytes()
    for size in SIZES:
        png = (icons / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == size
        assert int.from_bytes(png[20:24], "big") == size


def test_install_script_stages_bundle_menu_entry_icons_and_metadata(tmp_path: Path) -> None:
    bundle = tmp_path / "counsellor-app"
    bundle.mkdir()
    program = bundle / "counsellor-app"
    program.write_text("#!/bin/sh\necho 'Counsellor Desk'\n", encoding="utf-8")
    program.chmod(0o755)
    stage = tmp_path / "stage"
    completed = subprocess.run(
        ["bash", str(LINUX / "install.sh"), str(bundle), "/usr"],
        env={**os.environ, "DESTDIR": str(stage)}, capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    usr = stage / "usr"
    assert (usr / "lib" / "counsellor-desk" / "counsellor-app").is_file()
    assert os.readlink(usr / "bin" / "counsellor-app") == "/usr/lib/counsellor-desk/counsellor-app"
    assert (usr / "share" / "applications" / DESKTOP.name).read_bytes() == DESKTOP.read_bytes()
    assert (usr / "share" / "metainfo" / METAINFO.name).is_file()
    for size in SIZES:
        assert (usr / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
                / f"{APP_ID}.png").is_file()


def test_install_script_refuses_a_missing_bundle(tmp_path: Path) -> None:
    completed = subprocess.run(
        ["bash", str(LINUX / "install.sh"), str(tmp_path / "nothing"), "/usr"],
        env={**os.environ, "DESTDIR": str(tmp_path / "stage")},
        capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode != 0
    assert "build it with packaging/build.py" in completed.stderr


@pytest.mark.parametrize("name", ["install.sh"])
def test_linux_scripts_are_executable(name: str) -> None:
    assert os.access(LINUX / name, os.X_OK)


def test_the_running_app_names_its_desktop_file(qapp: object) -> None:
    from counsellor_app.ui.app import create_application

    app = create_application()
    assert f"{app.desktopFileName()}.desktop" == DESKTOP.name
