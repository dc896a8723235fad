"""The embedded letter typeface: DejaVu Sans, registered once with reportlab."""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from counsellor_app.letters.font_subsets import reuse_subsets
from counsellor_app.letters.resources import resources_dir

REGULAR = "LetterSans"
BOLD = "LetterSans-Bold"

_lock = threading.Lock()
_registered = False


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def register_fonts() -> None:
    """Register DejaVu Sans (covers ŵ, ŷ, Ł, Greek) under our own names; idempotent.

    The built-in Helvetica only covers Latin-1, so a Welsh or Polish name or a Greek letter in
    a variant description would come out as black boxes.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = fonts_dir()
        for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
            font = TTFont(name, str(folder / file))
            reuse_subsets(font)
            pdfmetrics.registerFont(font)
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
        _registered = True

