"""Rendered pages: text inside the page, the address inside the DL envelope window."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.participant import Address, LetterFormat
from counsellor_app.domain.request import RequestKind
from counsellor_app.letters.first_page import fit_address
from counsellor_app.letters.generator import LetterGenerator
from counsellor_app.letters.geometry import ADDRESS_BOX, DL_WINDOW, BoxMM
from counsellor_app.letters.spec import LetterSpec

from . import factory as f

DPI = 60
PX_PER_MM = DPI / 25.4

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")

LONG_ADDRESS = Address(
    (
        "Flat 12, Tŷ Gwyn Court (rear entrance by the garages)",
        "141–143 Heol Llanbedr Pont Steffan",
        "Pentre'r Eglwys",
        "Llanfairpwllgwyngyll",
        "Ynys Môn",
    ),
    "LL61 5UJ",
)


def first_page_png(pdf: bytes, folder: Path) -> Image.Image:
    source = folder / "letter.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(DPI),
            "-gray",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(folder / "page"),
        ],
        check=True,
    )
    return Image.open(folder / "page.png").convert("L")


def ink(image: Image.Image, box: BoxMM) -> int:
    """Dark pixels inside a box given in millimetres from the top-left."""
    crop = image.crop(
        (
            round(box.left * PX_PER_MM),
            round(box.top * PX_PER_MM),
            round(box.right * PX_PER_MM),
            round(box.bottom * PX_PER_MM),
        )
    )
    histogram = crop.histogram()
    return sum(histogram[:160])


def around(window: BoxMM) -> list[BoxMM]:
    """Bands just outside the window on all four sides (where no address may spill)."""
    return [
        BoxMM(3, window.top, window.left - 4, window.height),  # left margin
        BoxMM(window.right + 1, window.top, 124 - window.right - 1, window.height),  # gap
        BoxMM(window.left, 36, window.width, window.top - 36 - 1),  # above
        BoxMM(window.left, window.bottom + 1, window.width, 96 - window.bottom - 1),  # below
    ]


LETTERS = [
    ("result-standard", LetterKind.RESULT, LetterFormat.STANDARD, Recipient.PARTICIPANT, False),
    ("result-large-gp", LetterKind.RESULT, LetterFormat.LARGE_PRINT, Recipient.GP, False),
    ("collab-easy-long", LetterKind.COLLABORATION, LetterFormat.EASY_READ, None, True),
    ("trial-large-long", LetterKind.TRIAL, LetterFormat.LARGE_PRINT, None, True),
]


@pytest.mark.parametrize(("name", "kind", "fmt", "recipient", "long"), LETTERS)
def test_address_lies_inside_the_envelope_window_and_text_inside_the_page(
    generator: LetterGenerator,
    tmp_path: Path,
    name: str,
    kind: LetterKind,
    fmt: LetterFormat,
    recipient: Recipient | None,
    long: bool,
) -> None:
    person = f.participant(address=LONG_ADDRESS) if long else f.participant()
    record = f.record(
        person,
        results=(f.result(),),
        requests=(
            f.request(RequestKind.RESEARCHER_COLLABORATION),
            f.request(RequestKind.CLINICAL_TRIAL),
        ),
    )
    letter = generator.generate(
        record, LetterSpec(kind, recipient=recipient, letter_format=fmt), generated_by="t"
    )
    page = first_page_png(letter.pdf, tmp_path)
    assert (
        page.size == (round(210 * PX_PER_MM), round(297 * PX_PER_MM))
        or abs(page.size[0] - 210 * PX_PER_MM) <= 2
    )
    assert ink(page, ADDRESS_BOX) > 0, "the address should be printed in the window"
    for band in around(DL_WINDOW):
        assert ink(page, band) == 0, f"ink just outside the envelope window at {band}"
    width_mm, height_mm = page.size[0] / PX_PER_MM, page.size[1] / PX_PER_MM
    for edge in (
        BoxMM(0, 0, width_mm, 6),
        BoxMM(0, height_mm - 6, width_mm, 6),
        BoxMM(0, 0, 6, height_mm),
        BoxMM(width_mm - 6, 0, 6, height_mm),
    ):
        assert ink(page, edge) == 0, "text should stay inside the page margins"


def test_long_address_lines_are_wrapped_and_shrunk_to_fit_the_window() -> None:
    lines, size = fit_address(("Mr Llŷr Ó Súilleabháin", *LONG_ADDRESS.as_lines()), 12)
    assert len(lines) * size * 1.2 <= ADDRESS_BOX.height * 72 / 25.4
    assert size >= 7


def test_an_address_that_cannot_fit_the_window_is_refused() -> None:
    with pytest.raises(DomainError, match="too long to show in the envelope window"):
        fit_address(tuple(f"Line {n} of a very long address" for n in range(20)), 11)


@pytest.mark.parametrize("fmt", [LetterFormat.LARGE_PRINT, LetterFormat.EASY_READ])
def test_large_print_and_easy_read_body_text_is_at_least_16_point(
    generator: LetterGenerator, fmt: LetterFormat
) -> None:
    import io

    import pypdf

    from counsellor_app.letters.geometry import FIRST_PAGE_BODY_TOP_MM, y_pt

    letter = generator.generate(
        f.record(results=(f.result(),)),
        LetterSpec(LetterKind.RESULT, letter_format=fmt),
        generated_by="t",
    )
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and y < y_pt(FIRST_PAGE_BODY_TOP_MM):
            sizes.append(size * abs(tm[3]) * abs(cm[3]))

    for page in pypdf.PdfReader(io.BytesIO(letter.pdf)).pages:
        page.extract_text(visitor_text=visit)
    assert sizes and min(sizes) >= 16
