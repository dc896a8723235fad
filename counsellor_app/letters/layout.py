"""Draw a LetterDocument as an A4 PDF with reportlab: page templates and the letter body.

Every value from the case record reaches a ``Paragraph`` through ``paragraphs.paragraph``,
which escapes it (a name such as ``<font size=40>`` prints literally); text drawn straight on
the canvas is never parsed.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.letters.document import Block, BlockKind, LetterDocument, LetterPart
from counsellor_app.letters.first_page import first_page_painter
from counsellor_app.letters.fonts import REGULAR, register_fonts
from counsellor_app.letters.geometry import (
    FIRST_PAGE_BODY_TOP_MM,
    LEFT_MARGIN_MM,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TEXT_WIDTH_MM,
    TOP_MARGIN_MM,
    x_pt,
    y_pt,
)
from counsellor_app.letters.page_numbers import numbered_canvas
from counsellor_app.letters.paragraphs import paragraph
from counsellor_app.letters.phrasing import date_words
from counsellor_app.letters.styles import SCALES, Scale, Styles, styles_for


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
            onPage=first_page_painter(document, part, scale),
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
    doc.build(story, canvasmaker=numbered_canvas(document, scale))
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


# ----------------------------------------------------------------------------- body


def _part_story(
    document: LetterDocument, part: LetterPart, styles: Styles, scale: Scale
) -> list[Flowable]:
    story: list[Flowable] = []
    if part.banner:
        story.append(paragraph(part.banner, styles.banner))
    story.append(_identity_table(document, styles, scale))
    story.append(Spacer(1, scale.space_after * 1.5))
    story.append(paragraph(part.salutation, styles.body))
    story.append(paragraph(part.subject, styles.subject))
    slip: Block | None = None
    for block in part.blocks:
        if block.kind is BlockKind.REPLY_SLIP:
            slip = block
            continue
        story += _block(block, styles, scale)
    story += _signature(document, styles, scale)
    if part.copy_to:
        story.append(Spacer(1, scale.space_after))
        story.append(paragraph(f"{document.labels.copy_to}:", styles.label))
        story += [paragraph(line, styles.body) for line in part.copy_to]
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
        [paragraph(row[0], styles.label), paragraph(row[1], styles.cell)]
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
        return [paragraph(block.text, styles.heading)]
    if block.kind is BlockKind.BULLET:
        return [paragraph(block.text, styles.bullet, bullet="•")]
    if block.kind is BlockKind.TABLE:
        return [_two_columns(block.rows, styles, scale)]
    return [paragraph(block.text, styles.body)]


def _signature(document: LetterDocument, styles: Styles, scale: Scale) -> list[Flowable]:
    return [
        KeepTogether(
            [
                Spacer(1, scale.space_after),
                paragraph(document.labels.sign_off, styles.body),
                Spacer(1, 12 * mm),
                paragraph(document.signer_name, styles.label),
                paragraph(document.signer_role, styles.cell),
                paragraph(document.letterhead.team, styles.cell),
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
        paragraph(block.text, styles.heading),
        paragraph(reference, styles.body),
        _two_columns(filled, styles, scale, label_width=0.3),
        paragraph(instructions, styles.body),
    ]
    slip += [paragraph(f"☐  {option}", styles.body) for option in block.options]
    slip += [
        Spacer(1, scale.space_after),
        paragraph(f"{signed}: {line}    {day}: {'_' * 12}", styles.body),
        paragraph(f"{printed}: {line}", styles.body),
        paragraph(f"{relationship}: {line}", styles.body),
    ]
    return [CondPageBreak(PAGE_HEIGHT * 0.45), KeepTogether(slip)]
