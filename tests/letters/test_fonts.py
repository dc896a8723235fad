"""The embedded typeface: subsets cut and compressed once are the very bytes a fresh cut gives."""

from __future__ import annotations

import io
import zlib

import pypdf
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace

from counsellor_app.domain.letter import LetterKind
from counsellor_app.letters.fonts import BOLD, REGULAR, fonts_dir, register_fonts
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.spec import LetterSpec

from . import factory as f

RESULT = LetterSpec(LetterKind.RESULT)

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


def test_a_letter_embeds_its_font_compressed_exactly_as_reportlab_does(
    generator: LetterGenerator,
) -> None:
    letter = generator.generate(f.record(results=(f.result(),)), RESULT, generated_by="t")
    again = generator.generate(f.record(results=(f.result(),)), RESULT, generated_by="t")
    assert again.pdf == letter.pdf
    reader = pypdf.PdfReader(io.BytesIO(letter.pdf))
    fonts = {
        str(font["/BaseFont"]): font["/FontDescriptor"]["/FontFile2"].get_object()
        for page in reader.pages
        for font in (ref.get_object() for ref in page["/Resources"]["/Font"].values())
        if font["/Subtype"] == "/TrueType"
    }
    assert any("DejaVuSans-Bold" in name for name in fonts)
    assert any(name.endswith("+DejaVuSans") for name in fonts)
    for stream in fonts.values():
        assert list(stream["/Filter"]) == ["/FlateDecode"]
        data = stream.get_data()  # inflated by pypdf: a TrueType font file
        assert data[:4] == b"\x00\x01\x00\x00"
        assert stream["/Length1"] == len(data)
        assert zlib.compress(data) == stream._data  # deflated as reportlab deflates it
