"""Builds the one-folder Counsellor Desk bundle with PyInstaller; prints its size and build time.

Usage (from the repository root, with the dev extra installed):

    .venv/bin/python packaging/build.py [--dist DIR] [--work DIR] [--clean]

The bundle is ``DIR/counsellor-app/`` (default ``dist/counsellor-app/``) and its program is
``counsellor-app`` (``counsellor-app.exe`` on Windows). Linux is built and smoke-tested by CI;
Windows and macOS use the same spec on their own machines (see packaging/windows/ and macos/).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "counsellor-app.spec"
BUNDLE_NAME = "counsellor-app"


def folder_size(folder: Path) -> int:
    """Bytes of every file under ``folder`` (links not followed)."""
    total = 0
    for directory, _subdirs, files in os.walk(folder):
        for name in files:
            path = Path(directory, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def program_of(bundle: Path) -> Path:
    """The bundle's executable."""
    suffix = ".exe" if sys.platform == "win32" else ""
    return bundle / f"{BUNDLE_NAME}{suffix}"


def build(dist: Path, work: Path, *, clean: bool = False, quiet: bool = False) -> Path:
    """Run PyInstaller on the spec; the bundle folder it made. Raises on a failed build."""
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm",
        "--distpath", str(dist), "--workpath", str(work),
        "--log-level", "WARN" if quiet else "INFO",
    ]
    if clean:
        command.append("--clean")
    subprocess.run(command, cwd=ROOT, check=True)
    bundle = dist / BUNDLE_NAME
    if not program_of(bundle).is_file():
        raise RuntimeError(f"PyInstaller finished but {program_of(bundle)} is missing")
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller",
        help="PyInstaller's work folder (kept between builds to make them faster)",
    )
    parser.add_argument("--clean", action="store_true", help="start from an empty work folder")
    parser.add_argument("--quiet", action="store_true", help="show PyInstaller's warnings only")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        bundle = build(args.dist, args.work, clean=args.clean, quiet=args.quiet)
    except (subprocess.CalledProcessError, RuntimeError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    size = folder_size(bundle)
    print(f"bundle: {bundle}")
    print(f"bundle size: {size / 1024 / 1024:.1f} MiB")
    print(f"build time: {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
