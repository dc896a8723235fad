"""Type sizes and paragraph styles per format (standard, large print ≥ 16 pt, easy read)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib.styles import ParagraphStyle

from counsellor_app.domain.participant import LetterFormat
from counsellor_app.letters.fonts import BOLD, REGULAR


@dataclass(frozen=True, slots=True)
class Scale:
    body: float
    leading: float
    heading: float
    space_after: float
    address: float  # the envelope window (Royal Mail reads it; kept compact)
    letterhead: float
    footer: float
    bottom_margin_mm: float


SCALES: dict[LetterFormat, Scale] = {
    LetterFormat.STANDARD: Scale(11, 15, 12.5, 7, 11, 9, 8.5, 22),
    # Large print: the same content at 16 pt with 1.5 line spacing (RNIB clear print guidance).
    LetterFormat.LARGE_PRINT: Scale(16, 24, 19, 10, 12, 9.5, 16, 34),
    # Easy read: one idea per line, large type, extra space between lines.
    LetterFormat.EASY_READ: Scale(16, 25, 20, 9, 12, 9.5, 16, 34),
}


@dataclass(frozen=True, slots=True)
class Styles:
    body: ParagraphStyle
    heading: ParagraphStyle
    bullet: ParagraphStyle
    subject: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    banner: ParagraphStyle


@cache
def styles_for(letter_format: LetterFormat) -> Styles:
    s = SCALES[letter_format]
    body = ParagraphStyle(
        f"body-{letter_format}",
        fontName=REGULAR,
        fontSize=s.body,
        leading=s.leading,
        spaceAfter=s.space_after,
    )
    heading = ParagraphStyle(
        f"heading-{letter_format}",
        parent=body,
        fontName=BOLD,
        fontSize=s.heading,
        leading=s.heading * 1.35,
        spaceBefore=s.space_after,
        spaceAfter=s.space_after * 0.6,
        keepWithNext=True,
    )
    bullet = ParagraphStyle(
        f"bullet-{letter_format}",
        parent=body,
        leftIndent=s.body * 1.4,
        bulletIndent=s.body * 0.3,
    )
    subject = ParagraphStyle(f"subject-{letter_format}", parent=heading, spaceBefore=0)
    label = ParagraphStyle(f"label-{letter_format}", parent=body, fontName=BOLD, spaceAfter=0)
    cell = ParagraphStyle(f"cell-{letter_format}", parent=body, spaceAfter=0)
    banner = ParagraphStyle(
        f"banner-{letter_format}",
        parent=heading,
        borderWidth=1,
        borderPadding=4,
        borderColor="#000000",
        spaceBefore=0,
        spaceAfter=s.space_after * 2,
    )
    return Styles(body, heading, bullet, subject, label, cell, banner)
