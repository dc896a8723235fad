"""Renders the app icon (resources/icons/counsellor-desk.svg) into the hicolor PNG sizes.

Run after changing the SVG: ``.venv/bin/python packaging/linux/render_icons.py``. It writes
``icons/hicolor/scalable/apps/APP_ID.svg`` (a copy), ``icons/hicolor/NxN/apps/APP_ID.png`` and
``icons/source.sha256`` (the SVG's hash, which a test compares to tell when to run it again),
and the Windows and macOS icon files ``packaging/windows/counsellor-desk.ico`` and
``packaging/macos/counsellor-desk.icns`` made from the 512-pixel rendering.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "org.counsellordesk.CounsellorDesk"
SOURCE_SVG = ROOT / "resources" / "icons" / "counsellor-desk.svg"
ICONS = Path(__file__).resolve().parent / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
WINDOWS_ICON = ROOT / "packaging" / "windows" / "counsellor-desk.ico"
MACOS_ICON = ROOT / "packaging" / "macos" / "counsellor-desk.icns"


def source_digest() -> str:
    return hashlib.sha256(SOURCE_SVG.read_bytes()).hexdigest()


def png_path(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def svg_path() -> Path:
    return ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def render() -> list[Path]:
    """Write every size; the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE_SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE_SVG} is not a valid SVG")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = png_path(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"could not write {target}")
        written.append(target)
    svg_path().parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE_SVG, svg_path())
    (ICONS / "source.sha256").write_text(source_digest() + "\n", encoding="ascii")
    del app
    from PIL import Image  # reportlab's dependency: writes .ico and .icns on any system

    with Image.open(png_path(512)) as largest:
        largest.save(WINDOWS_ICON, sizes=[(s, s) for s in SIZES if s <= 256])
        largest.save(MACOS_ICON)
    return [*written, svg_path(), WINDOWS_ICON, MACOS_ICON]


if __name__ == "__main__":
    for path in render():
        print(path.relative_to(ROOT))
