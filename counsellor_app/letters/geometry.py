"""Page geometry: A4, margins, and where a DL window envelope shows the address.

DL window envelopes (110 × 220 mm, ISO 269 / BS EN ISO 269 "DL" with the common UK window)
have a 90 × 45 mm window 20 mm from the left edge and 15 mm from the bottom edge. An A4 sheet
folded in three (99 mm panels) puts its top panel behind the window; with the sheet against
the top of the envelope the window shows 20–110 mm across and about 45–90 mm down the page
(the sheet can move a few millimetres, which the inset below absorbs). Our address block is
therefore drawn inside an inset box 25–105 mm across and 50–86 mm down.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_WIDTH, PAGE_HEIGHT = A4


@dataclass(frozen=True, slots=True)
class BoxMM:
    """A rectangle in millimetres measured from the page's top-left corner."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


DL_WINDOW = BoxMM(left=20, top=45, width=90, height=45)
ADDRESS_BOX = BoxMM(left=25, top=50, width=80, height=36)
CONTACT_COLUMN = BoxMM(left=125, top=45, width=65, height=48)
LEFT_MARGIN_MM = 20
RIGHT_MARGIN_MM = 20
TOP_MARGIN_MM = 18
FIRST_PAGE_BODY_TOP_MM = 97
TEXT_WIDTH_MM = 210 - LEFT_MARGIN_MM - RIGHT_MARGIN_MM


def x_pt(left_mm: float) -> float:
    """A distance from the left edge, in points."""
    return float(left_mm * mm)


def y_pt(top_mm: float) -> float:
    """A distance from the top edge, as reportlab's y coordinate (from the bottom), in points."""
    return float(PAGE_HEIGHT - top_mm * mm)
