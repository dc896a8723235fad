"""The embedded letter typeface: DejaVu Sans, registered once with reportlab."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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
            font.face.makeSubset = _made_once(font.face.makeSubset)
            pdfmetrics.registerFont(font)
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
        _registered = True


def _made_once(make: Callable[[Sequence[int]], bytes]) -> Callable[[Sequence[int]], bytes]:
    """The font subset for a set of characters, cut from the font file once and then reused.

    Every PDF embeds the part of the font it uses; the letters of a batch mostly use the same
    characters in the same order, and cutting that subset out is a pure function of them.
    """
    made: dict[tuple[int, ...], bytes] = {}

    def subset(codes: Sequence[int]) -> bytes:
        key = tuple(codes)
        found = made.get(key)
        if found is None:
            if len(made) >= 64:  # names with unusual letters make one-off subsets
                made.clear()
            found = made[key] = make(codes)
        return found

    return subset
