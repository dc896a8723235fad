"""The frozen one-folder bundle (built once per test session) runs the app's own commands."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import struct
import subprocess
import sys
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from counsellor_app import __version__
from counsellor_app.demo import DEFAULT_TEAMS, generate, identifying_strings
from counsellor_app.store.engine import open_cache
from counsellor_app.store.keys import Argon2Params, KeyProvider
from counsellor_app.store.paths import Profile

pytest.importorskip("PyInstaller", reason="PyInstaller (the dev extra) builds the bundle")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CI builds the Linux bundle"),
]

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "frozen-smoke-test-passphrase"


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``dist/counsellor-app/`` built by packaging/build.py into a temporary folder."""
    out = tmp_path_factory.mktemp("bundle")
    completed = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--quiet",
         "--dist", str(out / "dist"), "--work", str(out / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    assert "bundle size:" in completed.stdout and "build time:" in completed.stdout
    print(completed.stdout)  # shown with -rA / -s: the size and time of this build
    return out / "dist" / "counsellor-app"


def frozen(
    bundle: Path, *args: str, passphrase: str | None = PASSPHRASE, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the bundle's program headless, with no credential store (the passphrase is used)."""
    env = {
        key: value for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "COUNSELLOR_PASSPHRASE", "COUNSELLOR_RESOURCES")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # a name the bundle resolves
    if passphrase is not None:
        env["COUNSELLOR_PASSPHRASE"] = passphrase
    return subprocess.run(
        [str(bundle / "counsellor-app"), *args],
        cwd=bundle.parent, env=env, capture_output=True, text=True, timeout=timeout,
    )


def passphrase_cache(folder: Path) -> Profile:
    """A new empty cache whose key is wrapped with PASSPHRASE (as on a machine with no keyring)."""
    keyring.set_keyring(keyring.backends.fail.Keyring())  # conftest restores the test keyring
    profile = Profile.at(folder).ensure()
    provider = KeyProvider(
        profile, environ={"COUNSELLOR_PASSPHRASE": PASSPHRASE},
        argon2=Argon2Params(),  # the real cost: the bundle reads the parameters from the file
    )
    with open_cache(profile, provider, create=True):
        pass
    return profile


def test_frozen_program_reports_its_version(bundle: Path) -> None:
    completed = frozen(bundle, "--version")
    assert completed.returncode == 0
    assert completed.stdout.strip() == f"Counsellor Desk {__version__}"


def test_frozen_check_finds_a_passphrase_protected_cache_intact(
    bundle: Path, tmp_path: Path
) -> None:
    profile = passphrase_cache(tmp_path / "profile")
    completed = frozen(bundle, "check", "--profile", str(profile.root))
    assert completed.returncode == 0, completed.stderr
    assert "is intact" in completed.stdout
    log = (profile.logs_dir / "counsellor-desk.log").read_text(encoding="utf-8")
    assert "started: check" in log and "bundle" in log


def test_frozen_check_with_a_wrong_passphrase_says_so_in_one_line(
    bundle: Path, tmp_path: Path
) -> None:
    profile = passphrase_cache(tmp_path / "profile")
    completed = frozen(bundle, "check", "--profile", str(profile.root), passphrase="wrong-one!")
    assert completed.returncode != 0
    assert "Traceback" not in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1


def test_bundle_holds_the_dynamic_imports_and_only_the_qt_modules_used(bundle: Path) -> None:
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(bundle / "counsellor-app"))
    modules = set(archive.open_embedded_archive("PYZ.pyz").toc)
    for backend in ("SecretService", "kwallet", "chainer", "fail", "null", "macOS", "Windows"):
        assert f"keyring.backends.{backend}" in modules
    uvicorn = {"uvicorn.loops.auto", "uvicorn.protocols.http.h11_impl", "uvicorn.lifespan.on"}
    assert uvicorn <= modules
    assert {"counsellor_app.ui.main_window", "counsellor_app.commands.check"} <= modules
    assert not {"pytest", "hypothesis", "psycopg"} & {name.split(".")[0] for name in modules}
    qt = {path.name.split(".")[0] for path in (bundle / "_internal" / "PySide6").glob("Qt*.so")}
    assert {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport"} <= qt
    assert not qt & {"QtNetwork", "QtQml", "QtQuick", "QtWebEngineCore", "QtSql", "QtDBus"}
    internal = bundle / "_internal"
    for migrations in ("db/cache/env.py", "db/hub/env.py", "resources/style/app.qss"):
        assert (internal / migrations).is_file()


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.skipif(
    importlib.util.find_spec("counsellor_app.ui.demo") is None,
    reason="the --demo mode (counsellor_app/ui/demo.py) has not landed yet",
)
def test_frozen_demo_saves_a_screenshot_and_leaves_a_cache_that_checks_intact(
    bundle: Path, tmp_path: Path
) -> None:
    profile = tmp_path / "demo-profile"
    shot = tmp_path / "out.png"
    completed = frozen(
        bundle, "--demo", "--participants", "200", "--screenshot", str(shot),
        "--profile", str(profile), timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    width, height = _png_size(shot)
    assert width > 200 and height > 200 and shot.stat().st_size > 10_000
    checked = frozen(bundle, "check", "--profile", str(profile))
    assert checked.returncode == 0, checked.stderr
    assert "is intact" in checked.stdout

    # No identifier of the demo's patients in the client's files (logs, temp, settings, the
    # encrypted cache) or the program's output. demo-hub/ is the hub's own database: skipped.
    # The demo seeds like `counsellor-hub seed`: seed 1, the default teams, today (UTC).
    today = dt.datetime.now(dt.UTC).date()
    dataset = generate(200, seed=1, teams=DEFAULT_TEAMS, reference_date=today)
    # A log line's timestamp is today's date, so a patient born today cannot be told apart.
    identifiers = identifying_strings(dataset) - {today.isoformat()}
    texts = {"stdout": completed.stdout, "stderr": completed.stderr}
    for path in profile.rglob("*"):
        if path.is_file() and "demo-hub" not in path.relative_to(profile).parts:
            texts[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    assert any(name.endswith("counsellor-desk.log") for name in texts)
    hits = [(where, i) for where, text in texts.items() for i in identifiers if i in text]
    assert hits == []
