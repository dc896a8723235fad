"""Where the letter templates, letterhead defaults and fonts live."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, or inside a frozen bundle.

    ``COUNSELLOR_RESOURCES`` overrides it (packagers and tests).
    """
    override = os.environ.get("COUNSELLOR_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller one-folder/one-file bundle
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def letters_dir() -> Path:
    return resources_dir() / "letters"
