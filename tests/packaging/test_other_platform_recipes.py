"""The Windows and macOS recipes (not built by CI) stay in step with the version and icons."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from counsellor_app import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def test_inno_setup_script_installs_this_version_from_the_bundle() -> None:
    script = (PACKAGING / "windows" / "counsellor-desk.iss").read_text(encoding="utf-8")
    assert re.search(r'#define AppVersion "([^"]+)"', script).group(1) == __version__  # type: ignore[union-attr]
    assert '#define BundleDir "..\\..\\dist\\counsellor-app"' in script
    assert "CounsellorDesk.exe" in script
    assert "NOT BUILT BY THIS PROJECT'S CI" in script


def test_windows_and_macos_notes_say_ci_does_not_build_them() -> None:
    for system in ("windows", "macos"):
        notes = (PACKAGING / system / "README.md").read_text(encoding="utf-8")
        assert "**Not built by this project's CI.**" in notes


def test_platform_icons_exist_and_were_made_from_the_current_svg() -> None:
    svg = ROOT / "resources" / "icons" / "counsellor-desk.svg"
    recorded = (PACKAGING / "linux" / "icons" / "source.sha256").read_text().strip()
    assert recorded == hashlib.sha256(svg.read_bytes()).hexdigest()
    assert (PACKAGING / "windows" / "counsellor-desk.ico").read_bytes()[:4] == b"\0\0\1\0"
    assert (PACKAGING / "macos" / "counsellor-desk.icns").read_bytes()[:4] == b"icns"


def test_spec_builds_the_windowed_program_the_installers_start() -> None:
    spec = (PACKAGING / "counsellor-app.spec").read_text(encoding="utf-8")
    assert 'name="CounsellorDesk"' in spec and "console=False" in spec
    assert 'bundle_identifier="org.counsellordesk.CounsellorDesk"' in spec
