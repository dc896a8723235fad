"""The first page's fixed parts: letterhead, contact column, and the envelope-window address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from counsellor_app.domain.errors import DomainError
from counsellor_app.letters.document import LetterDocument, LetterPart
from counsellor_app.letters.fonts import BOLD, REGULAR
from counsellor_app.letters.geometry import (
    ADDRESS_BOX,
    CONTACT_COLUMN,
    LEFT_MARGIN_MM,
    PAGE_WIDTH,
    RIGHT_MARGIN_MM,
    TEXT_WIDTH_MM,
    TOP_MARGIN_MM,
    x_pt,
    y_pt,
)
from counsellor_app.letters.phrasing import date_words
from counsellor_app.letters.styles import Scale

MIN_ADDRESS_SIZE = 7.0


def first_page_painter(
    document: LetterDocument, part: LetterPart, scale: Scale
) -> Callable[[Canvas, Any], None]:
    address_lines, address_size = fit_address(
        (part.addressee.name, *part.addressee.address), scale.address
    )

    def paint(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        _draw_letterhead(canvas, document, scale)
        canvas.setFont(REGULAR, address_size)
        leading = address_size * 1.2
        y = y_pt(ADDRESS_BOX.top) - address_size
        for line in address_lines:
            canvas.drawString(x_pt(ADDRESS_BOX.left), y, line)
            y -= leading
        canvas.restoreState()

    return paint


def _fitting_size(text: str, size: float, width: float, font: str = REGULAR) -> float:
    """The largest size (down to 5 pt) at which ``text`` fits ``width`` on one line."""
    while size > 5 and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def fit_address(lines: tuple[str, ...], preferred: float) -> tuple[list[str], float]:
    """The address wrapped and sized to lie inside the envelope window; refuses if it cannot."""
    width = ADDRESS_BOX.width * mm
    height = ADDRESS_BOX.height * mm
    size = preferred
    while size >= MIN_ADDRESS_SIZE:
        wrapped: list[str] = []
        for line in lines:
            wrapped += simpleSplit(line, REGULAR, size, width) or [""]
        if len(wrapped) * size * 1.2 <= height and all(
            stringWidth(line, REGULAR, size) <= width for line in wrapped
        ):
            return wrapped, size
        size -= 0.5
    raise DomainError(
        "The address is too long to show in the envelope window. Shorten it in the record "
        "(at most seven short lines) and try again."
    )


def _draw_letterhead(canvas: Canvas, document: LetterDocument, scale: Scale) -> None:
    head = document.letterhead
    right = PAGE_WIDTH - x_pt(RIGHT_MARGIN_MM)
    full = TEXT_WIDTH_MM * mm
    for text, font, size, top in (
        (head.hospital, BOLD, 13.0, TOP_MARGIN_MM),
        (head.team, BOLD, 11.0, TOP_MARGIN_MM + 6),
        (head.glh, REGULAR, 9.0, TOP_MARGIN_MM + 11),
    ):
        canvas.setFont(font, _fitting_size(text, size, full, font))
        canvas.drawRightString(right, y_pt(top), text)
    canvas.setStrokeColor(colors.HexColor("#005EB8"))  # NHS blue rule under the letterhead
    canvas.setLineWidth(1.2)
    canvas.line(x_pt(LEFT_MARGIN_MM), y_pt(TOP_MARGIN_MM + 15), right, y_pt(TOP_MARGIN_MM + 15))
    size = scale.letterhead
    leading = size * 1.3
    x = x_pt(CONTACT_COLUMN.left)
    y = y_pt(CONTACT_COLUMN.top) - size
    column = CONTACT_COLUMN.width * mm
    for line in head.contact_lines():
        canvas.setFont(REGULAR, _fitting_size(line, size, column))
        canvas.drawString(x, y, line)
        y -= leading
    y -= leading * 0.6
    labels = document.labels
    for label, value in (
        (labels.date, date_words(document.letter_date)),
        (labels.reference, document.reference),
    ):
        label_width = stringWidth(f"{label}: ", BOLD, size)
        canvas.setFont(BOLD, size)
        canvas.drawString(x, y, f"{label}:")
        if label_width + stringWidth(value, REGULAR, size) > column:
            y -= leading  # the value goes on its own line, shrunk if it must be
            label_width = 0
        value_size = _fitting_size(value, size, column - label_width)
        canvas.setFont(REGULAR, value_size)
        canvas.drawString(x + label_width, y, value)
        y -= leading
