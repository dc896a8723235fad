"""The embedded typeface: subsets cut once and reused are the very bytes a fresh cut gives."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace

from counsellor_app.letters.fonts import BOLD, REGULAR, fonts_dir, register_fonts

ASCII = [0] * 32 + list(range(32, 128))
WELSH = [0, ord("ŵ"), ord("ŷ"), ord("â"), *range(1, 29)] + list(range(32, 128))


def test_a_reused_font_subset_is_the_same_as_one_cut_afresh() -> None:
    register_fonts()
    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        face = pdfmetrics.getFont(name).face
        fresh = TTFontFace(str(fonts_dir() / file))
        first = face.makeSubset(ASCII)
        welsh = face.makeSubset(WELSH)
        assert face.makeSubset(ASCII) is first  # cut once
        assert first == fresh.makeSubset(ASCII)
        assert welsh == fresh.makeSubset(WELSH) != first
