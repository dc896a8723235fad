"""The demo runs for real (hub on loopback, sign-in, first sync) and saves a screenshot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from counsellor_app.domain.errors import DomainError
from counsellor_app.ui.demo import DEMO_MARKER, prepare_folder

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_demo_screenshot_of_a_case_record_after_the_first_sync(tmp_path: Path) -> None:
    shot = tmp_path / "case.png"
    profile = tmp_path / "demo-profile"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    completed = subprocess.run(
        [
            sys.executable, "-m", "counsellor_app.cli", "--demo", "--participants", "60",
            "--profile", str(profile), "--screenshot", str(shot), "--screenshot-view", "case",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert completed.returncode == 0, completed.stderr
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 20_000  # a painted window, not an empty image
    log = (profile / "logs" / "counsellor-desk.log").read_text(encoding="utf-8")
    assert "sync finished" in log  # the cache was filled by the real sync engine
    assert "Traceback" not in completed.stderr


def test_demo_refuses_a_profile_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "cache.db").write_bytes(b"someone's real cache")
    with pytest.raises(DomainError, match="new folder"):
        prepare_folder(tmp_path)
    assert (tmp_path / "cache.db").read_bytes() == b"someone's real cache"


def test_demo_starts_again_from_nothing_in_its_own_folder(tmp_path: Path) -> None:
    first = prepare_folder(tmp_path / "demo")
    (first.folder / "cache.db").write_bytes(b"old demo cache")
    (first.folder / "logs").mkdir()
    (first.folder / "logs" / "counsellor-desk.log").write_text("kept\n", encoding="utf-8")
    second = prepare_folder(tmp_path / "demo")
    assert not (second.folder / "cache.db").exists()
    assert (second.folder / DEMO_MARKER).exists()
    assert (second.folder / "logs" / "counsellor-desk.log").exists()
