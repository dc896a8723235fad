"""Page furniture on every page: who the letter is about, and "Page N of M"."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.letters.document import LetterDocument
from counsellor_app.letters.fonts import REGULAR
from counsellor_app.letters.geometry import LEFT_MARGIN_MM, PAGE_WIDTH, RIGHT_MARGIN_MM, x_pt
from counsellor_app.letters.styles import Scale
from counsellor_app.letters.templates import fill


def numbered_canvas(document: LetterDocument, scale: Scale) -> type[Canvas]:
    """A canvas that holds its pages until the end, then writes "Page N of M" on each."""
    identity = document.identity
    values = {"name": identity.name, "nhs_number": format_nhs_number(identity.nhs_number)}
    who = fill(document.labels.footer, values)
    page_label = document.labels.page

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                page = fill(page_label, {"page": str(number), "pages": str(total)})
                _draw_footer(self, who, page, scale.footer)
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_footer(canvas: Canvas, who: str, page: str, size: float) -> None:
    """Who the letter is about on the left, the page number on the right; two lines (or more)
    when large type does not fit on one."""
    left = x_pt(LEFT_MARGIN_MM)
    right = PAGE_WIDTH - x_pt(RIGHT_MARGIN_MM)
    width = right - left
    leading = size * 1.25
    canvas.setFont(REGULAR, size)
    gap = stringWidth("    ", REGULAR, size)
    if stringWidth(who, REGULAR, size) + gap + stringWidth(page, REGULAR, size) <= width:
        canvas.drawString(left, 10 * mm, who)
        canvas.drawRightString(right, 10 * mm, page)
        return
    lines = [*simpleSplit(who, REGULAR, size, width), page]
    y = 8 * mm + (len(lines) - 1) * leading
    for line in lines:
        canvas.drawString(left, y, line)
        y -= leading
