"""Without a display the app says how to run it instead of letting Qt abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from counsellor_app.ui.app import display_problem


def test_no_display_on_linux_is_a_problem() -> None:
    assert display_problem({}, "linux") is not None


def test_offscreen_platform_or_a_display_is_enough() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({"DISPLAY": ":0"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({}, "win32") is None
    assert display_problem({}, "darwin") is None


def test_demo_without_display_prints_how_to_run_it_and_exits_non_zero(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    completed = subprocess.run(
        [sys.executable, "-m", "counsellor_app.cli", "--demo", "--profile", str(tmp_path / "p")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode != 0
    assert "QT_QPA_PLATFORM=offscreen" in completed.stderr
    assert "xvfb-run" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "p" / "cache.db").exists()  # nothing was started
