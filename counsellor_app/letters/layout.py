"""Draw a LetterDocument as an A4 PDF with reportlab: letterhead, window address, pages.

Every value from the case record reaches a ``Paragraph`` through ``escape`` (a name such as
``<font size=40>`` prints literally); text drawn straight on the canvas is never parsed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.letters.document import Block, BlockKind, LetterDocument, LetterPart
from counsellor_app.letters.fonts import BOLD, REGULAR, register_fonts
from counsellor_app.letters.geometry import (
    ADDRESS_BOX,
    CONTACT_COLUMN,
    FIRST_PAGE_BODY_TOP_MM,
    LEFT_MARGIN_MM,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT_MARGIN_MM,
    TEXT_WIDTH_MM,
    TOP_MARGIN_MM,
    x_pt,
    y_pt,
)
from counsellor_app.letters.phrasing import date_words
from counsellor_app.letters.styles import SCALES, Scale, Styles, styles_for
from counsellor_app.letters.templates import fill

MIN_ADDRESS_SIZE = 7.0


def render_pdf(document: LetterDocument) -> bytes:
    """The letter as PDF bytes (in memory: nothing touches the disk)."""
    register_fonts()
    scale = SCALES[document.letter_format]
    styles = styles_for(document.letter_format)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        title=document.title,
        author=document.letterhead.team,
        subject=document.kind.value,
        creator="Counsellor Desk",
        invariant=1,
        pageCompression=1,
    )
    bottom = scale.bottom_margin_mm * mm
    width = TEXT_WIDTH_MM * mm
    first_height = y_pt(FIRST_PAGE_BODY_TOP_MM) - bottom
    later_height = y_pt(TOP_MARGIN_MM) - bottom
    templates = [
        PageTemplate(
            id=f"first-{index}",
            frames=[_frame(f"first-{index}", bottom, width, first_height)],
            onPage=_first_page_painter(document, part, scale),
        )
        for index, part in enumerate(document.parts)
    ]
    templates.append(
        PageTemplate(id="later", frames=[_frame("later", bottom, width, later_height)])
    )
    doc.addPageTemplates(templates)
    story: list[Flowable] = []
    for index, part in enumerate(document.parts):
        if index:
            story += [NextPageTemplate(f"first-{index}"), PageBreak()]
        story.append(NextPageTemplate("later"))
        story += _part_story(document, part, styles, scale)
    doc.build(story, canvasmaker=_numbered_canvas(document, scale))
    return buffer.getvalue()


def _frame(name: str, bottom: float, width: float, height: float) -> Frame:
    return Frame(
        x_pt(LEFT_MARGIN_MM),
        bottom,
        width,
        height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=name,
    )


# ----------------------------------------------------------------------------- first page


def _first_page_painter(
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


# ----------------------------------------------------------------------------- footer


def _numbered_canvas(document: LetterDocument, scale: Scale) -> type[Canvas]:
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


# ----------------------------------------------------------------------------- body


def _part_story(
    document: LetterDocument, part: LetterPart, styles: Styles, scale: Scale
) -> list[Flowable]:
    story: list[Flowable] = []
    if part.banner:
        story.append(Paragraph(escape(part.banner), styles.banner))
    story.append(_identity_table(document, styles, scale))
    story.append(Spacer(1, scale.space_after * 1.5))
    story.append(Paragraph(escape(part.salutation), styles.body))
    story.append(Paragraph(escape(part.subject), styles.subject))
    slip: Block | None = None
    for block in part.blocks:
        if block.kind is BlockKind.REPLY_SLIP:
            slip = block
            continue
        story += _block(block, styles, scale)
    story += _signature(document, styles, scale)
    if part.copy_to:
        story.append(Spacer(1, scale.space_after))
        story.append(Paragraph(escape(f"{document.labels.copy_to}:"), styles.label))
        story += [Paragraph(escape(line), styles.body) for line in part.copy_to]
    if slip is not None:
        story += _reply_slip(slip, document, styles, scale)
    return story


def _identity_table(document: LetterDocument, styles: Styles, scale: Scale) -> Flowable:
    identity = document.identity
    labels = document.labels
    rows = [
        (labels.name, identity.name),
        (labels.nhs_number, format_nhs_number(identity.nhs_number)),
        (labels.date_of_birth, date_words(identity.date_of_birth)),
        (labels.address, ", ".join(identity.address)),
    ]
    return _two_columns(rows, styles, scale, shaded=True, label_width=0.3)


def _two_columns(
    rows: list[tuple[str, str]] | tuple[tuple[str, ...], ...],
    styles: Styles,
    scale: Scale,
    *,
    shaded: bool = False,
    label_width: float = 0.34,
) -> Flowable:
    width = TEXT_WIDTH_MM * mm
    data = [
        [Paragraph(escape(row[0]), styles.label), Paragraph(escape(row[1]), styles.cell)]
        for row in rows
    ]
    table = Table(data, colWidths=[width * label_width, width * (1 - label_width)])
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
    ]
    if shaded:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#EEF3F8")))
    else:
        commands.append(("LINEBELOW", (0, 0), (-1, -2), 0.3, colors.grey))
    table.setStyle(TableStyle(commands))
    table.spaceAfter = scale.space_after
    return table


def _block(block: Block, styles: Styles, scale: Scale) -> list[Flowable]:
    if block.kind is BlockKind.HEADING:
        return [Paragraph(escape(block.text), styles.heading)]
    if block.kind is BlockKind.BULLET:
        return [Paragraph(escape(block.text), styles.bullet, bulletText="•")]
    if block.kind is BlockKind.TABLE:
        return [_two_columns(block.rows, styles, scale)]
    return [Paragraph(escape(block.text), styles.body)]


def _signature(document: LetterDocument, styles: Styles, scale: Scale) -> list[Flowable]:
    return [
        KeepTogether(
            [
                Spacer(1, scale.space_after),
                Paragraph(escape(document.labels.sign_off), styles.body),
                Spacer(1, 12 * mm),
                Paragraph(escape(document.signer_name), styles.label),
                Paragraph(escape(document.signer_role), styles.cell),
                Paragraph(escape(document.letterhead.team), styles.cell),
            ]
        )
    ]


class _CutLine(Flowable):  # type: ignore[misc]
    """A dashed line across the page with a pair of scissors and the cut instruction."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text = text
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size * 2.2

    def draw(self) -> None:
        canvas = self.canv
        y = self.size * 0.8
        canvas.setDash(3, 3)
        canvas.setLineWidth(0.6)
        canvas.line(0, y, self.width, y)
        canvas.setDash()
        canvas.setFont(REGULAR, self.size * 0.8)
        canvas.drawString(0, y + 3, f"✂  {self.text}")


def _reply_slip(
    block: Block, document: LetterDocument, styles: Styles, scale: Scale
) -> list[Flowable]:
    cut, instructions, reference, signed, printed, relationship, day = block.labels
    identity = document.identity
    labels = document.labels
    filled = [
        (labels.name, identity.name),
        (labels.nhs_number, format_nhs_number(identity.nhs_number)),
        (labels.date_of_birth, date_words(identity.date_of_birth)),
    ]
    line = "_" * 28
    slip: list[Flowable] = [
        _CutLine(cut, scale.body),
        Paragraph(escape(block.text), styles.heading),
        Paragraph(escape(reference), styles.body),
        _two_columns(filled, styles, scale, label_width=0.3),
        Paragraph(escape(instructions), styles.body),
    ]
    slip += [Paragraph(escape(f"☐  {option}"), styles.body) for option in block.options]
    slip += [
        Spacer(1, scale.space_after),
        Paragraph(escape(f"{signed}: {line}    {day}: {'_' * 12}"), styles.body),
        Paragraph(escape(f"{printed}: {line}"), styles.body),
        Paragraph(escape(f"{relationship}: {line}"), styles.body),
    ]
    return [CondPageBreak(PAGE_HEIGHT * 0.45), KeepTogether(slip)]
